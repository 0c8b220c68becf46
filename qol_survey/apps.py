from django.apps import AppConfig


class QolSurveyConfig(AppConfig):
    name = "qol_survey"
    verbose_name = "Quality of life survey"

    def demo_stages(self, world):
        """Demo patients at each stage of the quality of life survey, for seed_demo (ADR 0023, 0036)."""
        from qol_survey.demo import demo_stages

        return demo_stages(world)

    def my_care_links(self, user):
        """My care links the patient's quality of life report once they have sent a survey (ADR 0037)."""
        from qol_survey.views_answer_report import has_report

        return [("Your quality of life survey report", "/quality-of-life/mine/")] if has_report(user) else []

    # What the portal's shared pages ask every app (ADR 0023); imported late: models load after apps.
    def patient_sections(self, patient, user):
        from qol_survey.portal_pages import patient_sections

        return patient_sections(patient, user)

    def care_plan_sections(self, patient, user):
        """Beside a care and support plan: the patient's survey scores over time (ADR 0038)."""
        from qol_survey.portal_pages import care_plan_sections

        return care_plan_sections(patient, user)

    def audit_record_labels(self, model, ids):
        from qol_survey.portal_pages import audit_record_labels

        return audit_record_labels(model, ids)

    def fhir_sources(self):
        """What this app serves of the FHIR types apps share (portal.fhir.views.shared_sources)."""
        from qol_survey import fhir
        from qol_survey.api import responses

        return {"QuestionnaireResponse": [(responses, fhir.questionnaire_response)]}
