from django.apps import AppConfig


class QolSurveyConfig(AppConfig):
    name = "qol_survey"
    verbose_name = "Quality of life survey"

    def demo_stages(self, world):
        """Demo patients at each stage of the quality of life survey, for seed_demo (ADR 0023, 0036)."""
        from qol_survey.demo import demo_stages

        return demo_stages(world)
