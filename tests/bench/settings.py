"""Settings for the benchmark server (gunicorn started by tests/bench): the test settings with
the bench URLconf, which adds a bare view next to the portal's own URLs. Production and local
settings never point here, so the bare view exists only while a benchmark runs."""

from portal.settings.jinja import compiled_once
from portal.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
# Closer to production than tests: no per-request look-ups for changed static files.
WHITENOISE_AUTOREFRESH = False
# Templates compiled once per process, as production has them (ADR 0057).
TEMPLATES = compiled_once(TEMPLATES, VAR_DIR)  # noqa: F405
