"""/fhir/ for HNAs and care plans (ADR 12). No trailing slashes, as FHIR clients expect."""

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
    path("CarePlan", fhir_views.CarePlanSearch.as_view(), name="fhir-careplan-search"),
    path("CarePlan/<str:plan_id>", fhir_views.CarePlanRead.as_view(), name="fhir-careplan"),
]
