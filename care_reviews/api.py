"""Cancer care review API on the shared base (portal.api.scoped, ADR 10; ADR 0047): read-only lists
and details of reviews (with their actions) and of patients' requests for one, each scoped by the
policy table (`visible_to(user)`: the patient's practice and the patient, no one else) and every
record shown written to the access log. Read-only: a review is recorded on the practice's form,
whose service checks the practice, the dates and the one-completed-review rule."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from care_reviews.models import Review, ReviewRequest
from care_reviews.serializers import ReviewRequestSerializer, ReviewSerializer
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.api.scoped import ID, ScopedDetail, ScopedList
from portal.api.views import ERRORS

TAGS = ["cancer care reviews"]
REVIEW_SCOPE = policy.describe(RecordKind.CARE_REVIEW)
REQUEST_SCOPE = policy.describe(RecordKind.CARE_REVIEW_REQUEST)


def reviews(user):
    """Reviews with what the serializer and the FHIR builder read: two queries a page (the actions
    prefetched in their order), whatever its length."""
    return (
        Review.objects.visible_to(user)
        .select_related("patient", "practice", "recorded_by")
        .prefetch_related("actions")
        .order_by("-reviewed_on", "-created_at", "id")
    )


def requests(user):
    return ReviewRequest.objects.visible_to(user).select_related("patient", "practice").order_by("created_at", "id")


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="List the cancer care reviews you may see",
        description=f"{REVIEW_SCOPE} Newest first, each with the actions agreed. Every review listed is "
        "recorded in the access log.",
        responses={200: ReviewSerializer, 401: ERRORS[401]},
    )
)
class ReviewList(ScopedList):
    serializer_class = ReviewSerializer

    def get_queryset(self):
        return reviews(self.request.user)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="One cancer care review you may see",
        description=f"{REVIEW_SCOPE} One you may not see is 404, as if it did not exist. The same review as "
        "FHIR is /fhir/Composition/{id}.",
        parameters=[ID],
        responses={200: ReviewSerializer, 401: ERRORS[401], 404: ERRORS[404]},
    )
)
class ReviewDetail(ScopedDetail):
    serializer_class = ReviewSerializer
    not_found = "There is no cancer care review with this id that you may see"

    def get_queryset(self):
        return reviews(self.request.user)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="List the open requests for a cancer care review you may see",
        description=f"{REQUEST_SCOPE} Open requests only, oldest first (the practice's to-do: a completed "
        "review closes the patient's request). Every request listed is recorded in the access log.",
        responses={200: ReviewRequestSerializer, 401: ERRORS[401]},
    )
)
class RequestList(ScopedList):
    serializer_class = ReviewRequestSerializer

    def get_queryset(self):
        return requests(self.request.user).filter(closed_at__isnull=True)


@extend_schema_view(
    get=extend_schema(
        tags=TAGS,
        summary="One request for a cancer care review you may see",
        description=f"{REQUEST_SCOPE} Open or closed (a closed one names the review that closed it). One you "
        "may not see is 404, as if it did not exist.",
        parameters=[ID],
        responses={200: ReviewRequestSerializer, 401: ERRORS[401], 404: ERRORS[404]},
    )
)
class RequestDetail(ScopedDetail):
    serializer_class = ReviewRequestSerializer
    not_found = "There is no request for a review with this id that you may see"

    def get_queryset(self):
        return requests(self.request.user)
