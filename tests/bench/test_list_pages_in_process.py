"""The two list pages of issue 16 item 3, timed in the pytest process (Django test client, no
server): the worklist with 50 items and the GP inbox with 200 summaries, each against the portal's
own signed-in bare view (/bench/bare/: the whole middleware stack and session, no page), in
alternating calls. The goal is under 20 ms a page in process (ADR 0057).

The data is the served benchmarks' own (tests/bench/seed.py and seed_summaries.py, called here in
process). The summaries get a stand-in PDF the size of a real one: the list must not read it.

No timed assertions: the numbers go to the report. The tests check that every request answered 200
with the rows expected, and that the audit rows of a request came in one INSERT."""

import statistics
import time

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from jinja2 import Template

from portal.audit.models import AuditEvent
from portal.people.models import User
from tests.bench import harness, seed, seed_summaries

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

CALLS = 50  # per page, after one warm-up call
ITEMS = 50
DELIVERIES = 200
OTHER_DELIVERIES = 20  # another practice's: the list must leave them out
INBOX_PAGE_SIZE = 50
PDF_BYTES = 40 * 1024  # about a real summary PDF (tests/bench/test_summaries.py reports its size)
BARE = "/bench/bare/"
GOAL_MS = 20


class CpuTiming(harness.Timing):
    """Like harness.Timing, but the pytest process's CPU time: leaves out PostgreSQL's work and any
    wait for a CPU, so it holds still on a machine shared with other work (wall time does not)."""

    def time(self, fn, *args, **kwargs):
        started = time.process_time()
        result = fn(*args, **kwargs)
        self.samples.append(time.process_time() - started)
        return result


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.get("Location"))
    return response


