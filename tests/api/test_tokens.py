"""Per-client API tokens: a token acts as its user, only its keyed hash is stored, and a bad,
revoked or expired token is a JSON 401 that never echoes or logs the token."""

import datetime
import logging

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone
from qsessions.models import Session

from portal.api.models import ApiToken, hash_token
from tests.api.conftest import PATIENTS, Api, detail, issue_token


def assert_401(response, detail_text):
    assert response.status_code == 401, response.content
    assert response.json() == {"detail": detail_text, "errors": {}}
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_token_acts_as_its_user(cast, client):
    _, raw = issue_token(cast.gp_a)
    api = Api(client, raw)
    assert api.get(detail(cast.patient)).status_code == 200
    _, raw_b = issue_token(cast.gp_b)
    assert Api(client, raw_b).get(detail(cast.patient)).status_code == 404


def test_a_token_follows_its_users_role_in_use(cast, client):
    from portal.people.models import Role
    from tests.factories import RoleAssignmentFactory

    _, raw = issue_token(cast.cns_b)
    api = Api(client, raw)
    assert api.get(PATIENTS).json()["count"] == 0
    cast.cns_b.active_role = RoleAssignmentFactory(
        user=cast.cns_b, role=Role.CNS, organisation=cast.trust, team=cast.team_a
    )
    cast.cns_b.save()
    assert api.get(PATIENTS).json()["count"] == 1


def test_token_requests_are_not_sent_to_set_up_mfa(cast, client):
    # The MFA middleware runs before DRF authenticates and sees no signed-in user: a token request
    # is never redirected to an HTML page. (A staff token without MFA is a 401: test_token_lifetime.)
    _, raw = issue_token(cast.cns_a)
    response = Api(client, raw).get(PATIENTS)
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_change_history_names_the_token_user(cast, client):
    from pghistory.models import Events

    from tests.api.test_create import new_patient

    _, raw = issue_token(cast.cns_a)
    body = Api(client, raw).post(PATIENTS, new_patient()).json()
    event = Events.objects.filter(pgh_obj_id=body["id"], pgh_label="insert").get()
    assert event.pgh_context["user"] == str(cast.cns_a.pk)


def test_use_is_recorded(cast, client):
    token, raw = issue_token(cast.cns_a)
    Api(client, raw).get(PATIENTS)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_no_credentials_is_401(cast, client):
    assert_401(client.get(PATIENTS), "Authentication credentials were not provided.")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer not-a-real-token-at-all-xxxxxxxxxxxxxxxxxxxxxxx",
        "Bearer short",
        "Bearer " + "a" * 5000,
        "Bearer tok\x00en-with-a-nul-in-it-xxxxxxxxxxxxxxxxxxxxx",
        "Bearer tökén-not-ascii-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    ],
)
def test_unknown_tokens_are_401(cast, client, header):
    assert_401(client.get(PATIENTS, headers={"Authorization": header}), "The API token is not valid")


@pytest.mark.parametrize("header", ["Bearer", "Bearer two parts"])
def test_malformed_bearer_header_is_401(cast, client, header):
    response = client.get(PATIENTS, headers={"Authorization": header})
    assert_401(response, "Give the API token after 'Bearer', with no spaces in it")


def test_a_token_with_the_right_prefix_but_wrong_rest_is_401(cast, client):
    _, raw = issue_token(cast.cns_a)
    forged = raw[:8] + ("A" if raw[8] != "A" else "B") + raw[9:]
    assert_401(Api(client, forged).get(PATIENTS), "The API token is not valid")


def test_a_revoked_token_is_401(cast, client):
    token, raw = issue_token(cast.cns_a)
    token.revoked_at = timezone.now()
    token.save()
    assert_401(Api(client, raw).get(PATIENTS), "The API token has been revoked")


def test_an_expired_token_is_401(cast, client):
    _, raw = issue_token(cast.cns_a, expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert_401(Api(client, raw).get(PATIENTS), "The API token has expired")


def test_a_token_not_yet_expired_works(cast, client):
    _, raw = issue_token(cast.cns_a, expires_at=timezone.now() + datetime.timedelta(days=1))
    assert Api(client, raw).get(PATIENTS).status_code == 200


def test_a_token_of_a_deactivated_user_is_401(cast, client):
    _, raw = issue_token(cast.cns_a)
    cast.cns_a.is_active = False
    cast.cns_a.save()
    assert_401(Api(client, raw).get(PATIENTS), "The account this API token acts for is not active")


def test_a_bad_token_is_not_rescued_by_a_session(cast, client):
    client.force_login(cast.cns_a)
    response = client.get(PATIENTS, headers={"Authorization": "Bearer not-a-real-token-at-all-xxxxxxxxxxxxx"})
    assert response.status_code == 401


def test_tokens_still_work_while_the_secret_key_is_rotated(cast, client, settings):
    _, raw = issue_token(cast.cns_a)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-for-the-rotation-test-only"
    assert Api(client, raw).get(PATIENTS).status_code == 200


def test_only_the_keyed_hash_is_stored(cast, client):
    token, raw = issue_token(cast.cns_a)
    token.refresh_from_db()
    assert token.token_hash == hash_token(raw) != raw
    assert len(token.token_hash) == 64 and token.prefix == raw[:8]
    assert_raw_token_nowhere_in_the_database(raw)


def assert_raw_token_nowhere_in_the_database(raw):
    """Look through every text column of every table (and inside stored sessions)."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                assert not model._default_manager.filter(**{f"{field.name}__contains": raw}).exists(), (
                    f"raw token found in {model._meta.label}.{field.name}"
                )
    for session in Session.objects.all():
        assert raw not in str(session.get_decoded())


def test_tokens_never_reach_the_logs(cast, client, caplog):
    caplog.set_level(logging.DEBUG)
    token, raw = issue_token(cast.cns_a)
    Api(client, raw).get(PATIENTS)
    Api(client, raw).get(detail(cast.patient))
    Api(client, raw + "x").get(PATIENTS)
    token.revoked_at = timezone.now()
    token.save()
    Api(client, raw).get(PATIENTS)
    assert caplog.records, "expected some log output (401 warnings) to check"
    assert raw not in caplog.text


def test_token_requests_need_no_csrf_token(cast, client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    _, raw = issue_token(cast.cns_a)
    response = Api(strict, raw).post(PATIENTS, {})
    assert response.status_code == 400  # got as far as validation


def test_session_posts_need_a_csrf_token(cast):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.cns_a)
    response = Api(strict).post(PATIENTS, {})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_string_form_never_shows_the_secret(cast):
    token, raw = issue_token(cast.cns_a, client_name="Trust EPR")
    assert str(token) == f"Trust EPR ({raw[:8]}…)"
    assert ApiToken.objects.get().status == "active"
