"""Health and wellbeing."""

from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    name = "wellbeing"
    verbose_name = "Health and wellbeing"

    def my_care_links(self, user):
        """My care links the sessions and the patient's bookings (ADR 0023's hook)."""
        return [
            ("Wellbeing sessions you can book", "/wellbeing/sessions/"),
            ("My bookings", "/wellbeing/my-bookings/"),
            ("Information and support: the resource library", "/wellbeing/resources/"),
            ("Support services you can contact", "/wellbeing/directory/"),
        ]

    def my_care_sections(self, user):
        """ "Suggested for you" from the patient's latest HNA (ADR 0044)."""
        from wellbeing.portal_pages import my_care_sections

        return my_care_sections(user)

    def care_plan_sections(self, patient, user):
        """The same suggestions beside the care plan, for the staff who build it."""
        from wellbeing.portal_pages import care_plan_sections

        return care_plan_sections(patient, user)

    def signposting_choices(self, concern_codes):
        """Library and directory picks for another app's form (portal.signposting, ADR 0044)."""
        from wellbeing import signposting

        return signposting.choices(concern_codes)

    def signposting_lines(self, picked):
        from wellbeing import signposting

        return signposting.lines(picked)

    def demo_stages(self, world):
        """Sessions in every category and state, and bookings, for seed_demo (ADR 0023, ADR 0042)."""
        from wellbeing.demo import demo_stages

        return demo_stages(world)
