"""/fhir/DocumentReference: sent end-of-treatment summaries (ADR 12). Included at /fhir/ in
portal/urls.py, before portal.fhir.urls (whose catch-all answers any other /fhir/ address)."""

from django.urls import path

from treatment_summaries import fhir_views

app_name = "treatment_summaries_fhir"

urlpatterns = [
    path("DocumentReference", fhir_views.DocumentReferenceSearch.as_view(), name="fhir-documentreference-search"),
    # str, not uuid: a malformed id reaches the view and gets an OperationOutcome 404.
    path(
        "DocumentReference/<str:version_id>",
        fhir_views.DocumentReferenceRead.as_view(),
        name="fhir-documentreference",
    ),
]
