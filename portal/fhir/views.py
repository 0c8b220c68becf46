"""The base of every FHIR R4 read and search endpoint under /fhir/ (ADR 12). DRF views, so API tokens
and staff sessions authenticate exactly as on /api/; every answer is `application/fhir+json`; errors
are OperationOutcome resources; records come from the model's `visible_to(user)` (the policy table)
and every one shown is audited."""

import json
import re
import uuid

from django.apps import apps
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from portal.audit.models import Action
from portal.audit.services import record_many
from portal.fhir.resources import FHIR_JSON, NHS_NUMBER_SYSTEM, operation_outcome, searchset
from portal.people.validators import is_valid_nhs_number

ISSUE_CODES = {400: "invalid", 401: "login", 403: "forbidden", 404: "not-found", 429: "throttled"}
NHS_NUMBER_SHAPE = re.compile(r"[0-9]{10}")
SEARCH_LIMIT = 100  # a patient has a handful of records of each kind; more than this is not a real patient


class FhirJSONRenderer(JSONRenderer):
    media_type = FHIR_JSON
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
    response.data = operation_outcome(code, str(detail) or "The request could not be processed")
    return response


def not_found(request, *args, **kwargs):
    """Any other /fhir/ address: an OperationOutcome rather than the site's HTML page."""
    outcome = operation_outcome("not-found", "This server has no FHIR endpoint at this address")
    return HttpResponse(json.dumps(outcome), status=404, content_type=FHIR_JSON)


@extend_schema(exclude=True)  # FHIR is described by the FHIR specification, not our OpenAPI schema
class FhirView(APIView):
    renderer_classes = [FhirJSONRenderer]
    content_negotiation_class = AlwaysFhirJSON
    parser_classes: list = []  # read only: GET has no body
    # What showing a resource counts as in the access log; a resource carrying a whole document
    # (a PDF) is an export.
    audit_action = Action.VIEW

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
        if bar and system != NHS_NUMBER_SYSTEM:
            raise ParseError(f"Give the patient as an NHS number, with the system {NHS_NUMBER_SYSTEM} or none")
        number = number.replace(" ", "")
        if not NHS_NUMBER_SHAPE.fullmatch(number) or not is_valid_nhs_number(number):
            raise ParseError("The patient search parameter must be a valid 10-digit NHS number")
        return number

    def audit(self, records, patient_of) -> None:
        record_many(self.audit_action, [(patient_of(r), r) for r in records], request=self.request)

    def read(self, queryset, raw_id: str, resource_type: str, build, patient_of=lambda r: r.patient) -> Response:
        """GET [type]/[id]: one scoped record, audited, built into its resource."""
        found = self.lookup(queryset, raw_id, resource_type)
        self.audit([found], patient_of)
        return Response(build(found, base=self.base()))

    def search(self, queryset, build, patient_path="patient", patient_of=lambda r: r.patient) -> Response:
        """GET [type]?patient=<NHS number>: the scoped records of one patient, as a searchset Bundle."""
        number = self.nhs_number_searched()
        records = list(queryset.filter(**{f"{patient_path}__nhs_number": number})[:SEARCH_LIMIT])
        self.audit(records, patient_of)
        base = self.base()
        resources = [build(found, base=base) for found in records]
        return Response(searchset(resources, base=base, self_url=self.request.build_absolute_uri()))


def shared_sources(resource_type: str) -> list:
    """What every app offers for a resource type more than one app makes (CarePlan: hna's care and
    support plans and follow-up's pathways): (queryset_for(user), build) pairs from each AppConfig's
    `fhir_sources()`. portal imports no domain app, and no app imports another's FHIR code."""
    sources = []
    for config in apps.get_app_configs():
        offer = getattr(config, "fhir_sources", None)
        if callable(offer):
            sources.extend(offer().get(resource_type, []))
    return sources


class SharedTypeRead(FhirView):
    """GET [type]/[id] for a shared type: the first app whose scoped records hold the id answers."""

    resource_type = ""

    def get(self, request, **kwargs):
        (raw_id,) = kwargs.values()
        for queryset_for, build in shared_sources(self.resource_type):
            try:
                return self.read(queryset_for(request.user), raw_id, self.resource_type, build)
            except NotFound:
                continue
        raise NotFound(f"There is no {self.resource_type} with this id that you may see")


class SharedTypeSearch(FhirView):
    """GET [type]?patient=<NHS number> for a shared type: every app's scoped records, one Bundle."""

    resource_type = ""

    def get(self, request):
        number = self.nhs_number_searched()
        found = [
            (record, build)
            for queryset_for, build in shared_sources(self.resource_type)
            for record in queryset_for(request.user).filter(patient__nhs_number=number)[:SEARCH_LIMIT]
        ]
        self.audit([record for record, _ in found], lambda r: r.patient)
        base = self.base()
        resources = [build(record, base=base) for record, build in found]
        return Response(searchset(resources, base=base, self_url=request.build_absolute_uri()))
