from django.apps import AppConfig


class HnaConfig(AppConfig):
    name = "hna"
    verbose_name = "Holistic needs assessments and care plans"
