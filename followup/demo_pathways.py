"""Follow-up demo stages for pathways (ADR 0027): a colorectal patient on patient-initiated
follow-up, a breast patient on professional-led follow-up, a prostate patient, a suspended
pathway, and a prostate patient waiting to be stratified with a STRATIFY item on the worklist.
Made through the services, and skipped when an earlier run made them."""

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from followup.models import OPEN_PATHWAY_STATUSES, Pathway, PathwayKind, ProtocolVersion, VersionStatus
from followup.path_signals import stratify_link
from followup.services import pathways
from followup.services.pathways import stratify_item_source
from portal.people.demo import Stage, team_of
from portal.worklist.services import raise_item

# Demo patient indexes this part uses (portal/people/demo.py: team_of(i) = i % 3).
COLORECTAL_PIFU, COLORECTAL_SUSPENDED, PROSTATE, PROSTATE_WAITING, BREAST_PROFESSIONAL = 4, 7, 2, 5, 21
STRATIFIER = {0: "cns.breast", 1: "cns.colorectal", 2: "cns.prostate"}
SLUG = {0: "breast-default", 1: "colorectal-default", 2: "prostate-default"}
TRIGGERS = {
    0: ["A new lump in your breast or armpit", "Pain in your bones that does not go away"],
    1: ["Blood in your poo", "Losing weight without trying", "A change in your bowel habit for 3 weeks or more"],
    2: ["Pain in your back, hips or bones", "Problems peeing or blood in your pee"],
}


def _put_on(world, index, kind, months_ago, rationale) -> Pathway:
    patient, team_index = world.patient(index), team_of(index)
    team = world.teams[team_index]
    existing = Pathway.objects.filter(patient=patient, team=team, status__in=OPEN_PATHWAY_STATUSES).first()
    if existing is not None:
        return existing
    anchor = timezone.localdate() - relativedelta(months=months_ago)
    pifu = kind == PathwayKind.PATIENT_INITIATED
    return pathways.stratify(
        actor=world.user(STRATIFIER[team_index]),
        patient=patient,
        team=team,
        kind=kind,
        protocol_version=ProtocolVersion.objects.get(protocol__slug=SLUG[team_index], status=VersionStatus.PUBLISHED),
        anchor_date=anchor,
        rationale=rationale,
        pifu_start=anchor if pifu else None,
        pifu_end=anchor + relativedelta(years=5) if pifu else None,
        trigger_symptoms=TRIGGERS[team_index],
        named_contact=world.user(STRATIFIER[team_index]).get_full_name(),
        team_phone=team.phone,
    )


def stages(world) -> list:
    made = [
        Stage(
            "Follow-up: colorectal, patient-initiated with remote monitoring",
            _put_on(world, COLORECTAL_PIFU, PathwayKind.PATIENT_INITIATED, 4, "Low risk after surgery").patient,
        ),
        Stage(
            "Follow-up: breast, professional-led",
            _put_on(
                world, BREAST_PROFESSIONAL, PathwayKind.PROFESSIONAL_LED, 2, "Close margins: clinic review"
            ).patient,
        ),
        Stage(
            "Follow-up: prostate, patient-initiated with PSA monitoring",
            _put_on(world, PROSTATE, PathwayKind.PATIENT_INITIATED, 1, "Stable after radiotherapy").patient,
        ),
    ]
    suspended = _put_on(world, COLORECTAL_SUSPENDED, PathwayKind.PATIENT_INITIATED, 8, "Low risk after surgery")
    if suspended.status != "suspended":
        pathways.suspend(actor=world.user("cns.colorectal"), pathway=suspended, reason="Raised CEA: seen in clinic")
    made.append(Stage("Follow-up: colorectal pathway suspended (raised CEA)", suspended.patient))
    waiting = world.patient(PROSTATE_WAITING)
    team = world.teams[team_of(PROSTATE_WAITING)]
    if not Pathway.objects.filter(patient=waiting, team=team, status__in=OPEN_PATHWAY_STATUSES).exists():
        _raise_stratify(waiting, team)
    made.append(Stage("Follow-up: waiting to be stratified (on the prostate team's worklist)", waiting))
    return made


def _raise_stratify(waiting, team):
    raise_item(
        **stratify_item_source(waiting, team),
        patient=waiting,
        team=team,
        title=f"Choose a follow-up pathway for {waiting}",
        link=stratify_link(waiting),
        system_actor="demo",
    )
