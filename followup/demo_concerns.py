"""Re-entry demo stages (seed_demo, ADR 0023 and 0030), made through the same services the pages call:

- demo patient 1 (colorectal, signs in as patient.two) on PIFU with a concern they raised, still open,
  and a check-in waiting for their answer;
- demo patient 16 (colorectal) on PIFU with a concern the CNS has triaged amber and answered with advice;
- demo patient 11 (prostate, professional-led) with a PSA symptom check-in not answered, overdue.

The pathway is made here (the pathways part builds its own service in parallel); a patient who
already has a follow-up pathway is left as they are, so a second run makes nothing."""

import datetime

from django.utils import timezone

from followup.models import (
    CheckIn,
    Concern,
    Pathway,
    PathwayChange,
    PathwayKind,
    PathwayStatus,
    ProtocolVersion,
    Rating,
    SurveillanceTest,
    VersionStatus,
)
from followup.services import concerns
from followup.services.history import snapshot
from followup.services.schedule import planned_tests
from portal.people.demo import Stage

OPEN_CONCERN, TRIAGED_CONCERN, UNANSWERED = 1, 16, 11
COLORECTAL_SYMPTOMS = [
    "Bleeding from your bottom or blood in your poo",
    "A change in your bowel habit that lasts more than 3 weeks",
    "Losing weight without trying",
    "A lump or pain in your tummy",
]
PROSTATE_SYMPTOMS = ["Pain in your bones or back that does not go away", "Problems peeing or blood in your pee"]


def stages(world) -> list:
    cns = world.user("cns.colorectal")
    made = [
        (OPEN_CONCERN, "On PIFU with a concern they raised, not yet triaged, and a check-in to answer", _open),
        (TRIAGED_CONCERN, "On PIFU with a concern triaged amber and answered with advice", _triaged),
        (UNANSWERED, "Professional-led follow-up with a PSA check-in not answered in 14 days", _unanswered),
    ]
    out = []
    for index, what, make in made:
        patient = world.patient(index)
        if not Pathway.objects.filter(patient=patient).exists():
            make(world, cns, patient)
        out.append(Stage(what, patient))
    return out


def _pathway(patient, team, by, kind, slug, symptoms, contact, phone) -> Pathway:
    today = timezone.localdate()
    anchor = today - datetime.timedelta(days=200)
    version = ProtocolVersion.objects.get(protocol__slug=slug, status=VersionStatus.PUBLISHED)
    pathway = Pathway.objects.create(
        patient=patient,
        team=team,
        kind=kind,
        protocol_version=version,
        anchor_date=anchor,
        rationale="Low risk after treatment; confident to self-manage" if kind == PathwayKind.PATIENT_INITIATED else "",
        pifu_start=anchor if kind == PathwayKind.PATIENT_INITIATED else None,
        pifu_end=anchor + datetime.timedelta(days=5 * 365) if kind == PathwayKind.PATIENT_INITIATED else None,
        trigger_symptoms=symptoms,
        named_contact=contact,
        team_phone=phone,
        created_by=by,
    )
    SurveillanceTest.objects.bulk_create(
        SurveillanceTest(pathway=pathway, test_type=step.test_type, step=step, due_date=due)
        for step, due in planned_tests(version, anchor)
    )
    PathwayChange.objects.create(
        pathway=pathway, by=by, status_to=PathwayStatus.ACTIVE, reason="Demo", snapshot=snapshot(pathway)
    )
    return pathway


def _colorectal(world, cns, patient) -> Pathway:
    team = world.teams[1]
    contact = f"{cns.get_full_name()}, colorectal CNS"
    return _pathway(
        patient, team, cns, PathwayKind.PATIENT_INITIATED, "colorectal-default", COLORECTAL_SYMPTOMS,
        contact, team.phone,
    )  # fmt: skip


def _checkin(pathway, days_ago):
    sent = timezone.now() - datetime.timedelta(days=days_ago)
    return CheckIn.objects.create(
        pathway=pathway, sent_at=sent, due_by=timezone.localdate(sent) + datetime.timedelta(days=14)
    )


def _open(world, cns, patient) -> Concern:
    pathway = _colorectal(world, cns, patient)
    _checkin(pathway, days_ago=2)
    return concerns.raise_concern(
        patient.user, pathway, COLORECTAL_SYMPTOMS[1:2], "Loose for about a month now, and more tired than usual."
    )


def _triaged(world, cns, patient) -> Concern:
    pathway = _colorectal(world, cns, patient)
    concern = concerns.raise_concern(
        cns, pathway, COLORECTAL_SYMPTOMS[3:4], "Phoned: aching on the right side for a week.", on_behalf=True
    )
    concern = concerns.triage(cns, concern, Rating.AMBER, "No red flags on the phone; see how it goes")
    return concerns.record_outcome(cns, concern, Concern.Outcome.ADVICE, "Painkillers; call again if no better")


def _unanswered(world, cns, patient) -> CheckIn:
    team = world.teams[2]
    pathway = _pathway(
        patient, team, None, PathwayKind.PROFESSIONAL_LED, "prostate-default", PROSTATE_SYMPTOMS, "",
        team.phone,
    )  # fmt: skip
    return _checkin(pathway, days_ago=20)
