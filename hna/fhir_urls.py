"""/fhir/ for HNAs (ADR 12). No trailing slashes, as FHIR clients expect. Care plans are CarePlan, a type
follow-up makes too, and assessments QuestionnaireResponse, as the quality of life survey's responses
are: portal.fhir.urls serves both types for every app (HnaConfig.fhir_sources, ADR 0040)."""

from django.urls import path

from hna import fhir_views

app_name = "fhir"

urlpatterns = [
    # str, not uuid: a malformed id reaches the view and gets an OperationOutcome 404.
    path("Questionnaire/<str:version_id>", fhir_views.QuestionnaireRead.as_view(), name="fhir-questionnaire"),
]
