from django.apps import AppConfig


class CareReviewsConfig(AppConfig):
    name = "care_reviews"
    verbose_name = "Cancer care reviews"

    def my_care_links(self, user):
        """My care links the patient's reviews and asking for one (ADR 0023's hook)."""
        return [("Your cancer care reviews, and asking your GP for one", "/care-reviews/mine/")]
