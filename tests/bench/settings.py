"""Settings for the benchmark server (gunicorn started by tests/bench), seeds and profiles:
production-like where it changes what a request costs, runnable over plain HTTP on loopback with
no secrets (ADR 0058). Production and local settings never point here, so the bench URLconf's bare
view exists only while a benchmark runs.

From portal.settings.base, as production.py is, not from the test settings: DEBUG off (so Jinja
compiles each template once per process: Django's Jinja2 backend sets auto_reload to DEBUG),
persistent database connections with health checks, the shared cache (Redis at REDIS_URL, as
production requires; else base's database cache), sessions as base keeps them, real synchronous
commits. Left out of production.py, because they would break loopback HTTP or need secrets and
cost nothing measurable: the HTTPS redirect, HSTS, Secure and __Host- cookies, SMTP, the manifest
static storage (it needs collectstatic; the bench loads no static files)."""

import os

from portal.settings.base import *  # noqa: F403
from portal.settings.base import CACHES, DATABASES, STORAGES, TEMPLATES, VAR_DIR
from portal.settings.jinja import compiled_once

DEBUG = False
ROOT_URLCONF = "tests.bench.urls"

# Item 1 of issue 16: connections kept across requests, checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("BENCH_CONN_MAX_AGE", "600"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# One run's keys apart from any other's in a shared Redis (harness.CACHE_PREFIX): sessions, and the
# sign-in and passcode rate limits, which a second run within 15 minutes would otherwise inherit.
CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": os.environ.get("BENCH_CACHE_PREFIX", "bench")}}

# No collectstatic before a run: files found where they lie (the bench requests none), as in tests.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False  # no per-request look-ups for changed static files
# Seeds make users with passwords; no measured page checks one (the sign-in page is a GET).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Templates compiled once per process, as production has them (ADR 0057).
TEMPLATES = compiled_once(TEMPLATES, VAR_DIR)
