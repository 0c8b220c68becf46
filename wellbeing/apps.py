"""Health and wellbeing."""

from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    name = "wellbeing"
    verbose_name = "Health and wellbeing"

    def my_care_links(self, user):
        """My care links the sessions and the patient's bookings (ADR 0023's hook)."""
        return [("Wellbeing sessions you can book", "/wellbeing/sessions/"), ("My bookings", "/wellbeing/my-bookings/")]

    def demo_stages(self, world):
        """Sessions in every category and state, and bookings, for seed_demo (ADR 0023, ADR 0042)."""
        from wellbeing.demo import demo_stages

        return demo_stages(world)
