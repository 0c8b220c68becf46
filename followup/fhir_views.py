"""FHIR R4 reads and searches for follow-up, on the shared base (portal.fhir.views): records come
from `visible_to(user)` (the policy table) and every one shown is audited.

A pathway is a CarePlan, as hna's care and support plan is: that type is served by the shared read
and search (portal.fhir.views.SharedTypeRead), which ask FollowupConfig.fhir_sources for pathways."""

from followup import fhir
from followup.api import results_of, tests
from portal.fhir.views import FhirView


def through_pathway(record):
    return record.pathway.patient


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
