"""The survey's daily dispatch over 1,000,000 patients (issue 12 item 4): a normal day with 1,500
due, and a backlog day with 100,000 due (a dispatch stopped for ten days), each against one INSERT
... SELECT of the same rows in the same process and run; wall time and peak RSS. QOL_BENCH_PATIENTS,
QOL_BENCH_DUE and QOL_BENCH_BACKLOG set a smaller size for a quick check.

No timed assertions: the numbers go to the report. The test checks that the dispatch did the work
the seed set up (every diagnosis due invited and sent once) and that a second run did nothing."""

import json
import os
import subprocess
import sys
import uuid

import pytest

from tests.bench import harness

pytestmark = pytest.mark.bench

PATIENTS = int(os.environ.get("QOL_BENCH_PATIENTS", "1000000"))
DUE = int(os.environ.get("QOL_BENCH_DUE", "1500"))
BACKLOG = int(os.environ.get("QOL_BENCH_BACKLOG", "100000"))


def run(database_url, prefix, *args) -> dict:
    """harness.run_seed with room for the full size, and a broker key prefix of its own (the sends
    queued after each commit go to queues nobody reads; deleted afterwards)."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.seed_qol", *args],
        cwd=harness.REPO,
        env={**harness.server_env(database_url), "CELERY_KEY_PREFIX": prefix},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def broker_prefix():
    prefix = f"bench-qol-{uuid.uuid4().hex}:"
    yield prefix
    url = os.environ.get("REDIS_URL")
    if url:
        import redis

        client = redis.Redis.from_url(url)
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()


def test_qol_dispatch_against_one_insert_select(bench_database, bench_report, broker_prefix):
    seeded = run(bench_database, broker_prefix, "seed", "--patients", str(PATIENTS), "--due", str(DUE),
                 "--backlog", str(BACKLOG))  # fmt: skip
    days = run(bench_database, broker_prefix, "dispatch")
    for name, due in (("today", DUE), ("backlog", BACKLOG)):
        day = days[name]
        assert day["due_rows"] == day["run"]["invited"] == due
        assert day["run"]["email"] + day["run"]["sms"] + day["run"]["post"] == due
        assert day["second_run"]["invited"] == sum(day["second_run"].values()) == 0

    notes = [
        f"{seeded['patients']:,} patients, one diagnosis each, in three care teams; a quarter prefer post, "
        "a quarter SMS, half email; one diagnosis in five on a site the patient has no team for.",
        "The dispatch writes for every row due: the invitation (the INSERT ... SELECT itself), a send claim, "
        "a message in the outbox or a letter, and an audit event; the baseline only the invitation, rolled back.",
    ]
    for name, label, due in (("today", "a normal day", DUE), ("backlog", "a ten-day backlog", BACKLOG)):
        day = days[name]
        notes_day = [
            *notes,
            f"{due:,} due; peak RSS of the dispatch process {day['peak_rss_mb']} MB (before the run: "
            f"{day['rss_before_mb']} MB); the run: {day['run']}.",
            f"A second run, with nothing new to do: {day['idle_seconds']} s.",
        ]
        bench_report.add_timing(
            f"qol-dispatch-{name}",
            f"The survey's dispatch on {label} ({due:,} due) against one INSERT ... SELECT of the same rows.",
            harness.Timing(f"qol dispatch, {label}", [day["run_seconds"]]),
            harness.Timing("one INSERT ... SELECT of the rows due", [day["insert_select_seconds"]]),
            unit="ms",
            notes=notes_day,
        )
