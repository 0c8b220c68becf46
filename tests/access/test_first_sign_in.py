"""A member of staff's first sign-in (ADR 0024): the password they sign in with also counts as
allauth's password check before setting up an authenticator app, so they are not asked for it
again straight away; the set-up page has a way out. Everyone else keeps allauth's check."""

import datetime as dt
import re

import pytest
import time_machine

from tests.access.conftest import ACTIVATE, AUTHENTICATE, LOGIN, LOGOUT, REAUTHENTICATE, code_now, page_text, sign_in

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
GENERATE_RECOVERY_CODES = "/accounts/2fa/recovery-codes/generate/"


def test_the_sign_in_password_counts_for_allauths_5_minutes_then_it_is_asked_again(client, new_staff):
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, new_staff)
        traveller.move_to(START + dt.timedelta(minutes=5, seconds=-1))
        assert client.get(ACTIVATE).status_code == 200
        # Left on the page (or come back to it) later than that: allauth asks once more, as before.
        traveller.move_to(START + dt.timedelta(minutes=5, seconds=1))
        response = client.get(ACTIVATE)
        assert response.status_code == 302 and response["Location"].startswith(REAUTHENTICATE)


def test_a_session_that_did_not_sign_in_with_a_password_is_still_asked(client, new_staff):
    client.force_login(new_staff)
    assert client.get(ACTIVATE)["Location"].startswith(REAUTHENTICATE)


def test_a_patient_signing_in_is_still_asked_before_setting_up_an_app(client, cast):
    # Only staff are sent to set up an app; a patient who chooses to is asked for their password.
    sign_in(client, cast.patient_user)
    assert client.get(ACTIVATE)["Location"].startswith(REAUTHENTICATE)


def test_staff_with_an_app_are_still_asked_before_changing_how_they_sign_in(client, cast):
    assert sign_in(client, cast.cns_a)["Location"] == AUTHENTICATE
    response = client.post(AUTHENTICATE, {"code": code_now(cast.totp_secrets[cast.cns_a.pk])})
    assert response["Location"] == "/"
    response = client.get(GENERATE_RECOVERY_CODES)
    assert response.status_code == 302 and "reauthenticate" in response["Location"]


def test_the_set_up_page_has_a_way_out(client, new_staff):
    sign_in(client, new_staff)
    html = client.get(ACTIVATE).content.decode()
    form = re.search(r'<form method="post" action="/accounts/logout/">(.*?)</form>', html, re.S)
    assert form, "no sign-out form on the set-up page"
    assert 'name="csrfmiddlewaretoken"' in form.group(1)
    assert re.search(r"<button[^>]*>Sign out</button>", form.group(1))
    assert "If you cannot set up an app now" in page_text(client.get(ACTIVATE))

    response = client.post(LOGOUT)
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session
