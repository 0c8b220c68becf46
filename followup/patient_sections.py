"""The follow-up section of the staff patient page (ADR 0023): the patient's pathways, as far as
the policy table lets this user see them (the care team, and the GP practice read-only)."""

from django.db.models import Min, Q

from followup.models import Pathway
from followup.path_queries import STATUS_TAGS, WAITING, may_stratify
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.people.hub import Entry, Section


def _entry(pathway) -> Entry:
    next_due = f"next test due {pathway.next_due:%-d %B %Y}" if pathway.next_due else "no test planned"
    return Entry(
        title=f"{pathway.get_kind_display()} follow-up",
        url=f"/follow-up/patients/{pathway.patient_id}/",
        status=pathway.get_status_display(),
        status_class=STATUS_TAGS[pathway.status],
        when=pathway.created_at,
        record=pathway,
        detail=f"{pathway.team.name}, {pathway.protocol_version}; {next_due}",
    )


def patient_sections(patient, user) -> list:
    if policy.role_name(user) == policy.PATIENT or not policy.may(user, RecordKind.FOLLOWUP_PATHWAY, "read"):
        return []  # the patient has their own "My care" pages
    found = (
        Pathway.objects.visible_to(user)
        .filter(patient=patient)
        .select_related("team", "protocol_version__protocol")
        .annotate(next_due=Min("tests__due_date", filter=Q(tests__status__in=WAITING)))
    )
    actions = [("Choose a follow-up pathway", f"/follow-up/patients/{patient.pk}/stratify/")]
    return [
        Section(
            title="Follow-up",
            entries=[_entry(p) for p in found],
            empty="Not on a follow-up pathway.",
            actions=actions if may_stratify(user, patient) else [],
        )
    ]
