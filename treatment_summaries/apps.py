from django.apps import AppConfig


class TreatmentSummariesConfig(AppConfig):
    name = "treatment_summaries"
    verbose_name = "Treatment summaries"

    # What the portal's shared pages ask every app (ADR 0023); imported late: models load after apps.
    def patient_sections(self, patient, user):
        from treatment_summaries.portal_pages import patient_sections

        return patient_sections(patient, user)

    def audit_record_labels(self, model, ids):
        from treatment_summaries.portal_pages import audit_record_labels

        return audit_record_labels(model, ids)

    def practice_home_sections(self, user):
        """The inbox's counts and the GP actions not answered yet, on the practice's home (ADR 0049)."""
        from treatment_summaries.practice_home import practice_home_sections

        return practice_home_sections(user)

    def demo_stages(self, world):
        """Demo patients at each stage of a treatment summary, for seed_demo (ADR 0023)."""
        from treatment_summaries.demo import demo_stages

        return demo_stages(world)

    def demo_after(self, world, stages):
        """A summary signed off by a CNS, with the tests of a pathway follow-up's demo made (ADR 0054)."""
        from treatment_summaries.demo import demo_after

        demo_after(world, stages)
