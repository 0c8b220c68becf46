"""Read-only API for end-of-treatment summaries, on the shared base (portal.api.scoped; ADR 10, 12):
every query starts from `visible_to(user)` (the policy table), a summary you may not see is a 404 with the words of a
missing one, lists are paginated and cost the same queries whatever their length, and every
summary shown is audited (one event per summary, naming its patient, in one insert)."""

from django.db.models import Exists, OuterRef, Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view

from portal.access import policy
from portal.access.kinds import RecordKind
from portal.api.scoped import ID, ScopedDetail, ScopedList
from portal.api.views import ERRORS
from treatment_summaries.models import GPAction, SummaryVersion, TreatmentSummary
from treatment_summaries.serializers import TreatmentSummarySerializer

SCOPE = policy.describe(RecordKind.SUMMARY)


def summaries_visible_to(user):
    """Summaries with at least one version the user may see, each with those versions (and their
    treatments and GP actions) prefetched: four queries whatever the page size. The PDF bytes are
    not read."""
    versions = SummaryVersion.objects.visible_to(user)
    shown = (
        versions.defer("pdf")
        .select_related("signed_off_by")
        .prefetch_related("treatments", Prefetch("gp_actions", queryset=GPAction.objects.select_related("option")))
        .order_by("-number")
    )
    return (
        TreatmentSummary.objects.visible_to(user)
        # A GP never learns that a summary exists while it is only a draft.
        .filter(Exists(versions.filter(summary=OuterRef("pk"))))
        .select_related("patient", "team__organisation")
        .prefetch_related(Prefetch("versions", queryset=shown, to_attr="visible_versions"))
        .order_by("-created_at", "id")
    )


@extend_schema_view(
    get=extend_schema(
        tags=["treatment summaries"],
        summary="List the end-of-treatment summaries you may see",
        description=f"{SCOPE} GP staff see only versions delivered to their practice, patients those sent to "
        "them (a summary still in "
        "draft is not listed for them); the care team sees every version. Newest first. The PDF of a sent "
        "version is available from FHIR as a DocumentReference. Every summary listed is recorded in the "
        "access log.",
        responses={200: TreatmentSummarySerializer, 401: ERRORS[401]},
    )
)
class TreatmentSummaryList(ScopedList):
    serializer_class = TreatmentSummarySerializer

    def get_queryset(self):
        return summaries_visible_to(self.request.user)


@extend_schema_view(
    get=extend_schema(
        tags=["treatment summaries"],
        summary="One end-of-treatment summary you may see",
        description="A summary you may not see (or, for GP staff and patients, one never sent) is 404, as if "
        "it did not exist.",
        parameters=[ID],
        responses={200: TreatmentSummarySerializer, 401: ERRORS[401], 404: ERRORS[404]},
    )
)
class TreatmentSummaryDetail(ScopedDetail):
    serializer_class = TreatmentSummarySerializer
    not_found = "There is no treatment summary with this id that you may see"

    def get_queryset(self):
        return summaries_visible_to(self.request.user)
