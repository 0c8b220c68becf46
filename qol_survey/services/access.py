"""Opening an invitation without an account (issue 12 item 5, ADR 0037): the emailed link's token or
the letter's short code, with the respondent's date of birth. As the HNA passcodes (ADR 0019, 0022):
one message for an unknown token and a wrong date; wrong dates count on the invitation and lock it
at QOL_DOB_ATTEMPTS (the care team told once per lock); a per-address throttle counts only wrong
guesses, so respondents who get in use up nothing of a shared clinic tablet's limit.

Also what a respondent changes through an opened invitation: the draft, answer by answer, and
opting out of the survey."""

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.access import policy
from portal.access.throttle import Throttle
from portal.audit.models import Action
from portal.audit.services import record
from portal.people.models import Patient
from portal.worklist.models import Kind, Priority
from portal.worklist.services import close_for_source, raise_item
from qol_survey.models import Invitation, InvitationStatus
from qol_survey.services import scoring, tokens

ATTEMPTS_WINDOW_SECONDS = 15 * 60  # the pages say "wait 15 minutes"
LOCKED_SOURCE = "qol_survey.invitation.locked"
SYSTEM_ACTOR = "qol-survey"


class Outcome(StrEnum):
    OPENED = "opened"  # the right token or code and date of birth
    NOT_RIGHT = "not_right"  # one message for an unknown token or code and a wrong date of birth
    LOCKED = "locked"  # QOL_DOB_ATTEMPTS wrong dates: nothing typed opens it now


@dataclass(frozen=True)
class Attempt:
    outcome: Outcome
    invitation: Invitation | None = None
    wrong_guess: bool = False  # what the per-address throttle counts


def _throttle() -> Throttle:
    return Throttle("qol-survey-dob", limit=settings.QOL_ATTEMPTS_PER_IP, window=ATTEMPTS_WINDOW_SECONDS)


def too_many_attempts(ip: str | None) -> bool:
    """True once this address has made QOL_ATTEMPTS_PER_IP wrong guesses in 15 minutes. Counts nothing."""
    return ip is not None and _throttle().blocked(ip)


def _invitations():
    return Invitation.objects.select_related("patient", "team")


def by_link(token: str, date_of_birth, *, ip: str | None = None) -> Attempt:
    invitation_id = tokens.parse_link(token)
    invitation = _invitations().filter(pk=invitation_id).first() if invitation_id else None
    if invitation is not None and not tokens.matches(invitation, token=token):
        invitation = None
    return _counted(_attempt(invitation, date_of_birth), ip)


def by_code(code: str, date_of_birth, *, ip: str | None = None) -> Attempt:
    serial = tokens.parse_code(code)
    invitation = _invitations().filter(serial=serial).first() if serial is not None else None
    if invitation is not None and not tokens.matches(invitation, code=code):
        invitation = None
    return _counted(_attempt(invitation, date_of_birth), ip)


def _counted(result: Attempt, ip) -> Attempt:
    if ip is not None and result.wrong_guess:
        _throttle().hit(ip)
    return result


def _attempt(invitation, date_of_birth) -> Attempt:
    if invitation is None:
        return Attempt(Outcome.NOT_RIGHT, wrong_guess=True)
    right_date = invitation.patient.date_of_birth == date_of_birth
    if invitation.locked_at is None and not right_date and _count_failure(invitation):
        return Attempt(Outcome.LOCKED, invitation, wrong_guess=True)
    if invitation.locked_at is not None:
        return Attempt(Outcome.LOCKED, invitation, wrong_guess=not right_date)
    if not right_date:
        return Attempt(Outcome.NOT_RIGHT, wrong_guess=True)
    return Attempt(Outcome.OPENED, invitation)


