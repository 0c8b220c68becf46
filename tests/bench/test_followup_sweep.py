"""The daily follow-up sweep over 1,000,000 scheduled tests (about 20,000 due or overdue), against
one raw SQL statement selecting the same due rows, in the same process and run; wall time and peak
RSS. FOLLOWUP_BENCH_TESTS sets a smaller size for a quick check (e.g. 20000).

No timed assertions: the numbers go to the report. The test checks that the sweep did the work the
seed set up (every due test reminded or raised, each once) and that a second run did nothing new."""

import json
import os
import subprocess
import sys

import pytest

from tests.bench import harness

pytestmark = pytest.mark.bench

TESTS = int(os.environ.get("FOLLOWUP_BENCH_TESTS", "1000000"))


def run(database_url, *args) -> dict:
    """harness.run_seed with room for the full size (its 5-minute limit is about what the first run
    takes at 1,000,000 tests on a busy 2-core machine)."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.seed_followup", *args],
        cwd=harness.REPO,
        env=harness.server_env(database_url),
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_followup_sweep_against_raw_sql(bench_database, bench_report):
    seeded = run(bench_database, "seed", "--tests", str(TESTS))
    done = run(bench_database, "sweep")
    assert done["due_rows"] == seeded["due"] > 0
    first, second = done["first_run"], done["second_run"]
    in_window = TESTS // 100  # n % 100 == 0: due within the reminder window
    overdue = TESTS // 100 if TESTS % 100 < 2 else TESTS // 100 + 1
    assert first["reminders"] == in_window and first["no_result"] == overdue
    assert first["checkins"] == seeded["pathways"] // 100
    assert second["reminders"] == second["no_result"] == second["checkins"] == 0

    sweep_timing = harness.Timing("followup sweep, first run (does the day's work)", [done["first_run_seconds"]])
    idle_timing = harness.Timing("followup sweep, second run (nothing new to do)", [done["second_run_seconds"]])
    raw_timing = harness.Timing("one raw SQL SELECT of the due rows", [done["raw_sql_seconds"]])
    notes = [
        f"{seeded['tests']:,} tests on {seeded['pathways']:,} pathways; {done['due_rows']:,} due or overdue "
        f"({in_window:,} in the reminder window, {overdue:,} overdue with no result); "
        f"{seeded['pathways'] // 100:,} monthly check-ins due; a quarter of patients prefer post.",
        f"Peak RSS of the sweep process {done['peak_rss_mb']} MB (after Django set-up and the raw SELECT: "
        f"{done['rss_before_mb']} MB).",
        "The first run writes for every due row: a reminder claim, a message or letter, a test request with "
        "its history row, a GP request for blood tests, audit events, and a worklist item with its history "
        "for each overdue test; the raw SELECT writes nothing.",
    ]
    bench_report.add_timing(
        "followup-sweep", "The daily follow-up sweep against one raw SQL SELECT of the same due rows.",
        sweep_timing, raw_timing, unit="ms", notes=notes,
    )  # fmt: skip
    bench_report.add_timing(
        "followup-sweep-idle", "The sweep with nothing new to do (the cost of finding the work).",
        idle_timing, raw_timing, unit="ms", notes=notes[:2],
    )  # fmt: skip
