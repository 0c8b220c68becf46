"""Sign-in rate limits count on a real, shared Redis cache (as in production)."""

import os
import uuid

import pytest
import redis

from tests.access.conftest import error_summary, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(settings):
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set: this test needs a real Redis")
    prefix = f"test-ratelimit-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix}
    }
    client = redis.Redis.from_url(url)
    yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, cast, redis_cache):
    redis_client, prefix = redis_cache
    for _ in range(5):
        response = sign_in(client, cast.cns_a, password="not-the-password")
        assert response.status_code == 200
        assert "not correct" in error_summary(response)

    # The counters live in Redis, where every web worker sees them.
    assert any(b":allauth:rl:allauth.account:login_failed:" in key for key in redis_client.scan_iter(f"{prefix}:*"))

    response = sign_in(client, cast.cns_a)
    assert response.status_code == 200
    assert "Too many failed login attempts" in error_summary(response)
    assert "_auth_user_id" not in client.session


def test_the_limit_is_per_account(client, cast, redis_cache):
    for _ in range(5):
        sign_in(client, cast.cns_a, password="not-the-password")
    response = sign_in(client, cast.cns_b)
    assert response.status_code == 302  # another account goes on to its code step as usual
    assert response["Location"] == "/accounts/2fa/authenticate/"
