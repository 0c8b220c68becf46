"""Read-only API for HNAs and care plans, on the shared base (portal.api.scoped, ADR 10): every
query starts from `visible_to(user)` (the policy table), a record you may not see is a 404 with the
words of a missing one, lists are paginated and cost the same queries whatever their length, and
every record shown is audited."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view

from hna.models import Assessment, CarePlan, CarePlanItem, ConcernAnswer
from hna.serializers import AssessmentSerializer, CarePlanSerializer
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.api.scoped import ID, ScopedDetail, ScopedList
from portal.api.views import ERRORS


def assessments_visible_to(user):
    """Assessments with everything the serializer and FHIR builders read, in a fixed number of queries."""
    ticked = (
        ConcernAnswer.objects.filter(ticked=True)
        .select_related("item__category")
        .order_by("item__category__position", "item__position", "item__text")
    )
    return (
        Assessment.objects.visible_to(user)
        .select_related("patient", "team__organisation", "checklist_version", "entered_by")
        .prefetch_related(Prefetch("answers", queryset=ticked, to_attr="ticked_answers"))
        .order_by("-created_at", "id")
    )


def care_plans_visible_to(user):
    items = CarePlanItem.objects.select_related("concern_item").order_by("position", "created_at")
    return (
        CarePlan.objects.visible_to(user)
        .select_related("patient", "team__organisation")
        .prefetch_related(Prefetch("items", queryset=items))
        .order_by("-created_at", "id")
    )


SCOPE = policy.describe(RecordKind.HNA)
PLAN_SCOPE = policy.describe(RecordKind.CARE_PLAN)


@extend_schema_view(
    get=extend_schema(
        tags=["hna"],
        summary="List the holistic needs assessments you may see",
        description=f"{SCOPE} Newest first. COSD fields use COSD codes. Every assessment listed is recorded "
        "in the access log.",
        responses={200: AssessmentSerializer, 401: ERRORS[401]},
    )
)
class AssessmentList(ScopedList):
    serializer_class = AssessmentSerializer

    def get_queryset(self):
        return assessments_visible_to(self.request.user)


@extend_schema_view(
    get=extend_schema(
        tags=["hna"],
        summary="One holistic needs assessment you may see",
        description=f"{SCOPE} An assessment you may not see is 404, as if it did not exist.",
        parameters=[ID],
        responses={200: AssessmentSerializer, 401: ERRORS[401], 404: ERRORS[404]},
    )
)
class AssessmentDetail(ScopedDetail):
    serializer_class = AssessmentSerializer
    not_found = "There is no assessment with this id that you may see"

    def get_queryset(self):
        return assessments_visible_to(self.request.user)


@extend_schema_view(
    get=extend_schema(
        tags=["care plans"],
        summary="List the care and support plans you may see",
        description=f"{PLAN_SCOPE} GP staff see only agreed plans while the patient agrees to share them; "
        "patients only their agreed plans. Every version of a plan is listed; `previous` links a version to the "
        "one it amends. Every plan listed is recorded in the access log.",
        responses={200: CarePlanSerializer, 401: ERRORS[401]},
    )
)
class CarePlanList(ScopedList):
    serializer_class = CarePlanSerializer

    def get_queryset(self):
        return care_plans_visible_to(self.request.user)


@extend_schema_view(
    get=extend_schema(
        tags=["care plans"],
        summary="One care and support plan you may see",
        description=f"{PLAN_SCOPE} A plan you may not see is 404, as if it did not exist.",
        parameters=[ID],
        responses={200: CarePlanSerializer, 401: ERRORS[401], 404: ERRORS[404]},
    )
)
class CarePlanDetail(ScopedDetail):
    serializer_class = CarePlanSerializer
    not_found = "There is no care plan with this id that you may see"

    def get_queryset(self):
        return care_plans_visible_to(self.request.user)
