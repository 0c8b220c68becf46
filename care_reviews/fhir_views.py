"""FHIR Composition read and search for cancer care reviews (ADR 0047), on the shared base
(portal.fhir.views): reviews come from `care_reviews.api.reviews` (`visible_to(user)`, the policy
table), so the page, the API and FHIR answer from one row; every review shown is audited."""

from care_reviews import fhir
from care_reviews.api import reviews
from portal.fhir.views import FhirView


class CompositionRead(FhirView):
    def get(self, request, review_id):
        return self.read(reviews(request.user), review_id, "Composition", fhir.composition)


class CompositionSearch(FhirView):
    def get(self, request):
        return self.search(reviews(request.user), fhir.composition)
