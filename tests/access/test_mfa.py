"""Two-factor authentication (TOTP) is required for every staff user before any patient data."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.test import override_settings

from portal.access.adapters import MFAAdapter
from tests.access.conftest import (
    ACTIVATE,
    AUTHENTICATE,
    LOGOUT,
    REAUTHENTICATE,
    code_now,
    error_summary,
    page_text,
    sign_in,
)
from tests.conftest import give_totp
from tests.factories import UserFactory
from tests.portal.test_settings import run_manage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/role/", "/account/sessions/", "/admin/"])
def test_staff_without_totp_is_sent_to_set_it_up(client, new_staff, path):
    client.force_login(new_staff)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


def test_recovery_codes_alone_are_not_an_authenticator_app(client, new_staff):
    Authenticator.objects.create(user=new_staff, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"})
    client.force_login(new_staff)
    response = client.get("/role/")
    assert response.status_code == 302 and response["Location"].startswith(ACTIVATE)


def test_a_post_is_refused_too(client, new_staff, cast):
    client.force_login(new_staff)
    response = client.post("/role/", {"role": "x"})
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


def test_admin_only_user_without_totp_is_sent_to_set_it_up(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/")["Location"] == ACTIVATE


def test_staff_without_totp_can_still_set_it_up_and_sign_out(client, new_staff):
    client.force_login(new_staff)
    # allauth asks for the password again before activation: that page must stay open.
    assert client.get(ACTIVATE)["Location"].startswith(REAUTHENTICATE)
    assert client.get(REAUTHENTICATE + "?next=" + ACTIVATE).status_code == 200
    assert client.get("/static/nhsuk/nhsuk-frontend.min.css").status_code == 200
    assert client.get("/health").status_code in (200, 503)  # not a redirect
    response = client.post(LOGOUT)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_staff_allauth_will_not_let_set_up_see_why_instead_of_a_redirect_loop(client, new_staff):
    EmailAddress.objects.create(user=new_staff, email=new_staff.email, verified=False, primary=True)
    client.force_login(new_staff)
    response = client.get(ACTIVATE, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/2fa/"
    assert response.status_code == 200
    assert "verified your email address" in page_text(response)


@override_settings(MFA_WAIVED=True)
def test_mfa_waived_lets_staff_in_without_totp(client, new_staff):
    client.force_login(new_staff)
    assert client.get("/").status_code == 200


def test_patients_are_not_forced(client, cast):
    client.force_login(cast.patient_user)
    response = client.get("/")
    assert response.status_code == 200
    assert "My care" in page_text(response)


def test_staff_with_totp_are_let_through(client, cast):
    client.force_login(cast.cns_a)
    assert client.get("/").status_code == 200
    assert client.get("/role/").status_code == 200


def test_first_sign_in_sets_up_totp_then_the_next_sign_in_asks_for_a_code(client, new_staff):
    # Sign in with the password: any page sends a new member of staff to set up their app...
    response = sign_in(client, new_staff)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/")["Location"] == ACTIVATE

    # ...straight away: the password they have just entered is allauth's password check too
    # (ADR 0024), and they are not told they are signed in when they cannot use the portal yet.
    response = client.get(ACTIVATE)
    assert response.status_code == 200
    text = page_text(response)
    assert "Set up two-factor authentication" in text
    assert "Enter your password again" not in text and "Successfully signed in" not in text
    secret = client.session["mfa.totp.secret"]
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    assert f"Setup key: {grouped}" in text

    # A wrong code is an error on the field; the right one turns it on and shows recovery codes.
    response = client.post(ACTIVATE, {"code": "12345"})
    assert "The code is not correct" in error_summary(response)
    response = client.post(ACTIVATE, {"code": code_now(secret)})
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    assert Authenticator.objects.filter(user=new_staff, type=Authenticator.Type.TOTP).exists()
    response = client.get("/accounts/2fa/recovery-codes/")
    assert "Your recovery codes" in page_text(response)
    assert 'href="/"' in response.content.decode()  # a way on to the home page
    assert client.get("/").status_code == 200

    # Sign out; signing in again stops at the code step before anything is shown.
    client.post(LOGOUT)
    response = sign_in(client, new_staff)
    assert response.status_code == 302 and response["Location"] == AUTHENTICATE
    assert client.get("/").status_code == 302  # not signed in yet
    response = client.get(AUTHENTICATE)
    assert "Enter your security code" in page_text(response)

    right = code_now(secret)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(AUTHENTICATE, {"code": wrong})
    assert response.status_code == 200
    assert "The code is not correct" in error_summary(response)
    response = client.post(AUTHENTICATE, {"code": right})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_staff_cannot_turn_off_their_totp(client, cast):
    client.force_login(cast.cns_a)
    client.post(REAUTHENTICATE, {"password": "cancer-care-demo"})
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 200
    assert "You cannot turn off two-factor authentication" in page_text(response)
    assert Authenticator.objects.filter(user=cast.cns_a, type=Authenticator.Type.TOTP).exists()


def test_adapter_lets_patients_but_not_staff_remove_totp(cast):
    give_totp(cast.patient_user)
    adapter = MFAAdapter()
    staff_totp = Authenticator.objects.get(user=cast.cns_a, type=Authenticator.Type.TOTP)
    patient_totp = Authenticator.objects.get(user=cast.patient_user, type=Authenticator.Type.TOTP)
    assert adapter.can_delete_authenticator(staff_totp) is False
    assert adapter.can_delete_authenticator(patient_totp) is True


def test_production_refuses_mfa_waived():
    result = run_manage("check", env_overrides={"MFA_WAIVED": "true"})
    assert result.returncode != 0
    assert "MFA_WAIVED cannot be used in production" in result.stderr


def test_production_starts_with_mfa_waived_false():
    result = run_manage("check", env_overrides={"MFA_WAIVED": "false"})
    assert result.returncode == 0, result.stderr
