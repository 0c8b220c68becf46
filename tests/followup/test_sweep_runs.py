"""The sweep run twice at once, and a run stopped half-way then run again: nothing done twice,
nothing left undone."""

import datetime
import threading

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection

from followup.models import CheckIn, PathwayChange, PathwayKind, TestChange, TestReminder
from followup.services import sweep
from portal.outbox.models import Notification
from portal.worklist.models import Kind, WorkItem
from tests.followup.sweep_helpers import TODAY, add_test, quiet_pathway

days = datetime.timedelta


def busy_day(n=6):
    """n pathways, each with a test to remind of, a check-in due and a late test; and (n + 1) // 2
    patient-initiated pathways whose window ended yesterday, each with a late test never asked for."""
    for i in range(n + (n + 1) // 2):
        ended = i >= n
        pathway = quiet_pathway(
            checkin_months=1,
            kind=PathwayKind.PATIENT_INITIATED,
            pifu_end=TODAY - days(1) if ended else TODAY + days(100),
        )
        pathway.anchor_date = TODAY - relativedelta(months=3)
        pathway.save()
        if not ended:
            add_test(pathway, TODAY + days(5), code="CT_CAP")
        add_test(pathway, TODAY - days(40))  # never requested (a missed run): raised as no result


def counts():
    return {
        "reminders": TestReminder.objects.count(),
        "changes": TestChange.objects.count(),
        "checkins": CheckIn.objects.count(),
        "notifications": Notification.objects.count(),
        "discharges": PathwayChange.objects.count(),
        "items": WorkItem.objects.filter(kind=Kind.NO_RESULT).count(),
    }


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_do_nothing_twice():
    busy_day()
    barrier, errors = threading.Barrier(2), []

    def worker():
        try:
            barrier.wait()
            sweep.run(TODAY, chunk=2)
        except Exception as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    together = counts()
    # Every reminder once, each test requested once; discharged tests were reminded before or not at all.
    assert together["reminders"] == TestReminder.objects.values("test", "lead_days").distinct().count()
    assert together["discharges"] == 3
    assert together["checkins"] == CheckIn.objects.values("pathway").distinct().count()
    no_result = WorkItem.objects.filter(kind=Kind.NO_RESULT)
    assert together["items"] == no_result.values("source_id").distinct().count() >= 6
    assert Notification.objects.values("idempotency_key").distinct().count() == together["notifications"]
    sweep.run(TODAY)
    assert counts() == together
    # A late test of a pathway one run discharged while the other raised its item: the item is closed.
    assert no_result.filter(status__in=["open", "in_progress"]).count() == 6


@pytest.mark.django_db
def test_a_run_stopped_mid_chunk_is_finished_by_the_next(monkeypatch):
    busy_day(n=5)
    real, calls = sweep._request, []

    def crash_in_the_second_chunk(tests, lead_of, today):
        calls.append(len(tests))
        if len(calls) == 2:  # after the chunk's claims, messages and letters were written
            raise RuntimeError("worker killed")
        return real(tests, lead_of, today)

    monkeypatch.setattr(sweep, "_request", crash_in_the_second_chunk)
    with pytest.raises(RuntimeError):
        sweep.run(TODAY, chunk=2)
    # The first chunk (2 tests) was committed; the chunk that crashed left nothing behind.
    assert TestReminder.objects.count() == 2
    assert Notification.objects.filter(template="followup.test_reminder").count() == 2
    monkeypatch.setattr(sweep, "_request", real)
    sweep.run(TODAY, chunk=2)
    assert TestReminder.objects.count() == 5
    assert Notification.objects.filter(template="followup.test_reminder").count() == 5
    assert TestChange.objects.filter(status_to="requested").count() == 5
    assert CheckIn.objects.count() == 5 and PathwayChange.objects.count() == 3
