"""Test settings: the real PostgreSQL (DATABASE_URL, or embedded), fast hashing, no manifest."""

from portal.settings.base import *  # noqa: F403
from portal.settings.base import STORAGES
from portal.settings.env import env_int

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = False
# Durability only (ADR 0041): a commit returns before its WAL reaches the disk, which a test never
# relies on; visibility, locking and constraints are PostgreSQL's own. Speeds migrating the test
# databases and every transactional test's TRUNCATE and reload. JIT compiling costs more than it
# saves on test-sized tables.
DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
DATABASES["default"]["OPTIONS"]["options"] = "-c synchronous_commit=off -c jit=off"  # noqa: F405
# A connection per test run's request, as before: the test runner and live-server threads manage
# their own; persistent connections are what production and make run use (base).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 0)  # noqa: F405
