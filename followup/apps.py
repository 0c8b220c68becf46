from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = "Follow-up and remote monitoring"

    def ready(self):
        from followup import path_signals  # noqa: F401  (a signed-off summary raises a STRATIFY item)

    # What the portal's shared pages ask every app (ADR 0023); imported late: models load after apps.
    def patient_sections(self, patient, user):
        from followup.portal_pages import patient_sections

        return patient_sections(patient, user)

    def audit_record_labels(self, model, ids):
        from followup.portal_pages import audit_record_labels

        return audit_record_labels(model, ids)

    def practice_home_sections(self, user):
        """The practice's patients on follow-up and their overdue tests, read-only (ADR 0049)."""
        from followup.practice_home import practice_home_sections

        return practice_home_sections(user)

    def my_care_links(self, user):
        """My care links the patient's follow-up pages when they have an open pathway (ADR 0030)."""
        from followup.patient_views import has_followup

        return (
            [("Your follow-up plan, tests and symptoms to look out for", "/follow-up/mine/")]
            if has_followup(user)
            else []
        )

    def demo_stages(self, world):
        """Demo patients at each stage of follow-up, for seed_demo (ADR 0023)."""
        from followup.demo import demo_stages

        return demo_stages(world)

    def fhir_sources(self):
        """What this app serves of the FHIR types apps share (portal.fhir.views.shared_sources)."""
        from followup import fhir
        from followup.api import pathways

        return {"CarePlan": [(pathways, fhir.care_plan)]}

    def surveillance_plan(self, patient, team, user):
        """The tests planned on the patient's open pathway with this team, as plain rows (ADR 0054)."""
        from followup.surveillance_plan import surveillance_plan

        return surveillance_plan(patient, team, user)
