"""The words a person sees when the absolute session limit signs them out name the real limit."""

import pytest

from portal.access.limits import signed_out_message


@pytest.mark.parametrize(
    ("seconds", "length"),
    [(12 * 3600, "12 hours"), (3600, "1 hour"), (2 * 3600, "2 hours"), (5400, "1.5 hours")],
)
def test_the_message_says_how_long(settings, seconds, length):
    settings.SESSION_ABSOLUTE_SECONDS = seconds
    assert signed_out_message() == (
        f"You have been signed out because you have been signed in for {length}. Sign in again to continue."
    )
