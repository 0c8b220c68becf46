"""The outbox with real parts: a broker that is down at commit, and a real Celery worker process."""

import contextlib
import logging
import os
import subprocess
import sys
import time
import uuid
from urllib.parse import quote

import pytest
from django.db import connection, transaction

from portal.outbox import services
from portal.outbox.models import Notification
from portal.outbox.tasks import send_notification
from tests.portal.test_settings import ROOT

REDIS_URL = os.environ.get("REDIS_URL", "")
NOBODY_LISTENS = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_url():
    if not REDIS_URL:
        pytest.skip("REDIS_URL is not set: this test needs a real Redis")
    return REDIS_URL


@contextlib.contextmanager
def broker_unreachable():
    """Point the Celery app at a port nothing listens on, dropping pooled connections both ways."""
    from portal.celery import app

    def drop_pools():
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None

    old = app.conf.broker_url
    drop_pools()
    app.conf.broker_url = NOBODY_LISTENS
    try:
        yield
    finally:
        app.conf.broker_url = old
        drop_pools()


@pytest.mark.django_db(transaction=True)
def test_broker_down_at_commit_keeps_the_commit_and_the_sweep_sends_later(mailoutbox, caplog):
    # Needs no Redis: nothing listens on the broker's port, which is the point.
    with broker_unreachable(), caplog.at_level(logging.WARNING, logger="portal.outbox.services"):
        with transaction.atomic():
            notification = services.queue_notification(
                recipient="ada@example.com",
                channel="email",
                template="platform.test",
                context={"name": "Ada"},
                idempotency_key="broker-down:1",
            )
        # The caller's commit went through; only the send was not queued.
        row = Notification.objects.get(pk=notification.pk)
        assert (row.status, row.attempts) == ("pending", 0)
        assert mailoutbox == []
        assert f"send of notification {notification.pk} not queued" in caplog.text

    # The broker is back; the beat sweep finds the pending row and sends it once.
    assert services.send_pending() == 1
    assert services.send_pending() == 0
    assert len(mailoutbox) == 1
    assert Notification.objects.get(pk=notification.pk).status == "sent"


def database_url_for(settings_dict):
    """A URL for the database this test run uses (pytest-django's "test_" copy), for another process."""
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = quote(settings_dict["HOST"] or "", safe="")  # a socket folder is percent-encoded
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_a_committed_notification(redis_url):
    from portal.celery import app

    notification = Notification.objects.create(  # committed: the worker has its own connection
        recipient="ada@example.com",
        channel="email",
        template="platform.test",
        context={"name": "Ada"},
        idempotency_key=f"real-worker:{uuid.uuid4()}",
    )
    queue = f"test-outbox-{uuid.uuid4().hex}"  # our own queue, so no other worker takes the task
    env = {k: v for k, v in os.environ.items() if k != "NOTIFY_API_KEY"}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        DATABASE_URL=database_url_for(connection.settings_dict),
        REDIS_URL=redis_url,
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "solo", "-Q", queue, "-l", "info"]
        + ["--without-heartbeat", "--without-mingle", "--without-gossip"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        with app.connection_for_write(redis_url) as conn:
            send_notification.apply_async((str(notification.pk),), queue=queue, connection=conn)
        deadline = time.monotonic() + 60
        row = notification
        while row.status != "sent" and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.3)
            row = Notification.objects.get(pk=notification.pk)
        if worker.poll() is None:
            worker.terminate()
        output = worker.stdout.read()
        assert row.status == "sent", output
        assert (row.attempts, row.last_error) == (1, "")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
