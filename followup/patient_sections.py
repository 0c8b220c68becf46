"""The follow-up sections of the patient page (ADR 0023)."""


def patient_sections(patient, user) -> list:
    return []
