"""What the follow-up app shows on the portal's shared pages (ADR 0023): its sections of the patient
page and the words for its records in the access log."""

from followup.patient_sections import patient_sections  # noqa: F401  (FollowupConfig hands it on)


def audit_record_labels(model, ids) -> dict:
    return {}
