"""Sign-in rate limits count on a real, shared Redis cache (as in production).

allauth's "5/5m/key" (ACCOUNT_RATE_LIMITS["login_failed"]) keeps the times of failed sign-ins for
each email address: a sign-in is refused while 5 failures are less than 5 minutes old. Each
attempt is counted before the password is checked and taken back if it was right, so a right
password neither counts nor clears the failures before it."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from tests.access.conftest import AUTHENTICATE, error_summary, sign_in
from tests.caches import redis_cache as use_redis_cache

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
TOO_MANY = "You have tried to sign in too many times"


@pytest.fixture
def redis_cache(settings, redis_url):
    with use_redis_cache(settings, redis_url) as (client, prefix):
        yield client, prefix


def fail(client, user, times):
    for _ in range(times):
        response = sign_in(client, user, password="not-the-password")
        assert response.status_code == 200
        assert "is not right" in error_summary(response)


def goes_on_to_the_code_step(response) -> bool:
    return response.status_code == 302 and response["Location"] == AUTHENTICATE


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, cast, redis_cache):
    redis_client, prefix = redis_cache
    fail(client, cast.cns_a, 5)

    # The counters live in Redis, where every web worker sees them.
    assert any(b":allauth:rl:allauth.account:login_failed:" in key for key in redis_client.scan_iter(f"{prefix}:*"))

    response = sign_in(client, cast.cns_a)
    assert response.status_code == 200
    assert TOO_MANY in error_summary(response)
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_still_let_the_right_one_in(client, cast, redis_cache):
    fail(client, cast.cns_a, 4)
    assert goes_on_to_the_code_step(sign_in(client, cast.cns_a))


def test_a_right_password_does_not_clear_the_failures_before_it(cast, redis_cache):
    fail(Client(), cast.cns_a, 4)
    assert goes_on_to_the_code_step(sign_in(Client(), cast.cns_a))
    fail(Client(), cast.cns_a, 1)  # the 5th failure in 5 minutes
    assert TOO_MANY in error_summary(sign_in(Client(), cast.cns_a))


def test_the_lock_lasts_5_minutes_from_the_failures(cast, redis_cache):
    with time_machine.travel(START, tick=False) as traveller:
        fail(Client(), cast.cns_a, 5)
        traveller.move_to(START + dt.timedelta(minutes=5, seconds=-1))
        assert TOO_MANY in error_summary(sign_in(Client(), cast.cns_a))
        traveller.move_to(START + dt.timedelta(minutes=5))
        assert goes_on_to_the_code_step(sign_in(Client(), cast.cns_a))


def test_the_limit_is_per_account(client, cast, redis_cache):
    fail(client, cast.cns_a, 5)
    response = sign_in(client, cast.cns_b)
    assert goes_on_to_the_code_step(response)  # another account goes on to its code step as usual
