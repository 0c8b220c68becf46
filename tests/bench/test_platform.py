"""The platform's own cost (issue 16): the portal's bare view signed in (the whole middleware
stack, session and MFA check, a 2-byte response) and the sign-in page signed out, each against
bare Django (no middleware) measured in the same run.

No timed assertions: the numbers and whether the goals are met go to the report. The test checks
that the session really signs in, that the sign-in page is the form, and that every request was
answered 200."""

import http.client

import pytest

from tests.bench import harness

pytestmark = pytest.mark.bench

SIGN_IN = "/accounts/login/"


def _get(port, path, cookie=""):
    conn = http.client.HTTPConnection(harness.HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers={"User-Agent": "portal-bench"} | ({"Cookie": cookie} if cookie else {}))
        response = conn.getresponse()
        return response.status, response.getheader("Location"), response.read().decode()
    finally:
        conn.close()


def test_platform_against_bare_django(bench_database, bench_server, ceiling_server, bench_report):
    seeded = harness.run_seed(bench_database, "user")
    cookie = f"{seeded['cookie_name']}={seeded['cookie_value']}"

    # Signed in: the home page answers 200 with the session (no redirect to sign-in or to MFA), and
    # without it redirects to sign-in; the bare view says ok on both servers.
    assert _get(bench_server.port, "/", cookie)[0] == 200
    status, location, _ = _get(bench_server.port, "/")
    assert status == 302 and location.startswith(SIGN_IN), (status, location)
    for port in (bench_server.port, ceiling_server.port):
        assert _get(port, harness.BARE_PATH, cookie)[::2] == (200, "ok")
    status, _, body = _get(bench_server.port, SIGN_IN)
    assert status == 200 and 'name="password"' in body and "csrfmiddlewaretoken" in body

    ceiling, platform = harness.baselines(ceiling_server)
    sign_in = harness.Measurement("Sign-in page, signed out", SIGN_IN)
    harness.warm_then_alternate(bench_server, cookie, ceiling, platform)
    # Signed out: no cookie at all (each request makes a new CSRF cookie, as a first visit does).
    sign_in_ceiling, _ = harness.baselines(ceiling_server)
    harness.warm_then_alternate(bench_server, "", sign_in_ceiling, sign_in)

    bench_report.add_page(
        "signed-in-bare",
        f"GET {harness.BARE_PATH} signed in as a CNS with an authenticator app: the whole middleware stack, "
        "session and MFA check around a view returning 2 bytes; the platform baseline of every other page.",
        platform,
        ceiling=ceiling,
        platform=None,
        profile=lambda: harness.profile_page(bench_database, platform, cookie),
        notes=["Its ratio to bare Django is the platform's fixed cost: what every signed-in page pays first."],
    )
    bench_report.add_page(
        "sign-in-page",
        f"GET {SIGN_IN} signed out (no cookie): allauth's form rendered by Django templates, a new CSRF token.",
        sign_in,
        ceiling=sign_in_ceiling,
        platform=platform,
        profile=lambda: harness.profile_page(bench_database, sign_in),
    )
    harness.assert_all_answered(bench_server, ceiling, platform, sign_in_ceiling, sign_in)
