"""/fhir/Composition: cancer care reviews (ADR 0047). Included at /fhir/ in portal/urls.py, before
portal.fhir.urls (whose catch-all answers any other /fhir/ address). No trailing slashes, as FHIR
clients expect. Only reviews are Compositions: were another app to make one, the type would move to
portal.fhir.urls' shared read and search, as CarePlan did."""

from django.urls import path

from care_reviews import fhir_views

app_name = "care_reviews_fhir"

urlpatterns = [
    path("Composition", fhir_views.CompositionSearch.as_view(), name="fhir-composition-search"),
    # str, not uuid: a malformed id reaches the view and gets an OperationOutcome 404.
    path("Composition/<str:review_id>", fhir_views.CompositionRead.as_view(), name="fhir-composition"),
]
