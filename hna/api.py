"""Read-only API for HNAs and care plans. Same rules as the patients API (ADR 10): every query
starts from `visible_to(user)`, another team's record is a 404 with the words of a missing one,
lists are paginated and cost the same queries whatever their length, and every record shown is
audited (one event per row, naming its patient, in one insert)."""

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from hna.models import Assessment, CarePlan, CarePlanItem, ConcernAnswer
from hna.serializers import AssessmentSerializer, CarePlanSerializer
from portal.api.views import ERRORS, ApiView, Pagination
from portal.audit.services import audit_view, audit_view_many


def assessments_visible_to(user):
    """Assessments with everything the serializer and FHIR builders read, in a fixed number of queries."""
    ticked = (
        ConcernAnswer.objects.filter(ticked=True)
        .select_related("item__category")
        .order_by("item__category__position", "item__position", "item__text")
    )
    return (
        Assessment.objects.visible_to(user)
        .select_related("patient", "team__organisation", "checklist_version")
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


class ScopedList(ApiView, generics.ListAPIView):
    pagination_class = Pagination

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit_view_many(request, [(record.patient, record) for record in page])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ScopedDetail(ApiView, generics.RetrieveAPIView):
    not_found = "There is no record with this id that you may see"

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            # Same words whether the record does not exist, is not yours to see, or the id is malformed.
            raise NotFound(self.not_found) from None

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        audit_view(request, record.patient, record)
        return Response(self.get_serializer(record).data)


ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)
SCOPE = (
    "Care-team staff see their team's patients' records; GP and practice staff those of patients "
    "registered at their practice; patients their own."
)


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
        description="An assessment of a patient outside your care team or practice is 404, as if it did not exist.",
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
        description=f"{SCOPE} GP staff see only agreed plans the patient chose to share; patients only their "
        "agreed plans. Every version of a plan is listed; `previous` links a version to the one it amends. "
        "Every plan listed is recorded in the access log.",
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
        description="A plan you may not see is 404, as if it did not exist.",
        parameters=[ID],
        responses={200: CarePlanSerializer, 401: ERRORS[401], 404: ERRORS[404]},
    )
)
class CarePlanDetail(ScopedDetail):
    serializer_class = CarePlanSerializer
    not_found = "There is no care plan with this id that you may see"

    def get_queryset(self):
        return care_plans_visible_to(self.request.user)
