"""Signed-in sessions (django-qsessions rows): list them, end one, end all of a user's.

Session keys are bearer secrets, so pages never show them: each session is named by a keyed
hash of its key (`session_ref`), and only the owner's own sessions are searched for it."""

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from qsessions.models import Session


def session_ref(session_key: str) -> str:
    return salted_hmac("portal.access.session_ref", session_key).hexdigest()[:32]


def live_sessions(user):
    """The user's own unexpired sessions, most recently active first."""
    return Session.objects.filter(user=user, expire_date__gt=timezone.now()).order_by("-updated_at")


def find_own_session(user, ref: str) -> Session:
    """One of the user's own sessions by its reference; anyone else's (or none) is a 404."""
    for session in live_sessions(user):
        if constant_time_compare(session_ref(session.session_key), ref or ""):
            return session
    raise Http404("No such session")


def end_session(session: Session) -> None:
    """End one session: its row and its cached copy go, so that device is signed out at once."""
    session.delete()


@transaction.atomic
def end_sessions(user, *, keep: str | None = None) -> int:
    """End every session of the user (from the database and the session cache), except `keep`."""
    sessions = Session.objects.filter(user=user)
    if keep:
        sessions = sessions.exclude(session_key=keep)
    ended, _ = sessions.delete()
    return ended
