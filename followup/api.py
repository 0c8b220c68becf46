"""Follow-up API on the shared base (portal.api.scoped, ADR 10): read-only lists and details of
pathways, tests, results, check-ins and concerns, each scoped by the policy table, and POST of a
new result from a lab or GP system (201; 400 naming each field; 409 for a sample already here)."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.response import Response

from followup.models import CheckIn, Concern, Pathway, Result, SurveillanceTest
from followup.serializers import (
    CheckInSerializer,
    ConcernSerializer,
    NewResultSerializer,
    PathwaySerializer,
    ResultSerializer,
    SurveillanceTestSerializer,
)
from followup.services import results
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.api.errors import ErrorSerializer
from portal.api.scoped import ID, ScopedDetail, ScopedList
from portal.api.views import ERRORS
from portal.audit.services import audit_view_many


def pathways(user):
    return (
        Pathway.objects.visible_to(user)
        .select_related("patient", "team__organisation", "protocol_version__protocol")
        .order_by("-created_at", "id")
    )


def tests(user):
    return SurveillanceTest.objects.visible_to(user).select_related("pathway", "test_type").order_by("due_date", "id")


def results_of(user):
    return Result.objects.visible_to(user).select_related("patient").order_by("-sample_date", "id")


def checkins(user):
    return CheckIn.objects.visible_to(user).select_related("pathway__patient").order_by("-sent_at", "id")


def concerns(user):
    return Concern.objects.visible_to(user).select_related("pathway__patient").order_by("-created_at", "id")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This result is already here"


def through_pathway(record):
    return record.pathway.patient


def _views(
    name, serializer, queryset, kind, patient_of=None, not_found="There is no record with this id that you may see"
):
    """A list and a detail view of one kind, documented alike (the five kinds differ only in these)."""
    scope = policy.describe(kind)
    attrs = {"serializer_class": serializer, "get_queryset": lambda self: queryset(self.request.user)}
    if patient_of:
        attrs["patient_of"] = staticmethod(patient_of)
    listing = extend_schema_view(
        get=extend_schema(
            tags=["followup"],
            summary=f"List the {name} you may see",
            description=f"{scope} Every record listed is recorded in the access log.",
            responses={200: serializer, 401: ERRORS[401]},
        )
    )(type(f"{serializer.__name__[:-10]}List", (ScopedList,), dict(attrs)))
    detail = extend_schema_view(
        get=extend_schema(
            tags=["followup"],
            summary=f"One of the {name} you may see",
            description=f"{scope} One you may not see is 404, as if it did not exist.",
            parameters=[ID],
            responses={200: serializer, 401: ERRORS[401], 404: ERRORS[404]},
        )
    )(type(f"{serializer.__name__[:-10]}Detail", (ScopedDetail,), dict(attrs, not_found=not_found)))
    return listing, detail


PathwayList, PathwayDetail = _views(
    "follow-up pathways", PathwaySerializer, pathways, RecordKind.FOLLOWUP_PATHWAY,
    not_found="There is no pathway with this id that you may see",
)  # fmt: skip
TestList, TestDetail = _views(
    "surveillance tests", SurveillanceTestSerializer, tests, RecordKind.SURVEILLANCE_TEST, through_pathway,
    "There is no test with this id that you may see",
)  # fmt: skip
CheckInList, CheckInDetail = _views(
    "check-ins", CheckInSerializer, checkins, RecordKind.CHECK_IN, through_pathway,
    "There is no check-in with this id that you may see",
)  # fmt: skip
ConcernList, ConcernDetail = _views(
    "concerns", ConcernSerializer, concerns, RecordKind.CONCERN, through_pathway,
    "There is no concern with this id that you may see",
)  # fmt: skip
_ResultList, ResultDetail = _views(
    "results", ResultSerializer, results_of, RecordKind.TEST_RESULT,
    not_found="There is no result with this id that you may see",
)  # fmt: skip


@extend_schema_view(
    post=extend_schema(
        tags=["followup"],
        summary="Send a result",
        description="Care-team roles only. The result is matched to the patient's open test of that type "
        "nearest the sample date; one that matches nothing is kept, unmatched, for your team to match "
        "(the answer says why). The same NHS number, test code and sample date twice is 409.",
        request=NewResultSerializer,
        responses={
            201: ResultSerializer,
            **{code: ERRORS[code] for code in (400, 401, 403)},
            409: OpenApiResponse(ErrorSerializer, description="A result of this sample is already here"),
        },
    )
)
class ResultList(_ResultList):
    def post(self, request, *args, **kwargs):
        body = NewResultSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            result = results.record_result(actor=request.user, source=Result.Source.API, **body.validated_data)
        except results.DuplicateResult as error:
            raise Conflict(str(error)) from None
        except ValidationError as error:
            raise exceptions.ValidationError(getattr(error, "message_dict", None) or error.messages) from None
        # Shown back to the sender: audited like any record shown (the create itself is audited too).
        audit_view_many(request, [(result.patient, result)] if result.patient else [])
        return Response(ResultSerializer(result).data, status=status.HTTP_201_CREATED)
