"""API views: thin. Every query starts from `Patient.objects.visible_to(user)`, so another
team's or practice's patient is a 404, and every response that shows a patient is audited."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, permissions
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from portal.api import services
from portal.api.errors import ErrorSerializer, SafeJSONParser
from portal.api.pagination import MAX_OFFSET, Pagination  # noqa: F401 - app modules import them from here
from portal.api.schema import DESCRIPTIONS
from portal.api.serializers import PatientSerializer
from portal.audit.services import audit_view, audit_view_many
from portal.people.models import Patient


class MayCreatePatients(permissions.BasePermission):
    message = "Only care-team staff (nurse specialists, support workers, clinicians) can add patients"

    def has_permission(self, request, view):
        return request.method != "POST" or services.can_create_patients(request.user)


class ApiView(generics.GenericAPIView):
    # JSON in and out only: no browsable API (its pages need inline script our CSP forbids).
    parser_classes = [SafeJSONParser]
    renderer_classes = [JSONRenderer]


# Views and app modules may still name these in `responses=`; portal.api.schema adds them anyway,
# in the same words, to every operation they apply to.
ERRORS = {code: OpenApiResponse(ErrorSerializer, description=text) for code, text in DESCRIPTIONS.items()}


def patients_visible_to(user):
    # One query for the page, one for all its care teams, whatever the page size.
    return (
        Patient.objects.visible_to(user)
        .select_related("registered_practice")
        .prefetch_related("care_teams")
        .order_by("family_name", "given_name", "id")
    )


@extend_schema_view(
    get=extend_schema(
        tags=["patients"],
        summary="List the patients you may see",
        description="Care-team staff see their team's patients; GP and practice staff see patients registered "
        "at their practice; patients see themselves. Every patient listed is recorded in the access log.",
        responses={200: PatientSerializer, 401: ERRORS[401]},
    ),
    post=extend_schema(
        tags=["patients"],
        summary="Add a patient to your care team",
        description="Care-team roles only. The new patient joins the care team of the role in use.",
        responses={201: PatientSerializer, **{code: ERRORS[code] for code in (400, 401, 403)}},
    ),
)
class PatientList(ApiView, generics.ListCreateAPIView):
    serializer_class = PatientSerializer
    pagination_class = Pagination
    permission_classes = [permissions.IsAuthenticated, MayCreatePatients]

    def get_queryset(self):
        return patients_visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit_view_many(request, [(patient, None) for patient in page])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def perform_create(self, serializer):
        serializer.instance = services.create_patient(request=self.request, fields=serializer.validated_data)


@extend_schema_view(
    get=extend_schema(
        tags=["patients"],
        summary="One patient you may see",
        description="A patient outside your care team or practice is 404, as if they did not exist.",
        parameters=[OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses={200: PatientSerializer, 401: ERRORS[401], 404: ERRORS[404]},
    )
)
class PatientDetail(ApiView, generics.RetrieveAPIView):
    serializer_class = PatientSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return patients_visible_to(self.request.user)

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            # Same words whether the patient does not exist or is not yours to see.
            raise NotFound("There is no patient with this id that you may see") from None

    def retrieve(self, request, *args, **kwargs):
        patient = self.get_object()
        audit_view(request, patient)
        return Response(self.get_serializer(patient).data)
