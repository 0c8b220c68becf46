"""Fixtures for sign-in hardening: a staff user who has not set up two-factor yet, sign-in
helpers, and a fresh cache per test (rate-limit counters are per IP, and every test is 127.0.0.1)."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.core.cache import cache

from portal.people.models import Role
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.totp import code_now  # noqa: F401 - re-exported for the tests in this folder

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"
ACTIVATE = "/accounts/2fa/totp/activate/"
AUTHENTICATE = "/accounts/2fa/authenticate/"
REAUTHENTICATE = "/accounts/reauthenticate/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def new_staff(cast):
    """A CNS of team A on their first day: a role, no authenticator app yet."""
    user = UserFactory(email="new.cns@example.com")
    RoleAssignmentFactory(user=user, role=Role.CNS, organisation=cast.trust, team=cast.team_a)
    return user


def sign_in(client, user, password=None):
    return client.post(LOGIN, {"login": user.email, "password": password or settings.DEMO_PASSWORD})


def page_text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def error_summary(response) -> str:
    match = re.search(r'<div class="nhsuk-error-summary".*?</ul>', response.content.decode(), re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))) if match else ""
