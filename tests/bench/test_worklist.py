"""The signed-in worklist page with 50 items, against a bare view behind the same middleware.

No timed assertions: the numbers go to the report. The test checks only that both pages ran and
answered 200 to every request, and that the ratios are real numbers."""

import http.client

import pytest

from tests.bench import harness

pytestmark = pytest.mark.bench

ITEMS = 50


def test_worklist_against_bare_view(bench_database, bench_server, bench_report):
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

    bare = harness.Measurement("Bare view", "/bench/bare/")
    page = harness.Measurement(f"Worklist, {ITEMS} items", "/worklist/")
    harness.warm_then_alternate(bench_server, cookie, bare, page)

    comparison = bench_report.add(
        "worklist-50",
        f"GET /worklist/ signed in as a CNS whose team has {ITEMS} open items ({ITEMS} more belong to "
        "another team), against GET /bench/bare/ (a view returning a 2-byte response) with the same "
        "session cookie and middleware.",
        subject=page,
        baseline=bare,
    )
    bench_report.notes += [
        "MFA is not waived: the bench CNS has a TOTP authenticator, and the session is created "
        "server-side (the test client's force_login, which also starts the absolute session clock), so "
        "the sign-in itself is not timed; the MFA middleware's check runs on every request.",
        "Every worklist request writes one audit event per item shown (one bulk insert); the bare view "
        "writes none. Sessions are saved on every request for both (SESSION_SAVE_EVERY_REQUEST).",
        "gunicorn sync workers (as in production) close the connection after each response, so each "
        "request includes a new local TCP connection; gunicorn's access log is off.",
        f"Settings: tests.bench.settings (test settings + bench URLconf); database "
        f"`{harness.dj_database_url.parse(bench_database)['NAME']}`, created, migrated and dropped by the run.",
    ]
    harness.assert_all_answered(bench_server, bare, page)
    assert comparison["ratios"]["rps"] > 0
    assert comparison["ratios"]["p95"] > 0
