"""Sign-in messages in NHS.UK style (ADR 0024): each says what is wrong and what to do, in an
error summary, instead of allauth's "This field is required." and "...and/or ... not correct."."""

import re

import pytest
from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings

from portal.people.adapters import AccountAdapter
from tests.access.conftest import (
    ACTIVATE,
    AUTHENTICATE,
    LOGIN,
    REAUTHENTICATE,
    error_summary,
    sign_in,
)

pytestmark = pytest.mark.django_db
REQUIRED = "This field is required."


def summary_items(response) -> list[str]:
    match = re.search(r'<div class="nhsuk-error-summary".*?</ul>', response.content.decode(), re.S)
    assert match, "no error summary"
    return [re.sub(r"<[^>]+>|\s+", " ", item).strip() for item in re.findall(r"<li>(.*?)</li>", match.group(0), re.S)]


def test_an_empty_sign_in_says_what_to_enter_in_each_field(client):
    response = client.post(LOGIN, {"login": "", "password": ""})
    assert summary_items(response) == ["Enter your email address", "Enter your password"]
    assert REQUIRED not in response.content.decode()


def test_a_malformed_email_address_says_how_to_write_one(client):
    response = client.post(LOGIN, {"login": "nurse.example.nhs.uk", "password": "x"})
    assert summary_items(response) == ["Enter an email address in the correct format, like name@example.nhs.uk"]


def test_a_wrong_password_says_so_without_saying_which_was_wrong(client, cast):
    response = sign_in(client, cast.cns_a, password="not-the-password")
    assert summary_items(response) == ["The email address or password is not right. Check them and try again."]
    assert "and/or" not in response.content.decode()


def test_the_password_check_says_what_to_enter(client, cast):
    client.force_login(cast.patient_user)
    response = client.post(REAUTHENTICATE, {"password": ""})
    assert summary_items(response) == ["Enter your password"]
    response = client.post(REAUTHENTICATE, {"password": "not-the-password"})
    assert summary_items(response) == ["The password is not right. Check it and try again."]


def test_an_empty_security_code_says_what_to_enter(client, cast):
    assert sign_in(client, cast.cns_a)["Location"] == AUTHENTICATE
    response = client.post(AUTHENTICATE, {"code": ""})
    assert summary_items(response) == ["Enter the 6-digit code from your authenticator app, or a recovery code"]


def test_an_empty_code_when_setting_up_an_app_says_what_to_enter(client, new_staff):
    sign_in(client, new_staff)
    client.get(ACTIVATE)
    response = client.post(ACTIVATE, {"code": ""})
    assert "Enter the 6-digit code your authenticator app shows" in error_summary(response)
    assert REQUIRED not in response.content.decode()


def test_the_too_many_tries_message_names_the_wait_the_rate_limits_set():
    # "Wait 5 minutes" must stay true: every login_failed limit counts over 5 minutes.
    periods = {rate.duration for rate in parse_rates(settings.ACCOUNT_RATE_LIMITS["login_failed"])}
    assert periods == {5 * 60}
    assert "Wait 5 minutes and try again" in AccountAdapter.error_messages["too_many_login_attempts"]
