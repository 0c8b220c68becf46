"""Two dispatches at once on real PostgreSQL (issue 12 item 4): the insert of the second waits on the
first's uncommitted rows under the unique constraint and then inserts nothing, and two whole runs
racing through the same day's work split it, inviting and sending to nobody twice."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from qol_survey.models import Invitation, InvitationSend
from qol_survey.services import dispatch
from tests.followup.test_sweep_real_worker import backends_waiting_on
from tests.qol_survey.dispatch_helpers import TODAY, crowd, tally

pytestmark = pytest.mark.django_db(transaction=True)  # each thread has its own connection


def in_thread(target, *args):
    """Run target(*args) in a thread with its own database connection; its result or error."""
    out = {}

    def work():
        try:
            out["result"] = target(*args)
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            out["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread, out


def test_a_second_insert_waits_for_the_first_and_then_invites_nobody_again():
    crowd(12)
    with transaction.atomic():
        assert dispatch.invite(TODAY) == 12
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            ours = cursor.fetchone()[0]
        thread, out = in_thread(dispatch.invite, TODAY)
        deadline = time.monotonic() + 30
        while not backends_waiting_on(ours) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert backends_waiting_on(ours), "the second insert did not wait on the first's rows"
    thread.join(timeout=30)
    assert out == {"result": 0}
    assert Invitation.objects.count() == 12


def test_two_runs_at_once_invite_and_send_to_nobody_twice():
    crowd(30)
    barrier = threading.Barrier(2)

    def run():
        barrier.wait()
        return dispatch.run(TODAY, chunk=2)

    runs = [in_thread(run) for _ in range(2)]
    for thread, _ in runs:
        thread.join(timeout=120)
    results = [out.get("result") for _, out in runs]
    assert all(results), [out.get("error") for _, out in runs]
    assert sum(r["invited"] for r in results) == 30
    assert sum(r["email"] + r["sms"] + r["post"] for r in results) == 30
    done = tally()
    assert done["invitations"] == done["sends"] == 30
    assert done["notifications"] + done["letters"] == 30
    assert done["audit"] == 30
    assert set(InvitationSend.objects.values_list("invitation", flat=True)) == set(
        Invitation.objects.values_list("pk", flat=True)
    )
