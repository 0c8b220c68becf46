"""Included last under /fhir/ in portal/urls.py, after every app's FHIR URLs: the resource types more
than one app makes (each app offers its records through AppConfig.fhir_sources), then, for any other
address, an OperationOutcome 404."""

from django.urls import path, re_path

from portal.fhir.views import SharedTypeRead, SharedTypeSearch, not_found

urlpatterns = [
    # CarePlan: hna's care and support plans and follow-up's pathways.
    path("CarePlan", SharedTypeSearch.as_view(resource_type="CarePlan"), name="fhir-careplan-search"),
    # str, not uuid: a malformed id reaches the view and gets an OperationOutcome 404.
    path("CarePlan/<str:plan_id>", SharedTypeRead.as_view(resource_type="CarePlan"), name="fhir-careplan"),
    # QuestionnaireResponse: hna's assessments and the quality of life survey's responses.
    path(
        "QuestionnaireResponse",
        SharedTypeSearch.as_view(resource_type="QuestionnaireResponse"),
        name="fhir-questionnaireresponse-search",
    ),
    path(
        "QuestionnaireResponse/<str:response_id>",
        SharedTypeRead.as_view(resource_type="QuestionnaireResponse"),
        name="fhir-questionnaireresponse",
    ),
    re_path(r"^.*$", not_found),
]
