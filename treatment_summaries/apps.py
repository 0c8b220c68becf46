from django.apps import AppConfig


class TreatmentSummariesConfig(AppConfig):
    name = "treatment_summaries"
    verbose_name = "Treatment summaries"
