"""Outbox operations: queue a notification with the caller's change, send it once, retry with back-off.

Every send first claims its row with a compare-and-set UPDATE (pending and due -> sending), so a task
delivered twice, a sweep running in parallel, or two sweeps at once never send one row twice."""

import logging
import time
import uuid
from datetime import timedelta

import kombu.exceptions
import redis.exceptions
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.bulk import insert_rows
from portal.outbox import rendering
from portal.outbox.models import Notification
from portal.outbox.notifiers import PermanentFailure, TemporaryFailure, get_notifier

logger = logging.getLogger(__name__)

Status = Notification.Status

# Wait after the 1st, 2nd, 3rd... failed attempt; the last step repeats.
BACKOFF_MINUTES = (1, 5, 15, 60, 240)
# A row left in "sending" this long had its worker die mid-send (task time limit is 5 minutes).
SENDING_LEASE = timedelta(minutes=10)
SWEEP_CHUNK = 20
SECRET_PREFIX = "secret_"  # noqa: S105 - a key prefix, not a secret
# Stop claiming well inside the sweep task's soft time limit (240 s); the next run carries on.
SWEEP_BUDGET_SECONDS = 180
# Notifications queued together are sent by one task per this many (one broker message, not thousands).
SEND_BATCH = 100


def queue_notification(*, recipient, channel, template, context, idempotency_key, patient=None):
    """Write the notification in the caller's transaction and send it after commit; a repeated
    idempotency key returns the existing row and sends nothing more."""
    queue_notifications(
        [
            {
                "recipient": recipient,
                "channel": channel,
                "template": template,
                "context": context,
                "idempotency_key": idempotency_key,
                "patient": patient,
            }
        ]
    )
    return Notification.objects.get(idempotency_key=idempotency_key)


def queue_notifications(rows) -> list:
    """queue_notification for many rows in three queries (a daily job's thousands of reminders):
    each row a dict of queue_notification's arguments. Returns the ids of the rows written now (a
    repeated idempotency key writes nothing); those are sent after commit, in batches."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("queue_notifications must run inside the caller's transaction.atomic()")
    values = []
    rows = list(rows)
    patients = _patients_of(rows)
    for row in rows:
        channel = Notification.Channel(row["channel"])
        patient = row.get("patient")
        patient_id = patient if isinstance(patient, uuid.UUID) or patient is None else patient.pk
        values.append(
            (
                uuid.uuid4(),
                row["recipient"],
                channel,
                row["template"],
                _with_support_lines(row["context"], row["recipient"], patients.get(patient_id)),
                row["idempotency_key"],
                patient_id,
            )
        )
    for template, channel in {(v[3], v[2]) for v in values}:
        rendering.check_templates(template, channel)
    if not values:
        return []
    now = timezone.now()
    # One statement, no model instances (portal.bulk): the key decides what is new.
    created = insert_rows(
        Notification,
        ["id", "recipient", "channel", "template", "context", "idempotency_key", "patient"],
        values,
        same={
            "created_at": now,
            "updated_at": now,
            "status": Notification.Status.PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "provider_reference": "",
            "last_error": "",
        },  # fmt: skip
        conflict="ON CONFLICT (idempotency_key) DO NOTHING",
        returning="id",
    )
    for start in range(0, len(created), SEND_BATCH):
        _enqueue_on_commit(created[start : start + SEND_BATCH])
    return created


def _patients_of(rows) -> dict:
    """The rows' patients by id: those passed as rows already loaded, the rest in one query (none
    when every caller passed the row itself)."""
    from portal.people.models import Patient

    found, wanted = {}, set()
    for row in rows:
        patient = row.get("patient")
        if isinstance(patient, Patient):
            found[patient.pk] = patient
        elif patient is not None:  # an id, or a light row of a few columns (a survey run's)
            wanted.add(getattr(patient, "pk", patient))
    if wanted - found.keys():
        found.update({p.pk: p for p in Patient.objects.filter(pk__in=wanted - found.keys())})
    return found


def _digits(value: str) -> str:
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    return digits[-10:]


def _with_support_lines(context: dict, recipient: str, patient) -> dict:
    """A message to the patient themselves says how they can reach the team (Relay UK, an interpreter
    in their language: ADR 0052). The line is in the context, so a GOV.UK Notify template can place
    ((support_lines)) and our own email adds it below the text. Messages to staff get nothing."""
    if patient is None or "support_lines" in context:
        return context
    to_patient = recipient and (
        recipient.strip().lower() == (patient.email or "").strip().lower()
        or (_digits(recipient) and _digits(recipient) == _digits(patient.mobile))
    )
    if not to_patient:
        return context
    from portal.people.support import message_lines

    lines = message_lines(patient)
    return {**context, "support_lines": "\n".join(lines)} if lines else context


def _enqueue_on_commit(notification_ids: list[str]) -> None:
    """Queue the sends once the caller commits; robust, so nothing here can fail their request."""

    # A named function, not functools.partial: Django's robust on_commit logs a failing hook by
    # its __qualname__, which a partial lacks (the logging itself then raised into the caller).
    def enqueue_after_commit():
        _enqueue_send(notification_ids)

    transaction.on_commit(enqueue_after_commit, robust=True)


def _enqueue_send(notification_ids):
    # Not delay_on_commit: with the broker down it would raise into the caller after their commit.
    # A send that is not queued is not lost: the row is pending and the beat sweep sends it.
    from portal.outbox.tasks import send_notification, send_notifications  # tasks imports this module

    try:
        if len(notification_ids) == 1:
            send_notification.apply_async((notification_ids[0],))
        else:
            send_notifications.apply_async((notification_ids,))
    except (kombu.exceptions.OperationalError, redis.exceptions.RedisError, RuntimeError, OSError) as exc:
        # Broker down or its connection pool gone: either way the sweep sends it.
        what = (
            f"notification {notification_ids[0]}"
            if len(notification_ids) == 1
            else f"{len(notification_ids)} notifications"
        )
        logger.warning("outbox: send of %s not queued (%s); the sweep will send it", what, type(exc).__name__)


def send(notification_id):
    """Claim one due notification and send it; returns False when there was nothing to claim."""
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification_id, status=Status.PENDING, next_attempt_at__lte=now).update(
        status=Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + SENDING_LEASE, updated_at=now
    )
    if not claimed:
        return False
    _deliver(Notification.objects.get(pk=notification_id), get_notifier())
    return True


def send_pending(limit=500):
    """The sweep: recover rows whose worker died, then claim due rows (SKIP LOCKED) in chunks and
    send them here, without the broker. Returns how many rows it tried to send."""
    started = time.monotonic()
    recover_stuck()
    notifier = None
    done = 0
    while done < limit and time.monotonic() - started < SWEEP_BUDGET_SECONDS:
        batch = _claim_due(min(SWEEP_CHUNK, limit - done))
        if not batch:
            break
        notifier = notifier or get_notifier()
        for notification in batch:
            _deliver(notification, notifier)
        done += len(batch)
    return done


def recover_stuck():
    """Rows in "sending" past their lease go back to pending (or to failed when out of attempts)."""
    now = timezone.now()
    stuck = Notification.objects.filter(status=Status.SENDING, next_attempt_at__lte=now)
    reason = "worker stopped while sending"
    failed = stuck.filter(attempts__gte=settings.OUTBOX_MAX_ATTEMPTS).update(
        status=Status.FAILED, last_error=reason, updated_at=now
    )
    recovered = stuck.update(status=Status.PENDING, last_error=reason, updated_at=now)
    if failed or recovered:
        logger.warning("outbox: %s stuck notifications back to pending, %s failed", recovered, failed)
    return recovered + failed


def retry_failed(notification_ids):
    """Give failed notifications a fresh set of attempts, due now; returns how many."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update()
            .filter(pk__in=notification_ids, status=Status.FAILED)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=ids).update(
            status=Status.PENDING, attempts=0, next_attempt_at=now, updated_at=now
        )
        for pk in ids:
            _enqueue_on_commit([str(pk)])
    return len(ids)


