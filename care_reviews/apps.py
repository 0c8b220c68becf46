from django.apps import AppConfig


class CareReviewsConfig(AppConfig):
    name = "care_reviews"
    verbose_name = "Cancer care reviews"
