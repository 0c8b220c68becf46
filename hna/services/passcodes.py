"""Passcodes: made with `secrets` from an alphabet without look-alikes, stored only as a keyed
hash, expiring, one live per assessment, locked after 5 wrong dates of birth (and the care team
told); the forms that take them are throttled per client IP, counting only wrong guesses."""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from hna.models import Passcode
from hna.models.passcode import MAX_FAILED_ATTEMPTS, PASSCODE_ALPHABET, PASSCODE_LENGTH
from portal.access.throttle import Throttle
from portal.worklist.models import Kind, Priority
from portal.worklist.services import close_for_source, raise_item

# The forms say "wait 15 minutes": the window opens at an address's first wrong guess (ADR 0019, 0022).
ATTEMPTS_WINDOW_SECONDS = 15 * 60
# The worklist item that tells the care team a passcode locked: one per passcode, so one per lock.
LOCKED_SOURCE = "hna.passcode.locked"
LOCKED_TITLES = {
    "assessment": "HNA passcode locked for {name}: give them a new one",
    "account": "Account passcode locked for {name}: give them a new one",
}
SYSTEM_ACTOR = "hna-passcodes"


class Outcome(StrEnum):
    OPENED = "opened"  # the right passcode and date of birth: in
    NOT_RIGHT = "not_right"  # one message for everything else (ADR 0011)
    LOCKED = "locked"  # 5 wrong dates of birth: nothing opens it now, whatever is typed
    USED = "used"  # the right passcode and date of birth, but it has done its job (HNA sent, account made)


@dataclass(frozen=True)
class Attempt:
    outcome: Outcome
    passcode: Passcode | None = None
    # An unknown passcode or a date of birth that does not match: what the per-IP throttle counts.
    wrong_guess: bool = False


def generate() -> str:
    return "".join(secrets.choice(PASSCODE_ALPHABET) for _ in range(PASSCODE_LENGTH))


def normalise(raw: str) -> str:
    """What people type: any case, with spaces or dashes ("k7p2-qx9m")."""
    return re.sub(r"[\s-]", "", raw or "").upper()


def display(passcode: str) -> str:
    """ABCD-EFGH: easier to read out over the phone."""
    return f"{passcode[:4]}-{passcode[4:]}"


