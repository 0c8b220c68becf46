"""Passcodes: made with `secrets` from an alphabet without look-alikes, stored only as a keyed
hash, expiring, one live per assessment, locked after 5 wrong dates of birth; the forms that take
them are throttled per client IP."""

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from hna.models import Passcode
from hna.models.passcode import MAX_FAILED_ATTEMPTS, PASSCODE_ALPHABET, PASSCODE_LENGTH
from portal.access.throttle import Throttle

# The forms say "wait 15 minutes": the window opens at an address's first attempt (ADR 0019).
ATTEMPTS_WINDOW_SECONDS = 15 * 60


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
def issue(assessment, purpose: str = "assessment") -> tuple[Passcode, str]:
    """A new passcode for the assessment; any earlier one for the same purpose stops working."""
    now = timezone.now()
    Passcode.objects.filter(assessment=assessment, purpose=purpose, revoked_at__isnull=True).update(
        revoked_at=now, updated_at=now
    )
    raw = generate()
    passcode = Passcode.objects.create(
        assessment=assessment,
        purpose=purpose,
        digest=digest(raw),
        expires_at=now + timedelta(days=settings.HNA_PASSCODE_DAYS),
    )
    return passcode, raw


def too_many_attempts(ip: str, *, purpose: str) -> bool:
    """Counts one attempt at the `purpose` passcode form from this client IP, whatever was typed;
    True once over HNA_PASSCODE_ATTEMPTS_PER_IP in the 15 minutes since its first attempt."""
    throttle = Throttle(
        f"hna-passcode-{purpose}", limit=settings.HNA_PASSCODE_ATTEMPTS_PER_IP, window=ATTEMPTS_WINDOW_SECONDS
    )
    return throttle.hit(ip)


def check(raw: str, date_of_birth, purpose: str = "assessment") -> Passcode | None:
    """The live passcode if `raw` and the date of birth match, else None. A right passcode with a
    wrong date of birth counts towards the lock; callers show one message whatever was wrong."""
    code = normalise(raw)
    if len(code) != PASSCODE_LENGTH or any(ch not in PASSCODE_ALPHABET for ch in code):
        return None
    # A plain read: the right passcode and date of birth write nothing (and take no row lock).
    passcode = (
        Passcode.objects.select_related("assessment__patient").filter(digest=digest(code), purpose=purpose).first()
    )
    if passcode is None or passcode.state != "live" or not _assessment_open(passcode):
        return None
    if passcode.assessment.patient.date_of_birth != date_of_birth:
        _count_failure(passcode.pk)
        return None
    return passcode


@transaction.atomic
def _count_failure(passcode_id) -> None:
    """Both statements are atomic in the database, so parallel wrong guesses all count and the
    fifth locks the passcode whatever the interleaving."""
    now = timezone.now()
    Passcode.objects.filter(pk=passcode_id).update(failed_attempts=F("failed_attempts") + 1, updated_at=now)
    Passcode.objects.filter(pk=passcode_id, failed_attempts__gte=MAX_FAILED_ATTEMPTS, locked_at__isnull=True).update(
        locked_at=now
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
