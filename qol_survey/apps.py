from django.apps import AppConfig


class QolSurveyConfig(AppConfig):
    name = "qol_survey"
    verbose_name = "Quality of life survey"

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
