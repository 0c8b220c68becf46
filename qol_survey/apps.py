from django.apps import AppConfig


class QolSurveyConfig(AppConfig):
    name = "qol_survey"
    verbose_name = "Quality of life survey"

    def my_care_links(self, user):
        """My care links the patient's quality of life report once they have sent a survey (ADR 0037)."""
        from qol_survey.views_answer_report import has_report

        return [("Your quality of life survey report", "/quality-of-life/mine/")] if has_report(user) else []
