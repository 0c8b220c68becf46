"""How long a token works, and for whom: 90 days unless chosen otherwise, never more than 365
(the model and the database both refuse), and a staff user's token only once they have set up
two-factor authentication."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal.api.authentication import NO_MFA
from portal.api.models import ApiToken
from portal.people.models import Role
from tests.api.conftest import PATIENTS, Api, issue_token
from tests.api.test_tokens import assert_401
from tests.conftest import give_totp
from tests.factories import RoleAssignmentFactory, UserFactory

NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)


def new_token(user, **fields) -> ApiToken:
    token = ApiToken(client_name="Trust EPR", user=user, **fields)
    token.set_new_token()
    return token


def test_a_token_expires_90_days_after_it_is_issued_by_default(cast):
    with time_machine.travel(NOW, tick=False):
        token, _ = issue_token(cast.cns_a)
    token.refresh_from_db()
    assert token.expires_at == NOW + 90 * DAY


def test_a_default_token_works_until_its_90th_day_and_not_after(cast, client):
    with time_machine.travel(NOW, tick=False) as traveller:
        _, raw = issue_token(cast.cns_a)
        traveller.move_to(NOW + 90 * DAY - SECOND)
        assert Api(client, raw).get(PATIENTS).status_code == 200
        traveller.move_to(NOW + 90 * DAY)
        assert_401(Api(client, raw).get(PATIENTS), "The API token has expired")


def test_365_days_is_allowed(cast):
    with time_machine.travel(NOW, tick=False):
        token = new_token(cast.cns_a, expires_at=NOW + 365 * DAY)
        token.full_clean()
        token.save()
    assert ApiToken.objects.get().expires_at == NOW + 365 * DAY


@pytest.mark.parametrize("lifetime", [366 * DAY, 365 * DAY + SECOND])
def test_more_than_365_days_is_refused_with_the_latest_date(cast, lifetime):
    with time_machine.travel(NOW, tick=False):
        token = new_token(cast.cns_a, expires_at=NOW + lifetime)
        with pytest.raises(ValidationError) as refused:
            token.full_clean()
    assert refused.value.message_dict == {
        "expires_at": ["An API token can last at most 365 days: choose 22 November 2027 at 12:00 or earlier"]
    }


def test_the_database_refuses_a_token_that_outlives_a_year_however_it_is_written(cast):
    token, _ = issue_token(cast.cns_a)
    limit = token.created_at + 365 * DAY
    ApiToken.objects.filter(pk=token.pk).update(expires_at=limit)  # exactly a year: allowed
    with pytest.raises(IntegrityError, match="api_token_expires_within_a_year"), transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(expires_at=limit + SECOND)


def staff_without_mfa(cast, role=Role.CNS):
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=role, organisation=cast.trust, team=cast.team_a)
    return user


@pytest.mark.parametrize("role", [Role.CNS, Role.SERVICE_ADMIN])
def test_a_staff_token_is_refused_until_its_user_sets_up_mfa(cast, client, role):
    user = staff_without_mfa(cast, role)
    _, raw = issue_token(user)
    assert_401(Api(client, raw).get(PATIENTS), NO_MFA)
    give_totp(user)
    assert Api(client, raw).get(PATIENTS).status_code == 200


def test_a_django_admin_user_without_mfa_is_refused_too(cast, client):
    user = UserFactory(is_staff=True)  # no role, but admin access makes them staff
    _, raw = issue_token(user)
    assert_401(Api(client, raw).get(PATIENTS), NO_MFA)


def test_a_patients_token_needs_no_mfa(cast, client):
    # Patients are not asked to set up an authenticator app anywhere in the portal.
    _, raw = issue_token(cast.patient_user)
    response = Api(client, raw).get(PATIENTS)
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_mfa_waived_locally_lets_a_staff_token_work(cast, client, settings):
    settings.MFA_WAIVED = True
    _, raw = issue_token(staff_without_mfa(cast))
    response = Api(client, raw).get(PATIENTS)
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_the_no_mfa_message_names_the_fix(cast, client):
    _, raw = issue_token(staff_without_mfa(cast))
    detail = Api(client, raw).get(PATIENTS).json()["detail"]
    assert "has no authenticator app set up" in detail and "two-factor authentication" in detail
