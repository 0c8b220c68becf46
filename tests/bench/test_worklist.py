"""The signed-in worklist page with 50 items, against bare Django and the portal's bare view behind
the same middleware and session (issue 16's two baselines).

No timed assertions: the numbers and the goal go to the report. The test checks only that the pages
ran and answered 200 to every request, and that the ratios are real numbers."""

import http.client

import pytest

from tests.bench import harness

pytestmark = pytest.mark.bench

ITEMS = 50


def test_worklist_against_bare_view(bench_database, bench_server, ceiling_server, bench_report):
    seeded = harness.run_seed(bench_database, "worklist", "--items", str(ITEMS))
    cookie = f"{seeded['cookie_name']}={seeded['cookie_value']}"

    # The session really signs in and the page really lists the items.
    conn = http.client.HTTPConnection(harness.HOST, bench_server.port, timeout=30)
    conn.request("GET", "/worklist/", headers={"Cookie": cookie})
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    assert response.status == 200, f"{response.status} {response.getheader('Location')}"
    assert body.count('class="nhsuk-table__row"') == ITEMS

    ceiling, bare = harness.baselines(ceiling_server)
    page = harness.Measurement(f"Worklist, {ITEMS} items", "/worklist/")
    harness.warm_then_alternate(bench_server, cookie, ceiling, bare, page)

    comparison = bench_report.add_page(
        "worklist-50",
        f"GET /worklist/ signed in as a CNS whose team has {ITEMS} open items ({ITEMS} more belong to another team).",
        page,
        ceiling=ceiling,
        platform=bare,
        profile=lambda: harness.profile_page(bench_database, page, cookie),
    )
    bench_report.notes += [
        "MFA is not waived: the bench CNS has a TOTP authenticator, and the session is created "
        "server-side (the test client's force_login, which also starts the absolute session clock), so "
        "the sign-in itself is not timed; the MFA middleware's check runs on every request.",
        "Every worklist request writes one audit event per item shown (one bulk insert); the bare view writes none.",
        "gunicorn sync workers (as in production) close the connection after each response, so each "
        "request includes a new local TCP connection; gunicorn's access log is off.",
        "Bare Django: tests.bench.settings_bare (no middleware, no apps, no database) under a second gunicorn "
        "with the same workers; its view and path are the portal's bare view's.",
        f"Settings: tests.bench.settings (production-like: ADR 0058; bench URLconf); database "
        f"`{harness.dj_database_url.parse(bench_database)['NAME']}`, created, migrated and dropped by the run.",
    ]
    harness.assert_all_answered(bench_server, ceiling, bare, page)
    assert comparison["ratios"]["to_ceiling"] > 0
    assert comparison["ratios"]["to_platform"] > 0
