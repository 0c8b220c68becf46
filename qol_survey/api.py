"""Quality of life survey API on the shared base (portal.api.scoped, ADR 10; ADR 0040): read-only
lists and details of invitations and responses, each scoped by the policy table (`visible_to(user)`:
a response reaches the practice only when the respondent agreed to share it), every record shown
audited. Nothing here shows an invitation's link token or short code: they open the survey."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from portal.access import policy
from portal.access.kinds import RecordKind
from portal.api.scoped import ID, ScopedDetail, ScopedList
from portal.api.views import ERRORS
from qol_survey.models import Invitation, Response
from qol_survey.serializers import InvitationSerializer, ResponseSerializer

INVITATION_SCOPE = policy.describe(RecordKind.QOL_INVITATION)
RESPONSE_SCOPE = policy.describe(RecordKind.QOL_RESPONSE)


def invitations(user):
    return (
        Invitation.objects.visible_to(user)
        .select_related("patient", "diagnosis", "team__organisation")
        .order_by("-invited_on", "id")
    )


def responses(user):
    """Responses with everything the serializer and the FHIR builder read, in one query."""
    return (
        Response.objects.visible_to(user)
        .select_related("patient", "diagnosis", "team__organisation", "value_set")
        .order_by("-submitted_at", "id")
    )


@extend_schema_view(
    get=extend_schema(
        tags=["quality of life survey"],
        summary="List the quality of life survey invitations you may see",
        description=f"{INVITATION_SCOPE} Newest first. Every invitation listed is recorded in the access log.",
        responses={200: InvitationSerializer, 401: ERRORS[401]},
    )
)
class InvitationList(ScopedList):
    serializer_class = InvitationSerializer

    def get_queryset(self):
        return invitations(self.request.user)


@extend_schema_view(
    get=extend_schema(
        tags=["quality of life survey"],
        summary="One quality of life survey invitation you may see",
        description=f"{INVITATION_SCOPE} One you may not see is 404, as if it did not exist.",
        parameters=[ID],
        responses={200: InvitationSerializer, 401: ERRORS[401], 404: ERRORS[404]},
    )
)
class InvitationDetail(ScopedDetail):
    serializer_class = InvitationSerializer
    not_found = "There is no invitation with this id that you may see"

    def get_queryset(self):
        return invitations(self.request.user)


@extend_schema_view(
    get=extend_schema(
        tags=["quality of life survey"],
        summary="List the quality of life survey responses you may see",
        description=f"{RESPONSE_SCOPE} Newest first, with answers and scores. Every response listed is "
        "recorded in the access log.",
        responses={200: ResponseSerializer, 401: ERRORS[401]},
    )
)
class ResponseList(ScopedList):
    serializer_class = ResponseSerializer

    def get_queryset(self):
        return responses(self.request.user)


@extend_schema_view(
    get=extend_schema(
        tags=["quality of life survey"],
        summary="One quality of life survey response you may see",
        description=f"{RESPONSE_SCOPE} One you may not see is 404, as if it did not exist.",
        parameters=[ID],
        responses={200: ResponseSerializer, 401: ERRORS[401], 404: ERRORS[404]},
    )
)
class ResponseDetail(ScopedDetail):
    serializer_class = ResponseSerializer
    not_found = "There is no response with this id that you may see"

    def get_queryset(self):
        return responses(self.request.user)
