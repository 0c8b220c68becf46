from django.apps import AppConfig


class QolSurveyConfig(AppConfig):
    name = "qol_survey"
    verbose_name = "Quality of life survey"

    def fhir_sources(self):
        """What this app serves of the FHIR types apps share (portal.fhir.views.shared_sources)."""
        from qol_survey import fhir
        from qol_survey.api import responses

        return {"QuestionnaireResponse": [(responses, fhir.questionnaire_response)]}
