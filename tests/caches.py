"""Tests on the cache backends the portal really runs on: DatabaseCache (the embedded default,
no REDIS_URL) and Redis (CI and production). Test settings use LocMem, which hides what the other
two do differently (DatabaseCache has no native incr; Redis keeps whole-second expiries)."""

import uuid
from contextlib import contextmanager

import redis
from django.core.management import call_command

DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"


def use_database_cache(settings) -> None:
    """The embedded default's cache, in a table made in the test database (the test's
    transaction drops it again). Needs the `db` fixture."""
    settings.CACHES = {"default": {"BACKEND": DATABASE_CACHE, "LOCATION": "test_portal_cache"}}
    call_command("createcachetable", verbosity=0)


@contextmanager
def redis_cache(settings, url: str):
    """A real Redis as the default cache, under a key prefix of its own, emptied afterwards."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix}
    }
    client = redis.Redis.from_url(url)
    try:
        yield client, prefix
    finally:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        client.close()
