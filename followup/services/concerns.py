"""Re-entry (PIFU): a patient (or staff, after a phone call) raises a concern about a symptom; the
team triages it red/amber/green, records what was done and closes it (ADR 0030). Each change is
written to the append-only ConcernChange history and audited in the same transaction."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from followup.models import Concern, ConcernChange, ConcernStatus, PathwayKind, PathwayStatus, Rating
from followup.working_days import add_working_days
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.audit.models import Action
from portal.audit.services import record
from portal.people.models import Role
from portal.people.roles import role_in_use

# Rating a concern is a clinical judgement: support workers may take the call but not triage it.
TRIAGE_ROLES = frozenset({Role.CNS, Role.CLINICIAN})
RED_CUT_OFF = datetime.time(17, 0)  # a red concern is answered the same day, by 5pm


class NotNow(ValidationError):
    """The pathway takes no concerns today (not PIFU, not active, outside its window). The message
    says who to call instead."""


def who_to_call(pathway) -> str:
    contact = pathway.named_contact or "your care team"
    phone = f" on {pathway.team_phone}" if pathway.team_phone else f" at {pathway.team.name}"
    return f"Call {contact}{phone}, or your GP. If you need help now, call 111. In an emergency, call 999."


def window_open(pathway, today=None) -> bool:
    """Whether the patient can raise a concern through the portal today."""
    today = today or timezone.localdate()
    return (
        pathway.kind == PathwayKind.PATIENT_INITIATED
        and pathway.status == PathwayStatus.ACTIVE
        and (pathway.pifu_start is None or pathway.pifu_start <= today)
        and (pathway.pifu_end is None or today <= pathway.pifu_end)
    )


def respond_by(raised_at, rating: str):
    """The response target: red the same day by 5pm (at once if raised later); otherwise
    FOLLOWUP_CONCERN_RESPONSE_WORKING_DAYS working days, by the end of that day."""
    local = timezone.localtime(raised_at)
    if rating == Rating.RED:
        cut_off = local.replace(hour=RED_CUT_OFF.hour, minute=0, second=0, microsecond=0)
        return max(cut_off, local)
    day = add_working_days(local.date(), settings.FOLLOWUP_CONCERN_RESPONSE_WORKING_DAYS)
    return local.replace(year=day.year, month=day.month, day=day.day, hour=RED_CUT_OFF.hour, minute=0, second=0)


def _check_raiser(actor, pathway, on_behalf):
    if policy.role_name(actor) == policy.PATIENT:
        # The patient writes about themselves: they need only to see their own pathway.
        policy.require(actor, pathway, "read")
        if on_behalf:
            raise PermissionDenied("Only staff raise a concern on a patient's behalf")
        return
    policy.require(actor, pathway, "change")
    policy.require_for_patient(actor, RecordKind.CONCERN, pathway.patient)
    if not on_behalf:
        raise PermissionDenied("Staff raise a concern only on the patient's behalf")


def _change(concern, actor, status_from, rating_from, reason=""):
    ConcernChange.objects.create(
        concern=concern,
        by=actor,
        status_from=status_from,
        status_to=concern.status,
        rating_from=rating_from,
        rating_to=concern.rating,
        reason=reason,
    )


@transaction.atomic
def raise_concern(actor, pathway, symptoms, details, on_behalf=False):
    """A new concern on the team's triage queue, from the pathway's trigger symptoms and free text.
    Refused (NotNow, saying who to call) outside the PIFU window."""
    _check_raiser(actor, pathway, on_behalf)
    if not window_open(pathway):
        raise NotNow(f"You cannot raise a concern through the portal at the moment. {who_to_call(pathway)}")
    reason = "Raised on the patient's behalf after a phone call" if on_behalf else "Raised by the patient"
    return open_concern(actor, pathway, symptoms, details, on_behalf=on_behalf, reason=reason)


def open_concern(raised_by, pathway, symptoms, details, *, on_behalf=False, rating="", reason=""):
    """Create the concern, its first history row and its audit row. Called only by services that have
    checked `raised_by` already (raise_concern; answer_checkin, whose red flag opens one rated red)."""
    symptoms = list(dict.fromkeys(symptoms))
    unknown = [s for s in symptoms if s not in pathway.trigger_symptoms]
    if unknown:
        not_listed = ", ".join(unknown)
        raise ValidationError({"symptoms": f"These are not on your list of symptoms: {not_listed}"})
    details = (details or "").strip()
    if not symptoms and not details:
        raise ValidationError({"symptoms": "Select a symptom or describe what is worrying you"})
    concern = Concern.objects.create(
        pathway=pathway,
        raised_by=raised_by,
        raised_on_behalf=on_behalf,
        symptoms=symptoms,
        details=details,
        rating=rating,
        # Untriaged, it is held to the ordinary target; a red flag to the same-day one.
        respond_by=respond_by(timezone.now(), rating or Rating.AMBER),
    )
    _change(concern, raised_by, "", "", reason)
    record(Action.CREATE, actor=raised_by, patient=pathway.patient, obj=concern)
    return concern


def _for_triage(actor, concern):
    policy.require(actor, concern, "change")
    role = role_in_use(actor)
    if role is None or role.role not in TRIAGE_ROLES:
        raise PermissionDenied("Only a CNS or clinician may triage a concern")
    return Concern.objects.select_for_update().select_related("pathway__patient").get(pk=concern.pk)


@transaction.atomic
def triage(actor, concern, rating, note=""):
    """Rate the concern (re-rating an open or triaged one is allowed); the target follows the rating."""
    concern = _for_triage(actor, concern)
    if rating not in Rating.values:
        raise ValidationError({"rating": "Select red, amber or green"})
    if concern.status == ConcernStatus.CLOSED:
        raise ValidationError({"rating": "This concern is closed"})
    was_status, was_rating = concern.status, concern.rating
    concern.rating = rating
    concern.status = ConcernStatus.TRIAGED
    concern.respond_by = respond_by(concern.created_at, rating)
    concern.triaged_at = timezone.now()
    concern.triaged_by = actor
    concern.save(update_fields=["rating", "status", "respond_by", "triaged_at", "triaged_by", "updated_at"])
    _change(concern, actor, was_status, was_rating, note.strip())
    record(Action.UPDATE, actor=actor, patient=concern.pathway.patient, obj=concern)
    return concern


@transaction.atomic
def record_outcome(actor, concern, outcome, note=""):
    """What was done (advice, tests, clinic, admission). The concern must have been triaged."""
    concern = _for_triage(actor, concern)
    if outcome not in Concern.Outcome.values:
        raise ValidationError({"outcome": "Select what was done"})
    if concern.status != ConcernStatus.TRIAGED:
        raise ValidationError({"outcome": "Triage the concern before recording its outcome"})
    concern.outcome = outcome
    concern.outcome_note = note.strip()
    concern.save(update_fields=["outcome", "outcome_note", "updated_at"])
    _change(concern, actor, concern.status, concern.rating, f"Outcome: {concern.get_outcome_display()}")
    record(Action.UPDATE, actor=actor, patient=concern.pathway.patient, obj=concern)
    return concern


@transaction.atomic
def close(actor, concern, note=""):
    """Close a concern once its outcome is recorded."""
    concern = _for_triage(actor, concern)
    if concern.status == ConcernStatus.CLOSED:
        raise ValidationError("This concern is already closed")
    if not concern.outcome:
        raise ValidationError({"outcome": "Record the outcome before closing the concern"})
    was = concern.status
    concern.status = ConcernStatus.CLOSED
    concern.closed_at = timezone.now()
    concern.closed_by = actor
    concern.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    _change(concern, actor, was, concern.rating, note.strip() or "Closed")
    record(Action.UPDATE, actor=actor, patient=concern.pathway.patient, obj=concern)
    return concern


def queue(user):
    """The open concerns the user may see (their team's queue): red first, then amber, untriaged and
    green; within each, the soonest target first."""
    order = Case(
        When(rating=Rating.RED, then=Value(0)),
        When(rating=Rating.AMBER, then=Value(1)),
        When(rating="", then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return (
        Concern.objects.visible_to(user)
        .exclude(status=ConcernStatus.CLOSED)
        .select_related("pathway__patient", "pathway__team")
        .annotate(rank=order)
        .order_by("rank", "respond_by")
    )
