"""The daily sweep in a real Celery worker killed with SIGKILL half-way through a chunk (issue 11
item 4): the broker still holds the task, the killed chunk left nothing behind, and the run that
follows finishes the work with nothing done twice.

Where the worker is when it dies is not left to timing: the test holds an uncommitted outbox row
under the idempotency key of one test's reminder, so the worker's INSERT ... ON CONFLICT for that
chunk waits on it, after the chunk's reminder claims are written and every earlier chunk has
committed. The worker is killed while it waits, and the broker's visibility timeout is played by
restoring the unacknowledged message, as kombu does when that timeout runs out."""

import datetime
import json
import re
import time
import uuid

import pytest
import redis
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from followup.models import (
    CheckIn,
    FollowupLetter,
    PathwayChange,
    PathwayKind,
    PathwayStatus,
    SurveillanceTest,
    TestChange,
    TestReminder,
    TestStatus,
)
from followup.services import sweep
from portal.audit.models import AuditEvent
from portal.outbox.models import Notification
from portal.worklist.models import OPEN_STATUSES, Kind, WorkItem
from tests.followup.factories import make_pathway
from tests.followup.sweep_helpers import add_test
from tests.workers import ROOT, celery_worker, database_url_for

days = datetime.timedelta
PATHWAYS = 24
CHUNK = 3  # 8 chunks of reminders; the one held is in the middle: some committed before it, some to come


