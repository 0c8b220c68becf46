"""Stratification: a clinician or CNS puts a patient on a follow-up pathway, and then amends it,
suspends or reactivates it, and moves, adds or cancels its tests. Every change goes through
followup.services.history, so it is kept as append-only history; every actor is checked against
the policy table first (PermissionDenied)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from followup.models import (
    OPEN_PATHWAY_STATUSES,
    Pathway,
    PathwayChange,
    PathwayKind,
    PathwayStatus,
    SurveillanceTest,
    TestChange,
    TestStatus,
    VersionStatus,
)
from followup.services import history
from followup.services.schedule import planned_tests
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.audit.models import Action
from portal.audit.services import record
from portal.people.models import Role
from portal.people.roles import role_in_use
from portal.worklist.models import Kind
from portal.worklist.services import close_for_source

# Who chooses a pathway: a clinician or a CNS (the issue); a support worker may read it only.
STRATIFIERS = (Role.CLINICIAN, Role.CNS)
ANCHOR_MONTHS_AHEAD = 12
AMENDABLE = ("rationale", "pifu_start", "pifu_end", "trigger_symptoms", "named_contact", "team_phone", "checkin_months")


def stratify_item_source(patient, team) -> dict:
    """The STRATIFY worklist item of this patient with this team (raised at summary sign-off)."""
    # One open item per patient and team (source_id holds one id only, so the team goes in the type).
    return {"kind": Kind.STRATIFY, "source_type": f"followup.stratify:{team.pk}", "source_id": str(patient.pk)}


def _require_stratifier(actor):
    role = role_in_use(actor) if policy.role_name(actor) not in (None, policy.PATIENT) else None
    if role is None or role.role not in STRATIFIERS:
        raise PermissionDenied("Only a clinician or a clinical nurse specialist can change a follow-up pathway")


def _clean_triggers(trigger_symptoms) -> list[str]:
    return [s.strip() for s in (trigger_symptoms or []) if s and s.strip()]


def _check_window(pifu_start, pifu_end, kind):
    errors = {}
    if kind == PathwayKind.PATIENT_INITIATED and pifu_start is None:
        errors["pifu_start"] = "Enter the date the patient-initiated follow-up window starts"
    if kind == PathwayKind.PATIENT_INITIATED and pifu_end is None:
        errors["pifu_end"] = "Enter the date the patient-initiated follow-up window ends"
    if pifu_start and pifu_end and pifu_end < pifu_start:
        errors["pifu_end"] = "The end of the follow-up window cannot be before its start"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def stratify(
    *,
    actor,
    patient,
    team,
    kind,
    protocol_version,
    anchor_date: datetime.date,
    rationale="",
    pifu_start=None,
    pifu_end=None,
    trigger_symptoms=(),
    named_contact="",
    team_phone="",
    checkin_months=None,
) -> Pathway:
    """Create the pathway and its surveillance tests from the protocol version's steps."""
    _require_stratifier(actor)
    policy.require_team(actor, team, RecordKind.FOLLOWUP_PATHWAY, "change")
    policy.require_for_patient(actor, RecordKind.FOLLOWUP_PATHWAY, patient)
    errors = {}
    if kind not in PathwayKind.values:
        errors["kind"] = "Select professional-led or patient-initiated follow-up"
    if protocol_version is None or protocol_version.status != VersionStatus.PUBLISHED:
        errors["protocol_version"] = "Select a published protocol"
    if anchor_date is None:
        errors["anchor_date"] = "Enter the anchor date (such as the end of treatment)"
    elif anchor_date > timezone.localdate() + relativedelta(months=ANCHOR_MONTHS_AHEAD):
        # A planned end of treatment is a date ahead, but not years ahead: that is a typing slip
        # (2099 for 2029), and every test would be planned for decades away.
        errors["anchor_date"] = f"The anchor date can be at most {ANCHOR_MONTHS_AHEAD} months from today"
    if errors:
        raise ValidationError(errors)
    # The protocol's window (pifu_months) is the default end, as its checkin_months is the default
    # check-in interval: the clinician gives the start and may give a different end.
    if pifu_end is None and pifu_start is not None and protocol_version.pifu_months:
        pifu_end = pifu_start + relativedelta(months=protocol_version.pifu_months)
    _check_window(pifu_start, pifu_end, kind)
    if pifu_end is not None and pifu_end < anchor_date:
        raise ValidationError({"pifu_end": "The end of the follow-up window cannot be before the anchor date"})
    planned = planned_tests(protocol_version, anchor_date)
    # A step that starts before its anchor would be a date in the past of the plan itself.
    if any(due < anchor_date for _, due in planned):
        raise ValidationError({"anchor_date": "A test would fall due before the anchor date; check the protocol"})
    if Pathway.objects.filter(patient=patient, team=team, status__in=OPEN_PATHWAY_STATUSES).exists():
        raise ValidationError("This patient already has an open follow-up pathway with this team")
    pathway = Pathway(
        patient=patient,
        team=team,
        kind=kind,
        protocol_version=protocol_version,
        anchor_date=anchor_date,
        rationale=rationale.strip(),
        pifu_start=pifu_start,
        pifu_end=pifu_end,
        trigger_symptoms=_clean_triggers(trigger_symptoms),
        named_contact=named_contact.strip(),
        team_phone=team_phone.strip(),
        checkin_months=protocol_version.checkin_months if checkin_months is None else checkin_months,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            pathway.save()
    except IntegrityError as exc:  # two people stratifying at once: the partial unique index decides
        raise ValidationError("This patient already has an open follow-up pathway with this team") from exc
    PathwayChange.objects.create(
        pathway=pathway, by=actor, status_to=pathway.status, reason="Stratified", snapshot=history.snapshot(pathway)
    )
    tests = SurveillanceTest.objects.bulk_create(
        SurveillanceTest(pathway=pathway, test_type=step.test_type, step=step, due_date=due) for step, due in planned
    )
    TestChange.objects.bulk_create(
        TestChange(test=t, by=actor, status_to=t.status, due_to=t.due_date, reason="Planned from the protocol")
        for t in tests
    )
    close_for_source(**stratify_item_source(patient, team), actor=actor)
    record(Action.CREATE, actor=actor, patient=patient, obj=pathway)
    return pathway


def _locked(pathway) -> Pathway:
    return Pathway.objects.select_for_update().select_related("patient", "team").get(pk=pathway.pk)


def _reason(reason, field="reason") -> str:
    if not (reason or "").strip():
        raise ValidationError({field: "Enter the reason"})
    return reason.strip()


@transaction.atomic
def amend(*, actor, pathway, reason="Amended", **changes) -> Pathway:
    """Change the rationale, PIFU window, trigger symptoms, contact or check-in interval. The
    status does not change; the history row keeps the pathway as it now is."""
    _require_stratifier(actor)
    policy.require(actor, pathway)
    pathway = _locked(pathway)
    if pathway.status not in OPEN_PATHWAY_STATUSES:
        raise ValidationError("A closed pathway cannot be changed")
    unknown = set(changes) - set(AMENDABLE)
    if unknown:
        raise ValueError(f"not amendable: {sorted(unknown)}")
    if "trigger_symptoms" in changes:
        changes["trigger_symptoms"] = _clean_triggers(changes["trigger_symptoms"])
    for name in ("rationale", "named_contact", "team_phone"):
        if name in changes:
            changes[name] = (changes[name] or "").strip()
    for name, value in changes.items():
        setattr(pathway, name, value)
    if {"pifu_start", "pifu_end"} & set(changes):  # a window set at stratification may not be emptied
        _check_window(pathway.pifu_start, pathway.pifu_end, pathway.kind)
    pathway.save(update_fields=[*changes, "updated_at"])
    PathwayChange.objects.create(
        pathway=pathway,
        by=actor,
        status_from=pathway.status,
        status_to=pathway.status,
        reason=_reason(reason),
        snapshot=history.snapshot(pathway),
    )
    record(Action.UPDATE, actor=actor, patient=pathway.patient, obj=pathway)
    return pathway


def _move(actor, pathway, to, reason) -> Pathway:
    _require_stratifier(actor)
    policy.require(actor, pathway)
    reason = _reason(reason)
    pathway = _locked(pathway)
    try:
        history.change_pathway_status(pathway, to, actor=actor, reason=reason)
    except history.BadTransition as exc:
        raise ValidationError(str(exc)) from exc
    record(Action.UPDATE, actor=actor, patient=pathway.patient, obj=pathway)
    return pathway


@transaction.atomic
def suspend(*, actor, pathway, reason) -> Pathway:
    return _move(actor, pathway, PathwayStatus.SUSPENDED, reason)


@transaction.atomic
def reactivate(*, actor, pathway, reason) -> Pathway:
    return _move(actor, pathway, PathwayStatus.ACTIVE, reason)


def _open_pathway_for_test(actor, pathway):
    _require_stratifier(actor)
    policy.require(actor, pathway)
    if pathway.status not in OPEN_PATHWAY_STATUSES:
        raise ValidationError("The tests of a closed pathway cannot be changed")


def _not_before_anchor(pathway, due_date, field="due_date"):
    if due_date is None:
        raise ValidationError({field: "Enter the date the test is due"})
    if due_date < pathway.anchor_date:
        raise ValidationError(
            {field: f"The due date cannot be before the anchor date ({pathway.anchor_date:%-d %B %Y})"}
        )


@transaction.atomic
def add_test(*, actor, pathway, test_type, due_date, reason) -> SurveillanceTest:
    _open_pathway_for_test(actor, pathway)
    reason = _reason(reason)
    _not_before_anchor(pathway, due_date)
    test = SurveillanceTest.objects.create(pathway=pathway, test_type=test_type, due_date=due_date)
    TestChange.objects.create(test=test, by=actor, status_to=test.status, due_to=due_date, reason=reason)
    record(Action.CREATE, actor=actor, patient=pathway.patient, obj=test)
    return test


def _locked_test(actor, test) -> SurveillanceTest:
    test = SurveillanceTest.objects.select_for_update(of=("self",)).select_related("pathway__patient").get(pk=test.pk)
    _open_pathway_for_test(actor, test.pathway)
    return test


@transaction.atomic
def move_test(*, actor, test, due_date, reason) -> SurveillanceTest:
    test = _locked_test(actor, test)
    reason = _reason(reason)
    _not_before_anchor(test.pathway, due_date)
    if test.status not in (TestStatus.SCHEDULED, TestStatus.REQUESTED, TestStatus.MISSED):
        raise ValidationError("Only a test still waiting for its result can be moved")
    history.change_test_status(test, test.status, actor=actor, reason=reason, due_to=due_date)
    record(Action.UPDATE, actor=actor, patient=test.pathway.patient, obj=test)
    return test


@transaction.atomic
def cancel_test(*, actor, test, reason) -> SurveillanceTest:
    test = _locked_test(actor, test)
    reason = _reason(reason)
    try:
        history.change_test_status(test, TestStatus.CANCELLED, actor=actor, reason=reason)
    except history.BadTransition as exc:
        raise ValidationError("Only a test still waiting for its result can be cancelled") from exc
    test.cancelled_reason = reason
    test.save(update_fields=["cancelled_reason", "updated_at"])
    record(Action.UPDATE, actor=actor, patient=test.pathway.patient, obj=test)
    return test
