from django.apps import AppConfig


class QolSurveyConfig(AppConfig):
    name = "qol_survey"
    verbose_name = "Quality of life survey"
