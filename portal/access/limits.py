"""The absolute session limit: a session ends SESSION_ABSOLUTE_SECONDS after sign-in, however
active it is. (The idle limit is Django's own: SESSION_COOKIE_AGE, renewed on every request.)"""

from django.conf import settings
from django.utils import timezone

SIGNED_IN_AT = "access.signed_in_at"


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