def _claim_due(size):
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(status=Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:size]
        )
        Notification.objects.filter(pk__in=ids).update(
            status=Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + SENDING_LEASE, updated_at=now
        )
    return list(Notification.objects.filter(pk__in=ids).order_by("next_attempt_at"))


def _deliver(notification, notifier):
    try:
        reference = notifier.send(notification)
    except PermanentFailure as exc:
        _fail(notification, str(exc))
    except TemporaryFailure as exc:
        _retry_later(notification, str(exc))
    except SoftTimeLimitExceeded:
        raise  # we cannot know whether it went: the row stays "sending" until its lease ends
    except Exception as exc:  # noqa: BLE001 - an unexpected error must not lose the message
        logger.exception("outbox: unexpected error sending notification %s", notification.pk)
        _retry_later(notification, f"unexpected error: {type(exc).__name__}")
    else:
        now = timezone.now()
        # Unconditional: once the provider has it, no later sweep may send it again.
        Notification.objects.filter(pk=notification.pk).update(
            status=Status.SENT,
            provider_reference=(reference or "")[:100],
            sent_at=now,
            last_error="",
            updated_at=now,
            context=scrubbed(notification.context),
        )


def _retry_later(notification, reason):
    if notification.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        _fail(notification, f"{reason} (after {notification.attempts} attempts)")
        return
    now = timezone.now()
    wait = BACKOFF_MINUTES[min(notification.attempts, len(BACKOFF_MINUTES)) - 1]
    Notification.objects.filter(pk=notification.pk, status=Status.SENDING).update(
        status=Status.PENDING, next_attempt_at=now + timedelta(minutes=wait), last_error=reason[:300], updated_at=now
    )


def _fail(notification, reason):
    # Logged at error level: this is the flag an operator acts on (admin filter: status failed).
    logger.error("outbox: notification %s (%s) failed: %s", notification.pk, notification.template, reason)
    Notification.objects.filter(pk=notification.pk, status=Status.SENDING).update(
        status=Status.FAILED, last_error=reason[:300], updated_at=timezone.now(), context=scrubbed(notification.context)
    )


def scrubbed(context: dict) -> dict:
    """The context without its `secret_` keys (a patient's passcode, say): they exist only to be
    sent, so they leave the database once the message is sent or has failed for good."""
    return {key: ("[removed]" if key.startswith(SECRET_PREFIX) else value) for key, value in context.items()}
