"""The outbox with real parts: a broker that is down at commit, and real Celery worker processes."""

import contextlib
import logging
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction

from portal.outbox import services
from portal.outbox.models import Notification
from portal.outbox.tasks import send_notification
from tests.workers import celery_worker, database_url_for

NOBODY_LISTENS = "redis://127.0.0.1:1/0"


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
    env = {"DJANGO_SETTINGS_MODULE": "portal.settings.test", "REDIS_URL": redis_url, "NOTIFY_API_KEY": ""}
    with celery_worker(DATABASE_URL=database_url_for(connection.settings_dict), **env) as worker:
        with app.connection_for_write(redis_url) as conn:
            send_notification.apply_async((str(notification.pk),), queue=worker.queue, connection=conn)
        sent = worker.wait_for(lambda: Notification.objects.get(pk=notification.pk).status == "sent")
        assert sent, worker.output()
        row = Notification.objects.get(pk=notification.pk)
        assert (row.attempts, row.last_error) == (1, "")


@pytest.mark.django_db(transaction=True)
def test_a_send_cut_off_by_a_killed_worker_goes_once_at_the_first_sweep_after_its_lease(
    redis_url, celery_key_prefix, tmp_path, mailoutbox
):
    from portal.celery import app

    notification = Notification.objects.create(
        recipient="ada@example.com",
        channel="email",
        template="platform.test",
        context={"name": "Ada"},
        idempotency_key=f"killed-worker:{uuid.uuid4()}",
    )
    marker = tmp_path / "sending"
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.outbox.blocking_settings",  # its mail server never answers
        "BLOCKING_SEND_MARKER": str(marker),
        "REDIS_URL": redis_url,
        "CELERY_KEY_PREFIX": celery_key_prefix,
        "NOTIFY_API_KEY": "",
    }
    with celery_worker(DATABASE_URL=database_url_for(connection.settings_dict), **env) as worker:
        transport_options = {"global_keyprefix": celery_key_prefix}
        with app.connection_for_write(redis_url, transport_options=transport_options) as conn:
            send_notification.apply_async((str(notification.pk),), queue=worker.queue, connection=conn)
        in_send = worker.wait_for(lambda: marker.exists() and marker.read_text(), timeout=120)
        assert in_send, worker.output()
        worker.kill()  # -9 while the mail backend has the message
    assert marker.read_text() == "ada@example.com"
    row = Notification.objects.get(pk=notification.pk)
    assert (row.status, row.attempts, row.sent_at) == ("sending", 1, None)
    lease_ends = row.next_attempt_at
    assert lease_ends == row.updated_at + services.SENDING_LEASE

    # Until the lease ends the worker might only be slow, so the sweep leaves the row alone.
    with time_machine.travel(lease_ends - timedelta(seconds=1), tick=False):
        assert services.send_pending() == 0
    assert Notification.objects.get(pk=notification.pk).status == "sending"
    assert mailoutbox == []

    # The first sweep after the lease sends it, once; the next finds nothing to do.
    sweep_at = lease_ends + timedelta(seconds=1)
    with time_machine.travel(sweep_at, tick=False):
        assert services.send_pending() == 1
        assert services.send_pending() == 0
    row = Notification.objects.get(pk=notification.pk)
    assert (row.status, row.attempts, row.sent_at, row.last_error) == ("sent", 2, sweep_at, "")
    assert [message.to for message in mailoutbox] == [["ada@example.com"]]