@transaction.atomic
def _count_failure(invitation) -> bool:
    """One more wrong date; True when the invitation is locked now. Both updates are atomic in the
    database, so parallel guesses all count, and only the one that locks tells the team."""
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(failed_attempts=F("failed_attempts") + 1, updated_at=now)
    locked_now = Invitation.objects.filter(
        pk=invitation.pk, failed_attempts__gte=settings.QOL_DOB_ATTEMPTS, locked_at__isnull=True
    ).update(locked_at=now)
    if locked_now:
        invitation.locked_at = now
        record(Action.FAILED_SIGN_IN, system_actor=SYSTEM_ACTOR, patient=invitation.patient, obj=invitation)
        if invitation.team_id:
            raise_item(
                kind=Kind.OTHER,
                patient=invitation.patient,
                team=invitation.team,
                source_type=LOCKED_SOURCE,
                source_id=invitation.pk,
                title=f"Quality of life survey locked for {invitation.patient.full_name}: call them",
                priority=Priority.HIGH,  # someone cannot get in, or someone else is guessing
                link=f"/quality-of-life/team/paper/{invitation.pk}/",  # where the team unlocks it
                system_actor=SYSTEM_ACTOR,
            )
        return True
    return Invitation.objects.filter(pk=invitation.pk, locked_at__isnull=False).exists()  # a parallel guess


@transaction.atomic
def unlock(invitation, *, actor) -> Invitation:
    """The care team has called the patient and checked who they are: the link and code open again
    with the right date of birth. The wrong-date count starts again, the "locked" work item closes,
    and the unlock is in the access log. Unlocking one that is not locked changes nothing."""
    policy.require(actor, invitation, "change")
    locked = Invitation.objects.select_for_update().select_related("patient").get(pk=invitation.pk)
    if locked.locked_at is None:
        return locked
    Invitation.objects.filter(pk=locked.pk).update(failed_attempts=0, locked_at=None, updated_at=timezone.now())
    record(Action.UPDATE, actor=actor, patient=locked.patient, obj=locked)
    close_for_source(kind=Kind.OTHER, source_type=LOCKED_SOURCE, source_id=locked.pk, actor=actor)
    locked.refresh_from_db()
    return locked


def current(invitation_id) -> Invitation | None:
    """The invitation a respondent's session opened, read fresh for every page."""
    return _invitations().filter(pk=invitation_id).first() if invitation_id else None


def resume_position(invitation, steps) -> int | None:
    """The first step (1-based) not yet answered or skipped, or None when every one has been."""
    draft = invitation.draft or {}
    for number, (instrument, item) in enumerate(steps, start=1):
        if item not in (draft.get(instrument) or {}):
            return number
    return None


@transaction.atomic
def save_answer(invitation, instrument: str, item: str, answer: int | None, *, request=None) -> dict:
    """Keep one answer in the draft at once (None: skipped), so they can stop and carry on. An answer
    outside the item's scale raises scoring.AnswerError naming it, and nothing is saved."""
    scoring.check_answers({item: answer}, scoring.definition(instrument))
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open:
        raise ClosedNow(locked)
    draft = dict(locked.draft or {})
    draft[instrument] = {**(draft.get(instrument) or {}), item: answer}
    Invitation.objects.filter(pk=locked.pk).update(draft=draft, updated_at=timezone.now())
    invitation.draft = draft
    record(Action.UPDATE, request=request, patient=invitation.patient, obj=invitation)
    return draft


class ClosedNow(Exception):
    """The invitation closed (answered in another tab, expired, opted out) since the page opened."""

    def __init__(self, invitation):
        self.invitation = invitation
        super().__init__(f"invitation {invitation.pk} is {invitation.status}")


@transaction.atomic
def opt_out(invitation, *, request=None) -> Invitation:
    """They do not want to take part: no more invitations or reminders for this or any diagnosis
    (Patient.survey_opt_out), and this invitation closed unless it was already answered. Saying it
    twice changes nothing more."""
    locked = Invitation.objects.select_for_update().select_related("patient").get(pk=invitation.pk)
    now = timezone.now()
    if not locked.patient.survey_opt_out:
        Patient.objects.filter(pk=locked.patient_id).update(survey_opt_out=True, updated_at=now)
        record(Action.UPDATE, request=request, patient=locked.patient, obj=locked.patient)
    if locked.status != InvitationStatus.RESPONDED and locked.status != InvitationStatus.OPTED_OUT:
        Invitation.objects.filter(pk=locked.pk).update(status=InvitationStatus.OPTED_OUT, closed_at=now, updated_at=now)
        record(Action.UPDATE, request=request, patient=locked.patient, obj=locked)
    locked.refresh_from_db()
    return locked
