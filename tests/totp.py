"""Codes from a test user's authenticator app."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value


def code_now(secret: str) -> str:
    """What the authenticator app shows right now. Like a person who sees the code about to change,
    wait for the next one when fewer than 5 seconds are left: a code sent as its 30-second window
    closes is refused, which made MFA tests fail now and then."""
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))
