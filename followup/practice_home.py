"""What the follow-up app puts on the GP practice's home (ADR 0049), read-only: how many of the
practice's patients are on each kind of follow-up, how many were brought back to clinic, and who has
a test overdue (so no one is lost to follow-up without their GP knowing), with the oldest named.

The practice reads pathways and tests, never results or what the patient wrote (the policy table);
through `visible_to(user)` only, in three queries however many patients."""

from django.db.models import Count, Q
from django.utils import timezone

from followup.models import OPEN_PATHWAY_STATUSES, Pathway, PathwayKind, PathwayStatus, SurveillanceTest
from followup.path_queries import WAITING
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.people import hub
from portal.ui.presenters import format_date

LISTED = 5  # overdue tests named on the home, oldest first; each patient's page has the rest
POSITION = 30
ACTIVE = Q(status=PathwayStatus.ACTIVE)


def _patients(where) -> Count:
    # A patient may follow up with two teams: count people, not pathways.
    return Count("patient", filter=where, distinct=True)


def practice_home_sections(user) -> list[hub.HomeSection]:
    if policy.practice_of(user, RecordKind.FOLLOWUP_PATHWAY, "read") is None:
        return []
    today = timezone.localdate()
    on = Pathway.objects.visible_to(user).aggregate(
        pifu=_patients(ACTIVE & Q(kind=PathwayKind.PATIENT_INITIATED)),
        professional=_patients(ACTIVE & Q(kind=PathwayKind.PROFESSIONAL_LED)),
        suspended=_patients(Q(status=PathwayStatus.SUSPENDED)),
    )
    overdue = SurveillanceTest.objects.visible_to(user).filter(
        status__in=WAITING, due_date__lt=today, pathway__status__in=OPEN_PATHWAY_STATUSES
    )
    late = overdue.aggregate(patients=Count("pathway__patient", distinct=True), tests=Count("pk"))
    oldest = overdue.select_related("pathway__patient", "pathway__team", "test_type").order_by("due_date", "pk")
    entries = [
        hub.HomeEntry(
            title=test.pathway.patient.full_name,
            url=f"/follow-up/patients/{test.pathway.patient_id}/",
            patient=test.pathway.patient,
            record=test,
            detail=f"{test.test_type.name} was due {format_date(test.due_date)} ({test.pathway.team.name})",
        )
        for test in oldest[:LISTED]
    ]
    return [
        hub.HomeSection(
            title="Your patients' follow-up",
            # No practice-wide list to link: each patient's follow-up is on their page, read-only.
            counts=[
                hub.Count("on patient-initiated follow-up (PIFU)", on["pifu"]),
                hub.Count("on professional-led follow-up", on["professional"]),
                hub.Count("brought back to clinic (follow-up suspended)", on["suspended"]),
                hub.Count("with a test overdue", late["patients"]),
            ],
            link=("Find a patient to see their follow-up plan and tests", "/patients/"),
            entries=entries,
            entries_title="Follow-up tests overdue",
            more=max(0, late["tests"] - len(entries)),
            position=POSITION,
        )
    ]
