"""Outbox services: one row per change, sent once, retried with back-off, never lost."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from portal.outbox import rendering, services, tasks
from portal.outbox.models import Notification
from portal.outbox.notifiers import EmailNotifier, TemporaryFailure
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def test_queue_writes_one_row_and_a_repeat_writes_none(queue, enqueued):
    patient = PatientFactory()
    first = queue(patient=patient)
    again = queue(recipient="someone.else@example.com")
    assert again.pk == first.pk
    assert Notification.objects.count() == 1
    row = Notification.objects.get()
    assert (row.status, row.attempts, row.recipient, row.patient) == ("pending", 0, "ada@example.com", patient)
    assert enqueued == [(str(first.pk),)]


def test_rollback_of_the_callers_transaction_writes_and_queues_nothing(enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ZeroDivisionError):
        with transaction.atomic():
            services.queue_notification(
                recipient="ada@example.com",
                channel="email",
                template="platform.test",
                context={"name": "Ada"},
                idempotency_key="platform-test:rollback",
            )
            1 / 0  # noqa: B018 - the caller's change fails after queueing
    assert not Notification.objects.exists()
    assert callbacks == []
    assert enqueued == []


@pytest.mark.django_db(transaction=True)
def test_queue_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the caller's transaction"):
        services.queue_notification(
            recipient="a@example.com", channel="email", template="platform.test", context={}, idempotency_key="k"
        )
    assert not Notification.objects.exists()


@pytest.mark.parametrize("template", ["platform.nope", "../platform.test", "Platform.Test"])
def test_queue_refuses_a_template_with_no_files(queue, template):
    with pytest.raises(rendering.TemplateMissing):
        queue(template=template)
    assert not Notification.objects.exists()


def test_send_marks_sent_and_the_email_arrives(queue, mailoutbox):
    notification = queue()
    assert services.send(notification.pk) is True
    row = Notification.objects.get()
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, "")
    assert row.sent_at is not None
    [email] = mailoutbox
    assert email.subject == "Test message"
    assert email.body.startswith("Dear Ada,\n")
    assert email.to == ["ada@example.com"]
    assert email.extra_headers["Message-ID"] == row.provider_reference


def test_a_task_delivered_twice_sends_one_email(queue, mailoutbox):
    notification = queue()
    tasks.send_notification(str(notification.pk))
    tasks.send_notification(str(notification.pk))
    assert services.send(notification.pk) is False
    assert len(mailoutbox) == 1
    assert Notification.objects.get().attempts == 1


def test_sms_and_letters_fail_at_once_without_a_provider(queue, mailoutbox):
    sms = queue("k:sms", channel="sms", recipient="07700900123")
    letter = queue("k:letter", channel="letter", recipient="1 High Street\nLeeds\nLS1 4AP")
    services.send(sms.pk)
    services.send(letter.pk)
    errors = dict(Notification.objects.values_list("channel", "last_error"))
    assert errors == {"sms": "no SMS provider configured", "letter": "no letter provider configured"}
    assert set(Notification.objects.values_list("status", "attempts")) == {("failed", 1)}
    assert mailoutbox == []


def test_a_missing_template_value_fails_without_retrying(queue):
    notification = queue(context={})
    services.send(notification.pk)
    row = Notification.objects.get()
    assert (row.status, row.last_error) == ("failed", "template platform.test needs a value the context lacks")


def test_temporary_failure_backs_off_then_fails_after_max_attempts(queue, monkeypatch, settings, mailoutbox):
    settings.OUTBOX_MAX_ATTEMPTS = 3

    def refuse(self, notification):
        raise TemporaryFailure("mail server error: ConnectionRefusedError")

    monkeypatch.setattr(EmailNotifier, "send", refuse)
    with time_machine.travel(NOON, tick=False) as traveller:
        notification = queue()
        services.send(notification.pk)
        row = Notification.objects.get()
        assert (row.status, row.attempts) == ("pending", 1)
        assert row.next_attempt_at == NOON + dt.timedelta(minutes=1)
        assert row.last_error == "mail server error: ConnectionRefusedError"

        traveller.shift(dt.timedelta(seconds=59))
        assert services.send_pending() == 0  # not due yet
        traveller.shift(dt.timedelta(seconds=1))
        assert services.send_pending() == 1
        row.refresh_from_db()
        assert (row.status, row.attempts) == ("pending", 2)
        assert row.next_attempt_at == NOON + dt.timedelta(minutes=1 + 5)

        traveller.shift(dt.timedelta(minutes=5))
        assert services.send_pending() == 1
        row.refresh_from_db()
        assert (row.status, row.attempts) == ("failed", 3)
        assert row.last_error == "mail server error: ConnectionRefusedError (after 3 attempts)"
        traveller.shift(dt.timedelta(days=1))
        assert services.send_pending() == 0
    assert mailoutbox == []


def test_an_unexpected_error_is_retried_and_its_message_is_not_kept(queue, monkeypatch):
    def crash(self, notification):
        raise ValueError("Dear Ada, your passcode is 123456")

    monkeypatch.setattr(EmailNotifier, "send", crash)
    notification = queue()
    services.send(notification.pk)
    row = Notification.objects.get()
    assert (row.status, row.last_error) == ("pending", "unexpected error: ValueError")


def test_a_row_stuck_in_sending_is_recovered_by_the_sweep(queue, mailoutbox, settings):
    with time_machine.travel(NOON, tick=False) as traveller:
        stuck = queue("k:stuck")
        dead = queue("k:dead")
        # Claimed, then the worker died before sending (the claim's lease runs 10 minutes).
        Notification.objects.update(
            status="sending", attempts=1, next_attempt_at=NOON + services.SENDING_LEASE, last_error=""
        )
        Notification.objects.filter(pk=dead.pk).update(attempts=settings.OUTBOX_MAX_ATTEMPTS)

        traveller.shift(dt.timedelta(minutes=9))
        assert services.send_pending() == 0
        assert mailoutbox == []

        traveller.shift(dt.timedelta(minutes=1))
        assert services.send_pending() == 1
    stuck.refresh_from_db()
    dead.refresh_from_db()
    assert (stuck.status, stuck.attempts) == ("sent", 2)
    assert (dead.status, dead.last_error) == ("failed", "worker stopped while sending")
    assert len(mailoutbox) == 1


def test_the_sweep_sends_due_rows_up_to_its_limit(queue, mailoutbox):
    for n in range(3):
        queue(f"k:{n}")
    assert services.send_pending(limit=2) == 2
    assert services.send_pending(limit=2) == 1
    assert services.send_pending(limit=2) == 0
    assert len(mailoutbox) == 3
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_retry_failed_gives_fresh_attempts_and_queues_a_send(queue, enqueued, django_capture_on_commit_callbacks):
    failed = queue("k:failed", channel="sms", recipient="07700900123")
    pending = queue("k:pending")
    services.send(failed.pk)
    enqueued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_failed([failed.pk, pending.pk]) == 1
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("pending", 0)
    assert enqueued == [(str(failed.pk),)]


def test_secret_context_keys_leave_the_database_once_sent(mailoutbox, django_capture_on_commit_callbacks):
    from django.db import transaction

    from portal.outbox import services as outbox
    from portal.outbox.models import Notification

    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        note = outbox.queue_notification(
            recipient="ada@example.com",
            channel="email",
            template="platform.test",
            context={"name": "Ada", "secret_code": "K7P2QX9M"},
            idempotency_key="secret-test",
        )
    outbox.send(str(note.pk))
    note = Notification.objects.get(pk=note.pk)
    assert note.status == "sent"
    assert note.context == {"name": "Ada", "secret_code": "[removed]"}


def test_an_unusable_broker_pool_never_breaks_the_callers_commit(monkeypatch, caplog):
    # Seen in a full run: after the broker's connection pool was closed, apply_async raised
    # RuntimeError("Acquire on closed pool") from the on-commit hook and the page gave a 500.
    from django.db import transaction

    from portal.outbox import services as outbox
    from portal.outbox.models import Notification
    from portal.outbox.tasks import send_notification

    def closed_pool(*args, **kwargs):
        raise RuntimeError("Acquire on closed pool")

    monkeypatch.setattr(send_notification, "apply_async", closed_pool)
    with transaction.atomic():
        note = outbox.queue_notification(
            recipient="ada@example.com",
            channel="email",
            template="platform.test",
            context={"name": "Ada"},
            idempotency_key="closed-pool",
        )
    # pytest-django's transaction never commits, so run the hook the way a commit would.
    for _sid, hook, _robust in transaction.get_connection().run_on_commit:
        hook()
    assert Notification.objects.get(pk=note.pk).status == "pending"
    assert "not queued" in caplog.text


def test_queueing_many_writes_new_keys_once_and_sends_them_in_one_batch_task(
    db, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    batches = []
    monkeypatch.setattr(tasks.send_notifications, "apply_async", lambda args, **options: batches.append(args))
    row = {"channel": "email", "template": "platform.test", "context": {"name": "Ada"}}
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.queue_notification(recipient="a@example.com", idempotency_key="many:1", **row)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        created = services.queue_notifications(
            [{**row, "recipient": f"{n}@example.com", "idempotency_key": f"many:{n}"} for n in (1, 2, 3)]
        )
    assert len(created) == 2 and Notification.objects.count() == 3
    assert batches == [(created,)]  # one task for the batch, not one per message
    tasks.send_notifications(created)
    tasks.send_notifications(created)  # delivered twice: each is still sent once
    assert sorted(email.to[0] for email in mailoutbox) == ["2@example.com", "3@example.com"]
