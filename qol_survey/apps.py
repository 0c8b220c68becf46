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
