"""/fhir/ for follow-up (ADR 12, 0028). No trailing slashes, as FHIR clients expect. Included before
hna's FHIR URLs: its CarePlan read and search answer for hna's care plans and follow-up pathways."""

from django.urls import path

from followup import fhir_views

app_name = "followup_fhir"

urlpatterns = [
    # str, not uuid: a malformed id reaches the view and gets an OperationOutcome 404.
    path("CarePlan", fhir_views.CarePlanSearch.as_view(), name="fhir-followup-careplan-search"),
    path("CarePlan/<str:pathway_id>", fhir_views.CarePlanRead.as_view(), name="fhir-followup-careplan"),
    path("ServiceRequest", fhir_views.ServiceRequestSearch.as_view(), name="fhir-servicerequest-search"),
    path("ServiceRequest/<str:test_id>", fhir_views.ServiceRequestRead.as_view(), name="fhir-servicerequest"),
    path("Observation", fhir_views.ObservationSearch.as_view(), name="fhir-observation-search"),
    path("Observation/<str:result_id>", fhir_views.ObservationRead.as_view(), name="fhir-observation"),
]
