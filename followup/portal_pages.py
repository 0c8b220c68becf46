"""What the follow-up app shows on the portal's shared pages (ADR 0023): its sections of the patient
page and the words for its records in the access log."""

from followup.models import CheckIn, Concern, Pathway, Result, SurveillanceTest
from followup.patient_sections import patient_sections  # noqa: F401  (FollowupConfig hands it on)

FIXED_LABELS = {Pathway: "Follow-up pathway", CheckIn: "Follow-up check-in", Concern: "Follow-up concern"}


def audit_record_labels(model, ids) -> dict:
    """The access log's words for these records: "Follow-up pathway", "CEA test", "CEA result". The
    auditor may not read follow-up records (the policy table), so only the test code is read, never
    a value, a date or what the patient wrote."""
    if model in FIXED_LABELS:
        return dict.fromkeys(ids, FIXED_LABELS[model])
    if model is SurveillanceTest:
        codes = SurveillanceTest.objects.filter(pk__in=ids).values_list(
            "pk", "test_type__code"
        )  # unscoped-ok: codes only
        return {str(pk): f"{code} test" for pk, code in codes}
    if model is Result:
        codes = Result.objects.filter(pk__in=ids).values_list("pk", "test_code")  # unscoped-ok: codes only
        return {str(pk): f"{code} result" for pk, code in codes}
    return {}
