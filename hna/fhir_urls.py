"""/fhir/ for HNAs (ADR 12). No trailing slashes, as FHIR clients expect. Care plans are CarePlan, a type
follow-up makes too: portal.fhir.urls serves it for both (HnaConfig.fhir_sources)."""

from django.urls import path

from hna import fhir_views

app_name = "fhir"

urlpatterns = [
    # str, not uuid: a malformed id reaches the view and gets an OperationOutcome 404.
    path("Questionnaire/<str:version_id>", fhir_views.QuestionnaireRead.as_view(), name="fhir-questionnaire"),
    path(
        "QuestionnaireResponse",
        fhir_views.QuestionnaireResponseSearch.as_view(),
        name="fhir-questionnaireresponse-search",
    ),
    path(
        "QuestionnaireResponse/<str:assessment_id>",
        fhir_views.QuestionnaireResponseRead.as_view(),
        name="fhir-questionnaireresponse",
    ),
]