def _profile(client, url) -> dict:
    """One more request of `url`, taken apart: its queries (and how many INSERTs into the access log),
    their time, and the time spent rendering templates."""
    rendering = []
    render = Template.render

    def timed_render(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return render(self, *args, **kwargs)
        finally:
            rendering.append(time.perf_counter() - started)

    sql = []

    def timed_sql(execute, statement, params, many, context):
        started = time.perf_counter()
        try:
            return execute(statement, params, many, context)
        finally:
            sql.append((time.perf_counter() - started, statement))

    Template.render = timed_render
    try:
        with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(timed_sql):
            response = _get(client, url)
    finally:
        Template.render = render
    statements = [q["sql"] for q in ctx.captured_queries]
    return {
        "response": response,
        "queries": len(statements),
        "audit_inserts": sum('INSERT INTO "audit_auditevent"' in s for s in statements),
        "sql_ms": sum(seconds for seconds, _ in sql) * 1e3,
        "slowest": [(seconds * 1e3, _what(statement)) for seconds, statement in sorted(sql, reverse=True)[:3]],
        "render_ms": sum(rendering) * 1e3,
    }


def _what(statement: str) -> str:
    """A statement, shortly: its verb and first table (pghistory's set_config prefix left off)."""
    words = statement.split("; ")[-1].split()
    tables = [w.strip('"') for i, w in enumerate(words) if i and words[i - 1] in ("FROM", "INTO", "UPDATE")]
    return " ".join([words[0], *tables[:1]])


def _analyze() -> None:
    """Planner statistics for the seeded tables, as autovacuum keeps them in production: a freshly
    seeded test database has none, and the planner then chooses as if the tables were empty."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _time(client, page_name, url, bare_name):
    """Warm both up, then CALLS alternating calls of each, timed in wall time, then CALLS more in
    CPU time; (page, bare, page CPU, bare CPU, page profile, bare profile)."""
    page, bare = harness.Timing(page_name), harness.Timing(bare_name)
    page_cpu, bare_cpu = CpuTiming(f"{page_name} (CPU)"), CpuTiming(f"{bare_name} (CPU)")
    for target in (url, BARE):
        _get(client, target)  # templates compiled, the session's first-request work done
    harness.alternate([(page, lambda: _get(client, url)), (bare, lambda: _get(client, BARE))], CALLS)
    harness.alternate([(page_cpu, lambda: _get(client, url)), (bare_cpu, lambda: _get(client, BARE))], CALLS)
    return page, bare, page_cpu, bare_cpu, _profile(client, url), _profile(client, BARE)


def _add_cpu(bench_report, name, page_cpu, bare_cpu) -> None:
    own = (statistics.median(page_cpu.samples) - statistics.median(bare_cpu.samples)) * 1e3
    bench_report.add_timing(
        f"{name}-cpu",
        f"The same two pages, {CALLS} more alternating calls each, timed in the pytest process's CPU time.",
        subject=page_cpu,
        baseline=bare_cpu,
        notes=[f"The page's own CPU time (median minus the bare view's): {own:.1f} ms."],
    )


def _notes(page, bare, page_profile, bare_profile, rows: int) -> list[str]:
    own = (statistics.median(page.samples) - statistics.median(bare.samples)) * 1e3
    median = statistics.median(page.samples) * 1e3
    return [
        f"Goal (issue 16 item 3): under {GOAL_MS} ms in process. This run: median {median:.1f} ms, of which "
        f"{own:.1f} ms is the page's own (median minus the bare view's median).",
        f"Queries: the page {page_profile['queries']} ({page_profile['sql_ms']:.1f} ms in the database driver, "
        f"one request taken apart after the timed calls), the bare view {bare_profile['queries']} "
        f"({bare_profile['sql_ms']:.1f} ms). The page's access log rows ({rows}) came in "
        f"{page_profile['audit_inserts']} INSERT.",
        f"Rendering the page's templates: {page_profile['render_ms']:.1f} ms in that request. Its slowest "
        "statements: " + ", ".join(f"{what} {ms:.1f} ms" for ms, what in page_profile["slowest"]) + ".",
        "Before this work (commit 3d4497f, measured the same way on the same machine): see ADR 0057.",
        "Test settings (tests.bench runs them in process): locmem cache, synchronous_commit off; the "
        "session is saved at most once a minute on both sides, as the platform does (ADR 0056).",
    ]


@override_settings(ROOT_URLCONF="tests.bench.urls")
def test_worklist_50_in_process(client, bench_report):
    seeded = seed.worklist(ITEMS)  # a CNS with an authenticator app; as many items again for another team
    client.force_login(User.objects.get(email=seeded["user"]))
    before = AuditEvent.objects.count()
    _analyze()
    page, bare, page_cpu, bare_cpu, page_profile, bare_profile = _time(
        client, f"GET /worklist/, {ITEMS} items", "/worklist/", "GET /bench/bare/, same session"
    )

    body = page_profile["response"].content.decode()
    assert body.count('class="nhsuk-table__row"') == ITEMS
    assert page_profile["audit_inserts"] == 1
    # Every worklist request (warm-up, timed twice over, taken apart) wrote one row per item shown.
    assert AuditEvent.objects.count() - before == (2 * CALLS + 2) * ITEMS
    comparison = bench_report.add_timing(
        "worklist-50-in-process",
        f"GET /worklist/ in the test client, signed in as a CNS (with an authenticator app) whose team has "
        f"{ITEMS} open items ({ITEMS} more belong to another team): {page_profile['queries']} queries, "
        f"against GET /bench/bare/ with the same session ({bare_profile['queries']} queries).",
        subject=page,
        baseline=bare,
        notes=_notes(page, bare, page_profile, bare_profile, ITEMS),
    )
    _add_cpu(bench_report, "worklist-50-in-process", page_cpu, bare_cpu)
    assert comparison["ratios"]["median"] > 0


@override_settings(ROOT_URLCONF="tests.bench.urls")
def test_gp_inbox_200_in_process(client, bench_report, monkeypatch):
    monkeypatch.setattr(seed_summaries, "STAND_IN_PDF", b"%PDF-1.4 " + b"0" * PDF_BYTES)
    seeded = seed_summaries.inbox(DELIVERIES, OTHER_DELIVERIES)  # every field filled, through the services
    assert (seeded["deliveries"], seeded["other_deliveries"]) == (DELIVERIES, OTHER_DELIVERIES)
    client.force_login(User.objects.get(email=seeded["user"]))
    inbox = "/treatment-summaries/inbox/"
    _analyze()
    page, bare, page_cpu, bare_cpu, page_profile, bare_profile = _time(
        client, f"GET {inbox}, {DELIVERIES} summaries (first page)", inbox, "GET /bench/bare/, same session"
    )

    body = page_profile["response"].content.decode()
    assert f"All ({DELIVERIES})" in body
    assert body.count('class="nhsuk-table__row"') == INBOX_PAGE_SIZE
    assert page_profile["audit_inserts"] == 1
    comparison = bench_report.add_timing(
        "gp-inbox-200-in-process",
        f"GET {inbox} in the test client, signed in as a GP (with an authenticator app) whose practice has "
        f"{DELIVERIES} sent summaries ({OTHER_DELIVERIES} more went to another practice; each with a "
        f"{PDF_BYTES // 1024} KiB stand-in PDF), first page of {INBOX_PAGE_SIZE}: {page_profile['queries']} "
        f"queries, against GET /bench/bare/ with the same session ({bare_profile['queries']} queries).",
        subject=page,
        baseline=bare,
        notes=_notes(page, bare, page_profile, bare_profile, INBOX_PAGE_SIZE),
    )
    _add_cpu(bench_report, "gp-inbox-200-in-process", page_cpu, bare_cpu)
    assert comparison["ratios"]["median"] > 0
