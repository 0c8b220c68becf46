"""/fhir/ for follow-up (ADR 12, 0028). No trailing slashes, as FHIR clients expect. A pathway's
CarePlan is served at hna's CarePlan routes, by the shared read (FollowupConfig.fhir_sources)."""

from django.urls import path

from followup import fhir_views

app_name = "followup_fhir"

urlpatterns = [
    # str, not uuid: a malformed id reaches the view and gets an OperationOutcome 404.
    path("ServiceRequest", fhir_views.ServiceRequestSearch.as_view(), name="fhir-servicerequest-search"),
    path("ServiceRequest/<str:test_id>", fhir_views.ServiceRequestRead.as_view(), name="fhir-servicerequest"),
    path("Observation", fhir_views.ObservationSearch.as_view(), name="fhir-observation-search"),
    path("Observation/<str:result_id>", fhir_views.ObservationRead.as_view(), name="fhir-observation"),
]