def busy_day(today, n):
    """n pathways, each with a test to remind of (the reminder is the request), a check-in due and
    a late test; and n // 2 patient-initiated pathways whose window ended yesterday, each with a late
    test never asked for. Returns the tests to remind of, in the order they were made."""
    due = []
    for i in range(n + n // 2):
        ended = i >= n
        pathway = make_pathway(
            anchor_date=today + relativedelta(years=1),  # its planned tests are a year ahead: not today's work
            checkin_months=1,
            kind=PathwayKind.PATIENT_INITIATED,
            pifu_end=today - days(1) if ended else today + days(100),
        )
        pathway.anchor_date = today - relativedelta(months=3)
        pathway.save()
        # Due dates in the order made (2 to 13 days ahead: both reminder leads), so the test held is
        # in the middle in either order the sweep may page in (id, or due date).
        if not ended:
            due.append(add_test(pathway, today + days(2 + i * 12 // n), code="CT_CAP"))
        add_test(pathway, today - days(40))  # never requested (a missed run): raised as no result
    return due


def counts() -> dict:
    return {
        "reminders": TestReminder.objects.count(),
        "requested": TestChange.objects.filter(status_to=TestStatus.REQUESTED).count(),
        "changes": TestChange.objects.count(),
        "checkins": CheckIn.objects.count(),
        "notifications": Notification.objects.count(),
        "letters": FollowupLetter.objects.count(),
        "pathway_changes": PathwayChange.objects.count(),
        "open_items": WorkItem.objects.filter(status__in=OPEN_STATUSES).count(),
        "audit": AuditEvent.objects.filter(actor_label=f"system:{sweep.SYSTEM_ACTOR}").count(),
    }


def a_clean_run(today) -> dict:
    """What one uninterrupted run does with this data: run in this process and rolled back (its
    on-commit sends are dropped with it), so the worker starts from the same rows."""
    with transaction.atomic():
        sweep.run(today, chunk=CHUNK)
        done = counts()
        transaction.set_rollback(True)
    assert counts()["reminders"] == 0
    return done


def backends_waiting_on(pid) -> list[int]:
    with connection.cursor() as cursor:
        # Inside a transaction pg_stat_activity is read once and kept: ask afresh each time.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))", [pid])
        return [row[0] for row in cursor.fetchall()]


def backend_alive(pid) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is not None


def broker_connection(url, prefix, **options):
    from portal.celery import app

    return app.connection_for_write(url, transport_options={"global_keyprefix": prefix, **options})


def redeliver(url, prefix, task_id) -> None:
    """What the Redis transport does once the visibility timeout has passed (an hour in production):
    an unacknowledged message goes back on its queue. Checks it was our task being held."""
    client = redis.Redis.from_url(url)
    try:
        held = [json.loads(raw)[0]["headers"]["id"] for raw in client.hvals(f"{prefix}unacked")]
    finally:
        client.close()
    assert held == [task_id], "the killed worker's task is not held unacknowledged by the broker"
    with broker_connection(url, prefix, visibility_timeout=0) as conn:
        conn.default_channel.qos.restore_visible(num=10)


def expected_lead(due, today) -> int:
    """The reminder a test in the window is due today under the default protocols (14 and 3 days)."""
    return 3 if (due - today).days <= 3 else 14


@pytest.mark.django_db(transaction=True)  # the worker has its own connection: our rows must be committed
def test_a_worker_killed_mid_chunk_loses_nothing_and_the_next_run_does_nothing_twice(redis_url, celery_key_prefix):
    from followup import tasks

    today = timezone.localdate()
    due = busy_day(today, PATHWAYS)
    clean = a_clean_run(today)
    assert clean["reminders"] == clean["requested"] == PATHWAYS  # the seed is what this test thinks it is

    held_test = due[PATHWAYS // 2]
    lead = expected_lead(held_test.due_date, today)
    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "REDIS_URL": redis_url,
        "CELERY_KEY_PREFIX": celery_key_prefix,
        "NOTIFY_API_KEY": "",
    }
    task_id = f"test-{uuid.uuid4()}"
    with transaction.atomic():  # the hold: rolled back once the worker is dead
        Notification.objects.create(
            recipient="held@example.com",
            channel=Notification.Channel.EMAIL,
            template="followup.test_reminder",
            context={},
            idempotency_key=f"followup-reminder:{held_test.pk}:{lead}",
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            ours = cursor.fetchone()[0]
        with celery_worker(**env) as first:
            with broker_connection(redis_url, celery_key_prefix) as conn:
                tasks.daily.apply_async(kwargs={"chunk": CHUNK}, queue=first.queue, connection=conn, task_id=task_id)
            assert first.wait_for(lambda: backends_waiting_on(ours), timeout=45), first.output()
            [worker_backend] = backends_waiting_on(ours)
            committed = TestReminder.objects.count()
            # Killed in the middle: chunks committed before it, and more than its own chunk still to do.
            assert 0 < committed < PATHWAYS - CHUNK, f"{committed} of {PATHWAYS} reminders committed before the kill"
            first.kill()
            queue = first.queue
        transaction.set_rollback(True)

    # The dead worker's database session goes once its statement ends with nobody to answer; until
    # then it holds its chunk's rows, which a run now would skip (SKIP LOCKED) and leave for tomorrow.
    deadline = time.monotonic() + 30
    while backend_alive(worker_backend) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not backend_alive(worker_backend)
    # The chunk killed mid-way left nothing: its claims went with its transaction.
    assert TestReminder.objects.count() == committed
    assert not TestReminder.objects.filter(test=held_test).exists()
    assert Notification.objects.filter(template="followup.test_reminder").count() == committed
    assert TestChange.objects.filter(status_to=TestStatus.REQUESTED).count() == committed

    redeliver(redis_url, celery_key_prefix, task_id)
    with celery_worker(queues=queue, **env) as second:
        finished = second.wait_for_log(f"followup.tasks.daily[{task_id}] succeeded", timeout=45)
        assert finished, second.output()
    # Acknowledged this time (the worker has stopped): the broker will not hand it out a third time.
    assert redis.Redis.from_url(redis_url).hlen(f"{celery_key_prefix}unacked") == 0

    assert counts() == clean
    reminded = list(TestReminder.objects.values_list("test_id", "lead_days"))
    assert sorted(reminded) == sorted((t.pk, expected_lead(t.due_date, today)) for t in due)
    keys = set(Notification.objects.filter(template="followup.test_reminder").values_list("idempotency_key", flat=True))
    assert keys == {f"followup-reminder:{pk}:{lead}" for pk, lead in reminded}
    requested = sorted(TestChange.objects.filter(status_to=TestStatus.REQUESTED).values_list("test_id", flat=True))
    assert requested == sorted(t.pk for t in due)
    assert set(SurveillanceTest.objects.filter(pk__in=[t.pk for t in due]).values_list("status", flat=True)) <= {
        TestStatus.REQUESTED,
        TestStatus.CANCELLED,  # a discharged pathway's request is cancelled with it
    }
    late = SurveillanceTest.objects.filter(due_date=today - days(40), pathway__status=PathwayStatus.ACTIVE)
    no_result = WorkItem.objects.filter(kind=Kind.NO_RESULT, status__in=OPEN_STATUSES)
    assert sorted(no_result.values_list("source_id", flat=True)) == sorted(str(t.pk) for t in late)


def test_beat_sends_the_daily_run_to_a_queue_the_deployed_worker_consumes():
    """The test above sends the task to a queue of its own; this is where beat's `followup-daily`
    goes in a deployment (the entry's time is checked in test_sweep_command.py)."""
    from followup import tasks
    from portal.celery import app

    name = settings.CELERY_BEAT_SCHEDULE["followup-daily"]["task"]
    assert name == tasks.daily.name
    queue = app.amqp.router.route({}, name)["queue"].name
    worker = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("worker:"))
    assert queue in re.search(r"-Q (\S+)", worker)[1].split(",")
