"""Dispatch in real Celery workers on real Redis and PostgreSQL (issue 12 items 4 and 9): two workers
given the day's task at once invite nobody twice; a worker killed with SIGKILL half-way through
loses nobody, and the run the broker hands out again completes it with nothing sent twice.

Where the killed worker is when it dies is not left to timing, as in the follow-up sweep's test
(tests/followup/test_sweep_real_worker.py, whose helpers this uses): the test holds an uncommitted
outbox row under the idempotency key of one invitation in the middle, so the worker's insert for
that chunk waits on it, after earlier chunks have committed."""

import time
import uuid

import pytest
import redis
from django.db import connection, transaction
from django.utils import timezone

from portal.outbox.models import Notification
from portal.people.models import Patient
from qol_survey.models import Invitation, InvitationSend, Purpose
from qol_survey.services import dispatch, dispatch_send
from tests.followup.test_sweep_real_worker import backend_alive, backends_waiting_on, broker_connection, redeliver
from tests.qol_survey.dispatch_helpers import DUE, TODAY, crowd, tally
from tests.workers import celery_worker, database_url_for

PATIENTS = 24
LATE = 6
CHUNK = 3


def worker_env(redis_url, celery_key_prefix) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "REDIS_URL": redis_url,
        "CELERY_KEY_PREFIX": celery_key_prefix,
        "NOTIFY_API_KEY": "",
    }


def send_daily(redis_url, prefix, queue, task_id):
    from qol_survey import tasks

    with broker_connection(redis_url, prefix) as conn:
        # The task reads the clock; the seed is due on the real today too (see below).
        tasks.daily.apply_async(kwargs={"chunk": CHUNK}, queue=queue, connection=conn, task_id=task_id)


def due_today():
    """The crowd is due on TODAY; the workers run for the real today: move the diagnoses so."""
    from portal.people.models import Diagnosis

    Diagnosis.objects.filter(date_of_diagnosis=DUE).update(date_of_diagnosis=DUE + (timezone.localdate() - TODAY))


@pytest.mark.django_db(transaction=True)
def test_two_real_workers_at_once_invite_and_send_to_nobody_twice(redis_url, celery_key_prefix):
    crowd(PATIENTS)
    due_today()
    env = worker_env(redis_url, celery_key_prefix)
    ids = [f"test-{uuid.uuid4()}" for _ in range(2)]
    with celery_worker(**env) as first, celery_worker(**env) as second:
        for worker, task_id in zip((first, second), ids, strict=True):
            send_daily(redis_url, celery_key_prefix, worker.queue, task_id)
        for worker, task_id in zip((first, second), ids, strict=True):
            assert worker.wait_for_log(f"qol_survey.tasks.daily[{task_id}] succeeded", timeout=90), worker.output()
    done = tally()
    assert done["invitations"] == done["sends"] == PATIENTS
    assert done["notifications"] + done["letters"] == PATIENTS
    assert done["audit"] == PATIENTS


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_dispatch_loses_nobody_and_the_next_run_completes_it(redis_url, celery_key_prefix):
    crowd(PATIENTS)
    due_today()
    env = worker_env(redis_url, celery_key_prefix)
    # The hold: the email invitation in the middle of the table (the order the run pages in).
    with connection.cursor() as cursor:
        dispatch.invite(timezone.localdate())  # made by an earlier run: this one sends
        cursor.execute(f"SELECT id FROM {Invitation._meta.db_table} WHERE channel = 'email' ORDER BY ctid")  # noqa: S608
        emailed = [row[0] for row in cursor.fetchall()]
    held = Invitation.objects.select_related("patient").get(pk=emailed[len(emailed) // 2])
    crowd(LATE)  # due too, not yet invited: the killed worker's own insert makes theirs
    due_today()
    assert held.patient.preferred_contact == Patient.Contact.EMAIL
    task_id = f"test-{uuid.uuid4()}"
    with transaction.atomic():  # rolled back once the worker is dead
        Notification.objects.create(
            recipient="held@example.com",
            channel=Notification.Channel.EMAIL,
            template="qol_survey.invitation",
            context={},
            idempotency_key=dispatch_send.key(held, Purpose.INVITATION),
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            ours = cursor.fetchone()[0]
        with celery_worker(**env) as first:
            send_daily(redis_url, celery_key_prefix, first.queue, task_id)
            assert first.wait_for(lambda: backends_waiting_on(ours), timeout=60), first.output()
            [worker_backend] = backends_waiting_on(ours)
            committed = InvitationSend.objects.count()
            assert 0 < committed < PATIENTS - CHUNK, f"{committed} of {PATIENTS} sent before the kill"
            assert Invitation.objects.count() == PATIENTS + LATE  # its insert had committed
            first.kill()
            queue = first.queue
        transaction.set_rollback(True)

    # The dead worker's session goes once its statement ends with nobody to answer.
    deadline = time.monotonic() + 30
    while backend_alive(worker_backend) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not backend_alive(worker_backend)
    # The killed chunk left nothing: its claims, messages and letters went with its transaction.
    assert InvitationSend.objects.count() == committed
    assert not InvitationSend.objects.filter(invitation=held).exists()
    partial = tally()
    assert partial["notifications"] + partial["letters"] == partial["audit"] == committed

    redeliver(redis_url, celery_key_prefix, task_id)
    with celery_worker(queues=queue, **env) as second:
        assert second.wait_for_log(f"qol_survey.tasks.daily[{task_id}] succeeded", timeout=90), second.output()
    assert redis.Redis.from_url(redis_url).hlen(f"{celery_key_prefix}unacked") == 0

    done = tally()
    assert done["invitations"] == done["sends"] == PATIENTS + LATE
    assert done["notifications"] + done["letters"] == done["audit"] == PATIENTS + LATE
    keys = set(Notification.objects.filter(template="qol_survey.invitation").values_list("idempotency_key", flat=True))
    assert dispatch_send.key(held, Purpose.INVITATION) in keys
