"""Tokens are issued in the Django admin: the secret is shown once, in the confirmation
message, and never again; revoking is an admin action and tokens cannot be deleted."""

import re

import pytest

from portal.api.models import ApiToken
from tests.api.conftest import PATIENTS, Api, issue_token
from tests.api.test_tokens import assert_raw_token_nowhere_in_the_database
from tests.conftest import give_totp
from tests.factories import UserFactory

TOKEN_IN_MESSAGE = re.compile(r"The API token for [^<]+ is ([A-Za-z0-9_-]{43}) \.")


@pytest.fixture
def admin_client(client, db):
    superuser = UserFactory(email="superuser@example.com", is_staff=True, is_superuser=True)
    give_totp(superuser)
    client.force_login(superuser)
    return client


def issue_in_admin(admin_client, user, **extra):
    data = {"client_name": "Trust EPR", "user": str(user.pk), "expires_at_0": "", "expires_at_1": "", **extra}
    return admin_client.post("/admin/api/apitoken/add/", data, follow=True)


def test_the_token_is_shown_once_and_works(cast, admin_client, client):
    response = issue_in_admin(admin_client, cast.cns_a)
    assert response.status_code == 200
    raw = TOKEN_IN_MESSAGE.search(response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert token.matches(raw) and token.user == cast.cns_a and token.client_name == "Trust EPR"

    for page in ["/admin/api/apitoken/", f"/admin/api/apitoken/{token.pk}/change/"]:
        again = admin_client.get(page)
        assert again.status_code == 200
        assert raw not in again.content.decode()
        assert token.token_hash not in again.content.decode()
    assert_raw_token_nowhere_in_the_database(raw)

    admin_client.logout()
    assert Api(client, raw).get(PATIENTS).status_code == 200


def test_an_expiry_in_the_past_is_refused(cast, admin_client):
    response = issue_in_admin(admin_client, cast.cns_a, expires_at_0="2000-01-01", expires_at_1="00:00:00")
    assert "The expiry must be in the future" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_in_the_admin_stops_the_token(cast, admin_client, client):
    token, raw = issue_token(cast.cns_a)
    response = admin_client.post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": [str(token.pk)]}, follow=True
    )
    assert "Revoked 1 API token" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    admin_client.logout()
    assert Api(client, raw).get(PATIENTS).status_code == 401


def test_tokens_cannot_be_deleted(cast, admin_client):
    token, _ = issue_token(cast.cns_a)
    assert admin_client.get(f"/admin/api/apitoken/{token.pk}/delete/").status_code == 403


def test_who_a_token_acts_for_cannot_be_changed(cast, admin_client):
    token, _ = issue_token(cast.cns_a)
    data = {"client_name": "Renamed", "user": str(cast.gp_b.pk), "expires_at_0": "", "expires_at_1": ""}
    admin_client.post(f"/admin/api/apitoken/{token.pk}/change/", data)
    token.refresh_from_db()
    assert (token.client_name, token.user) == ("Renamed", cast.cns_a)
