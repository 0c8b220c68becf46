"""Outbox fixtures: queue calls recorded instead of published, and a helper that commits a queue."""

import pytest
from django.db import transaction

from portal.outbox import services, tasks


@pytest.fixture
def enqueued(monkeypatch):
    """Sends the on-commit hook would have published; nothing reaches a real broker."""
    calls = []
    monkeypatch.setattr(tasks.send_notification, "apply_async", lambda args, **options: calls.append(args))
    return calls


@pytest.fixture
def queue(db, enqueued, django_capture_on_commit_callbacks):
    """Queue a notification the way a domain service does: in its transaction, hooks run on commit."""

    def _queue(key="platform-test:1", **overrides):
        arguments = {
            "recipient": "ada@example.com",
            "channel": "email",
            "template": "platform.test",
            "context": {"name": "Ada"},
            "idempotency_key": key,
            **overrides,
        }
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            return services.queue_notification(**arguments)

    return _queue
