from django.apps import AppConfig


class HnaConfig(AppConfig):
    name = "hna"
    verbose_name = "Holistic needs assessments and care plans"

    # What the portal's shared pages ask every app (ADR 0023); imported late: models load after apps.
    def patient_sections(self, patient, user):
        from hna.portal_pages import patient_sections

        return patient_sections(patient, user)

    def audit_record_labels(self, model, ids):
        from hna.portal_pages import audit_record_labels

        return audit_record_labels(model, ids)

    def demo_stages(self, world):
        """Demo patients at each stage of the HNA journey, for seed_demo (ADR 0023)."""
        from hna.demo import demo_stages

        return demo_stages(world)

    def demo_after(self, world, stages):
        """Three months of past HNAs and care plans for the patients no stage uses (the alliance report)."""
        from hna.demo_history import demo_after

        demo_after(world, stages)

    def fhir_sources(self):
        """What this app serves of the FHIR types apps share (portal.fhir.views.shared_sources)."""
        from hna import fhir
        from hna.api import assessments_visible_to, care_plans_visible_to

        return {
            "CarePlan": [(care_plans_visible_to, fhir.care_plan)],
            "QuestionnaireResponse": [(assessments_visible_to, fhir.questionnaire_response)],
        }
