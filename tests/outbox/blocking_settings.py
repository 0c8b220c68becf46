"""Test settings for a worker whose every email send hangs (see tests/outbox/blocking.py)."""

from portal.settings.test import *  # noqa: F403

EMAIL_BACKEND = "tests.outbox.blocking.BlockingEmailBackend"
