"""Tokens are issued in the Django admin: the secret is shown once, in the confirmation
message, and never again; the expiry is 90 days unless the admin chooses another, at most 365;
revoking is an admin action and tokens cannot be deleted."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from portal.api.models import ApiToken
from tests.api.conftest import PATIENTS, Api, issue_token
from tests.api.test_tokens import assert_raw_token_nowhere_in_the_database
from tests.conftest import give_totp
from tests.factories import UserFactory

TOKEN_IN_MESSAGE = re.compile(r"The API token for [^<]+ is ([A-Za-z0-9_-]{43}) \.")


@pytest.fixture
def superuser(db):
    user = UserFactory(email="superuser@example.com", is_staff=True, is_superuser=True)
    give_totp(user)
    return user


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


# November: London time is UTC, so the admin's local date and time read the same as these.
NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)


def expiry_fields(when: datetime.datetime) -> dict:
    local = timezone.localtime(when)
    return {"expires_at_0": f"{local:%Y-%m-%d}", "expires_at_1": f"{local:%H:%M:%S}"}


def issue_in_admin(admin_client, user, **extra):
    data = {
        "client_name": "Trust EPR",
        "user": str(user.pk),
        **expiry_fields(timezone.now() + datetime.timedelta(days=30)),
        **extra,
    }
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


def test_the_add_form_offers_90_days_from_today(cast, admin_client):
    with time_machine.travel(NOW, tick=False):
        html = admin_client.get("/admin/api/apitoken/add/").content.decode()
    assert 'name="expires_at_0" value="20/02/2027"' in html  # 22 November 2026 + 90 days
    assert 'name="expires_at_1" value="12:00:00"' in html


def test_an_expiry_is_required(cast, admin_client):
    response = issue_in_admin(admin_client, cast.cns_a, expires_at_0="", expires_at_1="")
    assert "This field is required" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_an_expiry_365_days_ahead_is_accepted(cast, admin_client):
    with time_machine.travel(NOW, tick=False):
        response = issue_in_admin(admin_client, cast.cns_a, **expiry_fields(NOW + datetime.timedelta(days=365)))
    assert TOKEN_IN_MESSAGE.search(response.content.decode()), response.content.decode()
    assert ApiToken.objects.get().expires_at == NOW + datetime.timedelta(days=365)


@pytest.mark.parametrize("late", [datetime.timedelta(days=366), datetime.timedelta(days=365, seconds=1)])
def test_an_expiry_more_than_365_days_ahead_is_refused(cast, admin_client, late):
    with time_machine.travel(NOW, tick=False):
        response = issue_in_admin(admin_client, cast.cns_a, **expiry_fields(NOW + late))
    assert "An API token can last at most 365 days: choose 22 November 2027 at 12:00 or earlier" in (
        response.content.decode()
    )
    assert not ApiToken.objects.exists()


def test_an_issued_token_cannot_be_extended_past_365_days_from_its_issue(cast, admin_client, superuser):
    with time_machine.travel(NOW, tick=False) as traveller:
        token, _ = issue_token(cast.cns_a)
        traveller.shift(datetime.timedelta(days=100))
        admin_client.force_login(superuser)  # the earlier session has long expired
        change = f"/admin/api/apitoken/{token.pk}/change/"
        data = {"client_name": "Trust EPR", "user": str(cast.cns_a.pk)}
        refused = admin_client.post(change, {**data, **expiry_fields(NOW + datetime.timedelta(days=366))})
        assert "An API token can last at most 365 days" in refused.content.decode()
        admin_client.post(change, {**data, **expiry_fields(NOW + datetime.timedelta(days=365))})
    token.refresh_from_db()
    assert token.expires_at == NOW + datetime.timedelta(days=365)


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
    data = {"client_name": "Renamed", "user": str(cast.gp_b.pk), **expiry_fields(token.expires_at)}
    admin_client.post(f"/admin/api/apitoken/{token.pk}/change/", data)
    token.refresh_from_db()
    assert (token.client_name, token.user) == ("Renamed", cast.cns_a)
