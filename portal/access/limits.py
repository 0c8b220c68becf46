"""The absolute session limit: a session ends SESSION_ABSOLUTE_SECONDS after sign-in, however
active it is. The idle limit is Django's own, SESSION_COOKIE_AGE from the last save; a request
touches the session (saves it again) at most once every SESSION_TOUCH_SECONDS rather than on every
request (ADR 0056), so a session idle for SESSION_COOKIE_AGE ends, give or take that minute."""

from django.conf import settings
from django.utils import timezone

SIGNED_IN_AT = "access.signed_in_at"
TOUCHED_AT = "access.touched_at"


def touch(session) -> None:
    """Renew the idle limit if the session was last saved a minute or more ago. A session with
    nothing in it (a visitor who never signed in) is not started by this."""
    if session.is_empty():
        return
    now = timezone.now().timestamp()
    if now - session.get(TOUCHED_AT, 0) >= settings.SESSION_TOUCH_SECONDS:
        session[TOUCHED_AT] = now  # marks it changed: saved, and its expiry renewed


def start_session_clock(session) -> None:
    session[SIGNED_IN_AT] = timezone.now().timestamp()


def absolute_limit_passed(session) -> bool:
    signed_in_at = session.get(SIGNED_IN_AT)
    if signed_in_at is None:
        # Only sessions from before this limit existed: their clock starts now.
        start_session_clock(session)
        return False
    return timezone.now().timestamp() - signed_in_at > settings.SESSION_ABSOLUTE_SECONDS


def signed_out_message() -> str:
    hours = settings.SESSION_ABSOLUTE_SECONDS / 3600
    length = f"{hours:g} hours" if hours != 1 else "1 hour"
    return f"You have been signed out because you have been signed in for {length}. Sign in again to continue."
