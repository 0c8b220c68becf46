"""What the treatment summaries app shows on the portal's shared pages (ADR 0023): its section of the
patient page, and the words for its records in the access log. TreatmentSummariesConfig hands both
to the portal."""

from django.db.models import Prefetch

from portal.access import policy
from portal.access.kinds import RecordKind
from portal.people.hub import Entry, Section
from portal.ui.presenters import format_date
from treatment_summaries.models import PatientCopy, PracticeDelivery, SummaryVersion, TreatmentSummary
from treatment_summaries.presenters import STATUS_TAG
from treatment_summaries.presenters_inbox import STATE_TAG, STATES

TITLE = "Treatment summaries"


def _day(value) -> str:
    return format_date(value.date()) if value else ""


def _team_entry(summary) -> Entry | None:
    """The summary as its care team sees it: the newest version, opening the summary's page."""
    if not summary.shown_versions:
        return None
    version = summary.shown_versions[0]
    dates = [f"Started {_day(summary.created_at)}"]
    if version.signed_off_at:
        dates.append(f"signed off {_day(version.signed_off_at)}")
    if version.sent_at:
        dates.append(f"sent {_day(version.sent_at)}")
    diagnosis = version.diagnosis_text or "Diagnosis not recorded yet"
    return Entry(
        title=f"End of treatment summary, version {version.number}",
        url=f"/treatment-summaries/{summary.pk}/",
        status=version.get_status_display(),
        status_class=STATUS_TAG[version.status],
        when=summary.created_at,
        record=version,
        detail=f"{diagnosis}. {', '.join(dates)}. {summary.team.name}",
    )


def _practice_entry(delivery) -> Entry:
    """A version sent to the practice, as the practice reads it: its inbox entry."""
    version = delivery.version
    return Entry(
        title=f"End of treatment summary, version {version.number}",
        url=f"/treatment-summaries/inbox/{delivery.pk}/",
        status=dict(STATES)[delivery.state],
        status_class=STATE_TAG[delivery.state],
        when=delivery.created_at,
        record=delivery,
        detail=f"Sent {_day(version.sent_at)} by {version.summary.team.name}",
    )


def patient_sections(patient, user) -> list[Section]:
    """The care team sees each summary with its newest version; a GP practice the versions delivered
    to it, in its inbox. Anyone else (the policy table says who) sees no section."""
    if policy.care_team_of(user, RecordKind.SUMMARY, "read") is not None:
        versions = SummaryVersion.objects.visible_to(user).defer("pdf").order_by("-number")
        summaries = (
            TreatmentSummary.objects.visible_to(user)
            .filter(patient=patient)
            .select_related("team")
            .prefetch_related(Prefetch("versions", queryset=versions, to_attr="shown_versions"))
        )
        actions = []
        if policy.care_team_of(user, RecordKind.SUMMARY, "change") is not None:
            actions.append(("Write a treatment summary", f"/treatment-summaries/patients/{patient.pk}/start/"))
        entries = [entry for entry in map(_team_entry, summaries) if entry is not None]
        return [Section(TITLE, entries, "No treatment summaries yet.", actions)]
    if policy.practice_of(user, RecordKind.SUMMARY_DELIVERY, "read") is not None:
        deliveries = (
            PracticeDelivery.objects.visible_to(user)
            .filter(version__summary__patient=patient)
            .select_related("version__summary__team")
            .defer("version__pdf")
        )
        entries = [_practice_entry(d) for d in deliveries]
        return [Section(TITLE, entries, "No treatment summaries sent to your practice yet.")]
    return []


# Kinds named by the version they belong to: (path to the version number, words around it).
VERSIONED = {
    SummaryVersion: ("number", "Treatment summary v{}"),
    PracticeDelivery: ("version__number", "Treatment summary v{} in a practice inbox"),
    PatientCopy: ("version__number", "Patient copy of treatment summary v{}"),
}


def audit_record_labels(model, ids) -> dict[str, str]:
    """The access log's words for these records: "Treatment summary v1". The auditor may not read
    summaries (the policy table), so only the version number is read, never content."""
    if model not in VERSIONED:
        return {}
    path, words = VERSIONED[model]
    numbers = model._default_manager.filter(pk__in=ids).values_list("pk", path)  # unscoped-ok: numbers only
    return {str(pk): words.format(number) for pk, number in numbers}
