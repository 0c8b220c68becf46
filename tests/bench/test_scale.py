"""Scale (issue 16 item 6): the worklist, the patient search (by NHS number and by name) and the GP
inbox with 1,000,000 patients, 3,000,000 audit rows and 200,000 work items, against the same pages
with 1,000 patients, measured in the same run. SCALE_BENCH_PATIENTS sets a smaller large size for a
quick check. Goal: each page within 1.5 times its time at 1,000 patients.

Two databases of the benchmark's own (not the shared bench database, which other benchmarks fill
with their own data), seeded with the same shape by tests/bench/seed_scale.py: the pages show the
same rows at both sizes, so a ratio is the effect of the tables' size alone. The pages are timed in
process (the Django test client, every middleware, one database connection) in a process per round,
rounds alternating between the sizes so drift on the machine falls on both (ADR 0059).

No timed assertions: the numbers go to the report. The test checks that the pages answered, showed
the same rows and counts at both sizes, and that the ratios are real numbers."""

import os
import time
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.bench import harness, seed_scale

pytestmark = pytest.mark.bench

SMALL = 1_000
LARGE = int(os.environ.get("SCALE_BENCH_PATIENTS", "1000000"))
AUDIT_CHUNK = 250_000  # rows per seed process: each well inside run_seed's time limit
ROUNDS = 4  # alternating processes per size
CALLS = 15  # timed calls of each page per round, after the warm-up
DESCRIPTIONS = {
    "worklist": "GET /worklist/ as the bench CNS, whose team has 50 open items",
    "search-nhs-number": "GET /patients/?q=<an NHS number, spaced> as the bench CNS (one patient found)",
    "search-name": f"GET /patients/?q={seed_scale.SEARCH_NAME.lower()} as the bench CNS (name search in a team of "
    f"{seed_scale.TEAM_PATIENTS})",
    "gp-inbox": "GET /treatment-summaries/inbox/ as the bench GP, whose practice has 200 sent summaries (first page)",
}


def database_url(base_url: str, suffix: str) -> str:
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path=f"/{parts.path.lstrip('/') or 'portal'}_scale_{suffix}"))


def seed(url: str, patients: int) -> dict:
    """The whole seed of one size, step by step; the seconds of each step (wall clock, this process)."""
    steps = {}

    def step(name, *args):
        started = time.perf_counter()
        answer = harness.run_seed(url, *args, module="tests.bench.seed_scale")
        steps[name] = steps.get(name, 0) + time.perf_counter() - started
        return answer

    started = time.perf_counter()
    harness.run_seed(url, "migrate")
    steps["migrate"] = time.perf_counter() - started
    base = step("people, work items, summaries", "base", "--patients", str(patients))
    rows = patients * seed_scale.AUDIT_PER_PATIENT
    for offset in range(0, rows, AUDIT_CHUNK):
        count = min(AUDIT_CHUNK, rows - offset)
        step("audit rows", "audit", "--rows", str(count), "--offset", str(offset), "--patients", str(patients))
    step("vacuum analyze", "analyze")
    return {"base": base, "audit_rows": rows, "seconds": {name: round(s, 1) for name, s in steps.items()}}


@pytest.fixture(scope="module")
def sizes():
    base_url = os.environ["DATABASE_URL"]
    urls = {SMALL: database_url(base_url, "small"), LARGE: database_url(base_url, "large")}
    try:
        seeded = {}
        for patients, url in urls.items():
            harness.recreate_database(base_url, url)
            seeded[patients] = seed(url, patients)
        yield urls, seeded
    finally:
        for url in urls.values():
            harness.drop_database(base_url, url)


def test_pages_at_a_million_patients_against_a_thousand(sizes, bench_report):
    urls, seeded = sizes
    for patients in (SMALL, LARGE):
        assert seeded[patients]["base"]["patients"] == patients
    samples = {size: {} for size in urls}
    shown = {}
    for turn in range(ROUNDS):
        order = [SMALL, LARGE] if turn % 2 == 0 else [LARGE, SMALL]
        for size in order:
            answer = harness.run_seed(urls[size], "measure", "--calls", str(CALLS), module="tests.bench.seed_scale")
            for name, values in answer["samples"].items():
                samples[size].setdefault(name, []).extend(values)
            shown.setdefault(size, answer["shown"])
            paths = answer["paths"]

    # The same rows at both sizes: the comparison is the tables' size, not the pages' length.
    assert shown[SMALL] == shown[LARGE], shown
    for name, what in shown[SMALL].items():
        assert what["rows"] > 0 and what["count"], (name, what)

    large = seeded[LARGE]
    seed_seconds = sum(large["seconds"].values())
    for name, description in DESCRIPTIONS.items():
        comparison = bench_report.add_timing(
            f"scale-{name}",
            f"{description}: at {LARGE:,} patients ({large['audit_rows']:,} audit rows, "
            f"{large['base']['work_items']:,} work items, {large['base']['deliveries']:,} sent summaries) against "
            f"{SMALL:,} patients of the same shape. Goal: a ratio of at most 1.5.",
            subject=harness.Timing(f"{name} at {LARGE:,} patients", samples[LARGE][name]),
            baseline=harness.Timing(f"{name} at {SMALL:,} patients", samples[SMALL][name]),
            unit="ms",
            notes=[
                f"`{paths[name]}`; both sizes showed {shown[SMALL][name]['rows']} rows (the page's count: "
                f"{shown[SMALL][name]['count']}). Timed in process (Django test client, every middleware, the "
                f"audit rows written), {ROUNDS} rounds of {CALLS} calls per size after 3 warm-up calls, one "
                "process per round, the sizes alternating.",
                f"Seeding {LARGE:,} patients took {seed_seconds:.0f} s: "
                + ", ".join(f"{step} {s:.0f} s" for step, s in large["seconds"].items())
                + " (the audit rows go through the hash-chain trigger, one row at a time).",
            ],
        )
        assert comparison["ratios"]["median"] > 0
