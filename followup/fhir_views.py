"""FHIR R4 reads and searches for follow-up, on the shared base (portal.fhir.views): records come
from `visible_to(user)` (the policy table) and every one shown is audited.

CarePlan is two things here: hna's care and support plan and follow-up's pathway. One read and one
search answer for both (followup.fhir_urls is included before hna's in portal/urls.py), so an id
of either resolves and a search returns both (ADR 0028)."""

from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from followup import fhir
from followup.api import pathways, results_of, tests
from hna import fhir as hna_fhir
from hna.api import care_plans_visible_to
from portal.fhir.resources import searchset
from portal.fhir.views import SEARCH_LIMIT, FhirView


def through_pathway(record):
    return record.pathway.patient


class CarePlanRead(FhirView):
    def get(self, request, pathway_id=None, plan_id=None):
        # Reached by either app's route name: hna's (plan_id) or ours (pathway_id); the same id space.
        raw_id = pathway_id or plan_id
        try:
            return self.read(care_plans_visible_to(request.user), raw_id, "CarePlan", hna_fhir.care_plan)
        except NotFound:
            return self.read(pathways(request.user), raw_id, "CarePlan", fhir.care_plan)


class CarePlanSearch(FhirView):
    def get(self, request):
        number = self.nhs_number_searched()
        plans = list(care_plans_visible_to(request.user).filter(patient__nhs_number=number)[:SEARCH_LIMIT])
        followups = list(pathways(request.user).filter(patient__nhs_number=number)[:SEARCH_LIMIT])
        self.audit([*plans, *followups], lambda r: r.patient)
        base = self.base()
        resources = [hna_fhir.care_plan(p, base=base) for p in plans] + [
            fhir.care_plan(p, base=base) for p in followups
        ]
        return Response(searchset(resources, base=base, self_url=request.build_absolute_uri()))


class ServiceRequestRead(FhirView):
    def get(self, request, test_id):
        queryset = tests(request.user).select_related("pathway__patient", "pathway__team__organisation")
        return self.read(queryset, test_id, "ServiceRequest", fhir.service_request, through_pathway)


class ServiceRequestSearch(FhirView):
    def get(self, request):
        queryset = tests(request.user).select_related("pathway__patient", "pathway__team__organisation")
        return self.search(queryset, fhir.service_request, "pathway__patient", through_pathway)


class ObservationRead(FhirView):
    def get(self, request, result_id):
        queryset = results_of(request.user).select_related("test__test_type")
        return self.read(queryset, result_id, "Observation", fhir.observation)


class ObservationSearch(FhirView):
    def get(self, request):
        return self.search(results_of(request.user).select_related("test__test_type"), fhir.observation)
