"""FHIR R4 read and search endpoints under /fhir/ (ADR 12). DRF views, so API tokens and staff
sessions authenticate exactly as on /api/; every answer is `application/fhir+json`, errors are
OperationOutcome resources, and patient data is scoped with `visible_to` and audited."""

import json
import re
import uuid

import nhs_number
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, ParseError, PermissionDenied
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from hna import fhir
from hna.api import assessments_visible_to, care_plans_visible_to
from hna.models import ChecklistVersion
from portal.audit.services import audit_view, audit_view_many
from portal.people.roles import role_in_use

ISSUE_CODES = {400: "invalid", 401: "login", 403: "forbidden", 404: "not-found", 429: "throttled"}
NHS_NUMBER_SHAPE = re.compile(r"[0-9]{10}")
SEARCH_LIMIT = 100  # a patient has a handful of HNAs and plans; more than this is not a real patient


class FhirJSONRenderer(JSONRenderer):
    media_type = fhir.FHIR_JSON
    format = "fhir"


class AlwaysFhirJSON(BaseContentNegotiation):
    """FHIR JSON whatever the Accept header asks for (we serve no XML, and `application/json` clients
    read it fine), so a client never gets a 406 instead of its data."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def fhir_exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not a request error: Django logs it and answers 500
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    code = ISSUE_CODES.get(response.status_code, "not-supported" if response.status_code < 500 else "exception")
    response.data = fhir.operation_outcome(code, str(detail) or "The request could not be processed")
    return response


def not_found(request, *args, **kwargs):
    """Any other /fhir/ address: an OperationOutcome rather than the site's HTML page."""
    outcome = fhir.operation_outcome("not-found", "This server has no FHIR endpoint at this address")
    return HttpResponse(json.dumps(outcome), status=404, content_type=fhir.FHIR_JSON)


@extend_schema(exclude=True)  # FHIR is described by the FHIR specification, not our OpenAPI schema
class FhirView(APIView):
    renderer_classes = [FhirJSONRenderer]
    content_negotiation_class = AlwaysFhirJSON
    parser_classes: list = []  # read only: GET has no body

    def get_exception_handler(self):
        return fhir_exception_handler

    def base(self) -> str:
        return self.request.build_absolute_uri("/fhir")

    @staticmethod
    def lookup(queryset, raw_id: str, resource_type: str):
        """The record, or a 404 with the same words for a malformed, unknown or out-of-scope id."""
        try:
            pk = uuid.UUID(raw_id)
        except ValueError:
            pk = None
        record = queryset.filter(pk=pk).first() if pk else None
        if record is None:
            raise NotFound(f"There is no {resource_type} with this id that you may see")
        return record

    def nhs_number_searched(self) -> str:
        """`?patient=9434765919` or `?patient=https://fhir.nhs.uk/Id/nhs-number|9434765919`."""
        values = self.request.query_params.getlist("patient")
        if len(values) != 1:
            raise ParseError("Search by one patient: give their NHS number, like ?patient=9434765919")
        system, bar, number = values[0].rpartition("|")
        if bar and system != fhir.NHS_NUMBER_SYSTEM:
            raise ParseError(f"Give the patient as an NHS number, with the system {fhir.NHS_NUMBER_SYSTEM} or none")
        number = number.replace(" ", "")
        if not NHS_NUMBER_SHAPE.fullmatch(number) or not nhs_number.is_valid(number):
            raise ParseError("The patient search parameter must be a valid 10-digit NHS number")
        return number

    def search(self, queryset, build) -> Response:
        records = list(queryset.filter(patient__nhs_number=self.nhs_number_searched())[:SEARCH_LIMIT])
        audit_view_many(self.request, [(record.patient, record) for record in records])
        base = self.base()
        resources = [build(record, base=base) for record in records]
        return Response(fhir.searchset(resources, base=base, self_url=self.request.build_absolute_uri()))


class QuestionnaireRead(FhirView):
    """A checklist version. Not patient data: any staff member may read it; nothing is audited."""

    def get(self, request, version_id):
        if role_in_use(request.user) is None:
            raise PermissionDenied("Only staff can read questionnaires")
        version = self.lookup(ChecklistVersion.objects.all(), version_id, "Questionnaire")
        categories = version.categories.prefetch_related("items").order_by("position", "name")
        current = ChecklistVersion.current()
        resource = fhir.questionnaire(
            version, categories, base=self.base(), current=current is not None and current.pk == version.pk
        )
        return Response(resource)


class QuestionnaireResponseRead(FhirView):
    def get(self, request, assessment_id):
        assessment = self.lookup(assessments_visible_to(request.user), assessment_id, "QuestionnaireResponse")
        audit_view(request, assessment.patient, assessment)
        return Response(fhir.questionnaire_response(assessment, base=self.base()))


class QuestionnaireResponseSearch(FhirView):
    def get(self, request):
        return self.search(assessments_visible_to(request.user), fhir.questionnaire_response)


class CarePlanRead(FhirView):
    def get(self, request, plan_id):
        plan = self.lookup(care_plans_visible_to(request.user), plan_id, "CarePlan")
        audit_view(request, plan.patient, plan)
        return Response(fhir.care_plan(plan, base=self.base()))


class CarePlanSearch(FhirView):
    def get(self, request):
        return self.search(care_plans_visible_to(request.user), fhir.care_plan)