def digest(passcode: str) -> str:
    # Keyed with its own setting (falls back to SECRET_KEY): a stolen table cannot be brute-forced
    # offline without the key, and the digest is deterministic so lookup is one indexed query.
    key = (settings.HNA_PASSCODE_KEY or settings.SECRET_KEY).encode()
    return hmac.new(key, normalise(passcode).encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def issue(assessment, purpose: str = "assessment", *, actor=None) -> tuple[Passcode, str]:
    """A new passcode for the assessment; any earlier one for the same purpose stops working, and
    the worklist item saying it had locked is done (a new passcode is what the item asked for)."""
    now = timezone.now()
    earlier = Passcode.objects.filter(assessment=assessment, purpose=purpose, revoked_at__isnull=True)
    locked = list(earlier.filter(locked_at__isnull=False).values_list("pk", flat=True))
    earlier.update(revoked_at=now, updated_at=now)
    for passcode_id in locked:
        close_for_source(kind=Kind.OTHER, source_type=LOCKED_SOURCE, source_id=passcode_id, actor=actor)
    raw = generate()
    passcode = Passcode.objects.create(
        assessment=assessment,
        purpose=purpose,
        digest=digest(raw),
        expires_at=now + timedelta(days=settings.HNA_PASSCODE_DAYS),
    )
    return passcode, raw


def _throttle(purpose: str) -> Throttle:
    return Throttle(
        f"hna-passcode-{purpose}", limit=settings.HNA_PASSCODE_ATTEMPTS_PER_IP, window=ATTEMPTS_WINDOW_SECONDS
    )


def too_many_attempts(ip: str, *, purpose: str) -> bool:
    """True once this client IP has made HNA_PASSCODE_ATTEMPTS_PER_IP wrong guesses at the `purpose`
    form in the 15 minutes since its first wrong guess. Counts nothing: `attempt(..., ip=ip)` counts
    the wrong guesses, so patients who sign in, or send the form empty, never use up a shared
    tablet's or hospital network's limit (ADR 0022)."""
    return _throttle(purpose).blocked(ip)


def attempt(raw: str, date_of_birth, purpose: str = "assessment", *, ip: str | None = None) -> Attempt:
    """What a passcode and date of birth open. A wrong date of birth for a live passcode counts
    towards its lock; with `ip`, a wrong guess (unknown passcode or wrong date of birth) also counts
    against that address. Only a right date of birth learns that a passcode was used; a locked
    passcode says so whatever date is typed, as no date can open it now."""
    result = _attempt(raw, date_of_birth, purpose)
    if ip is not None and result.wrong_guess:
        _throttle(purpose).hit(ip)
    return result


def _attempt(raw, date_of_birth, purpose) -> Attempt:
    code = normalise(raw)
    if len(code) != PASSCODE_LENGTH or any(ch not in PASSCODE_ALPHABET for ch in code):
        return Attempt(Outcome.NOT_RIGHT, wrong_guess=True)
    # A plain read: the right passcode and date of birth write nothing (and take no row lock).
    passcode = (
        Passcode.objects.select_related("assessment__patient").filter(digest=digest(code), purpose=purpose).first()
    )
    if passcode is None:
        return Attempt(Outcome.NOT_RIGHT, wrong_guess=True)
    right_date = passcode.assessment.patient.date_of_birth == date_of_birth
    state = passcode.state
    if state == "live" and not right_date:
        state = "locked" if _count_failure(passcode) else state
    if state == "locked":
        return Attempt(Outcome.LOCKED, passcode, wrong_guess=not right_date)
    if not right_date:
        return Attempt(Outcome.NOT_RIGHT, wrong_guess=True)
    if state == "used":
        return Attempt(Outcome.USED, passcode)
    if state != "live" or not _assessment_open(passcode):
        return Attempt(Outcome.NOT_RIGHT, passcode)  # expired, revoked, or the assessment was closed
    return Attempt(Outcome.OPENED, passcode)


def check(raw: str, date_of_birth, purpose: str = "assessment") -> Passcode | None:
    """The live passcode if `raw` and the date of birth match, else None (see `attempt`)."""
    result = attempt(raw, date_of_birth, purpose)
    return result.passcode if result.outcome == Outcome.OPENED else None


@transaction.atomic
def _count_failure(passcode) -> bool:
    """One more wrong date of birth; True when the passcode is locked now. Both statements are
    atomic in the database, so parallel wrong guesses all count and the fifth locks the passcode
    whatever the interleaving; only the statement that locks it tells the care team, so they are
    told once per lock."""
    now = timezone.now()
    Passcode.objects.filter(pk=passcode.pk).update(failed_attempts=F("failed_attempts") + 1, updated_at=now)
    locked_now = Passcode.objects.filter(
        pk=passcode.pk, failed_attempts__gte=MAX_FAILED_ATTEMPTS, locked_at__isnull=True
    ).update(locked_at=now)
    if locked_now:
        _tell_the_team(passcode)
        return True
    return Passcode.objects.filter(pk=passcode.pk, locked_at__isnull=False).exists()  # by a parallel guess


def _tell_the_team(passcode) -> None:
    assessment = passcode.assessment  # its team is read here, once per lock, not on every check
    raise_item(
        kind=Kind.OTHER,
        patient=assessment.patient,
        team=assessment.team,
        source_type=LOCKED_SOURCE,
        source_id=passcode.pk,
        title=LOCKED_TITLES[passcode.purpose].format(name=assessment.patient.full_name),
        # Someone cannot get in, or someone else is guessing: the team should call the patient soon.
        priority=Priority.HIGH,
        link=f"/hna/assessments/{assessment.pk}/",
        system_actor=SYSTEM_ACTOR,
    )


def _assessment_open(passcode) -> bool:
    """An account passcode opens a submitted assessment's record; an assessment passcode only an open one."""
    if passcode.purpose == "account":
        return True
    return passcode.assessment.is_open_to_patient


def is_live(passcode_id) -> bool:
    """For every request of a patient's passcode session: still live, assessment still open."""
    passcode = Passcode.objects.filter(pk=passcode_id).select_related("assessment").first()
    return passcode is not None and passcode.state == "live" and _assessment_open(passcode)


@transaction.atomic
def mark_used(passcode: Passcode) -> None:
    Passcode.objects.filter(pk=passcode.pk, used_at__isnull=True).update(used_at=timezone.now())


def expire_old(now=None) -> int:
    """Revoke passcodes past their expiry (daily task; running it twice changes nothing more)."""
    now = now or timezone.now()
    return Passcode.objects.filter(revoked_at__isnull=True, used_at__isnull=True, expires_at__lte=now).update(
        revoked_at=now, updated_at=now
    )
