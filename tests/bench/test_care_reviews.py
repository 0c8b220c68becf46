"""The care reviews due list (issue 14): GET /care-reviews/ for a GP practice with 400 patients
diagnosed in the last 24 months, against bare Django and the portal's bare view with the same session;
and its query count, the same for a practice of 40 as for one of 400.

No timed assertions: the numbers go to the report. The test checks that the page lists every
patient, that every request was answered 200, that the ratios are real numbers, and that the query
count does not grow with the list."""

import http.client
import re

import pytest

from tests.bench import harness

pytestmark = pytest.mark.bench

SEED = "tests.bench.seed_care_reviews"
SMALL, PATIENTS = 40, 400
ROW = re.compile(r'<tr role="row" class="nhsuk-table__row">')


def _get(port, path, cookie):
    conn = http.client.HTTPConnection(harness.HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "User-Agent": "portal-bench"})
        response = conn.getresponse()
        return response.status, response.getheader("Location"), response.read().decode()
    finally:
        conn.close()


def test_care_reviews_due_list_400_against_bare_view(bench_database, bench_server, ceiling_server, bench_report):
    seeded = harness.run_seed(bench_database, "practices", "--sizes", str(SMALL), str(PATIENTS), module=SEED)
    small, big = seeded[str(SMALL)], seeded[str(PATIENTS)]
    # Flat: the list is read in a fixed number of queries (services.due), whatever its length.
    assert small["queries"] == big["queries"], (small["queries"], big["queries"])
    cookie = f"{big['cookie_name']}={big['cookie_value']}"

    # The session really signs in as the GP, and the page lists the practice's 400 patients (not
    # the other practice's 40 as well).
    status, location, body = _get(bench_server.port, "/care-reviews/", cookie)
    assert status == 200, f"{status} {location} {body[:500]}"
    assert len(ROW.findall(body)) == PATIENTS

    ceiling, bare = harness.baselines(ceiling_server)
    page = harness.Measurement(f"Care reviews due list, {PATIENTS} patients", "/care-reviews/")
    harness.warm_then_alternate(bench_server, cookie, ceiling, bare, page)

    comparison = bench_report.add_page(
        "care-reviews-due-400",
        f"GET /care-reviews/ signed in as a GP (with an authenticator app) whose practice has {PATIENTS} "
        f"patients diagnosed in the last 24 months ({big['reviews']} early contacts and reviews recorded "
        f"through the services, {big['requests']} open requests), all on one page.",
        page,
        ceiling=ceiling,
        platform=bare,
        profile=lambda: harness.profile_page(bench_database, page, cookie),
        notes=[
            f"Queries per request: {big['queries']} for {PATIENTS} patients and {small['queries']} for {SMALL} "
            "(Django's test client in the seed process, after a warm-up request; asserted equal).",
            f"The list is three reads (diagnoses with patients, reviews, open requests) worked out in Python, "
            f"one audit event per patient listed (one bulk insert), and a table of {PATIENTS} rows, not "
            f"paginated ({len(body) // 1024} KiB of HTML).",
        ],
    )
    harness.assert_all_answered(bench_server, ceiling, bare, page)
    assert comparison["ratios"]["to_ceiling"] > 0
    assert comparison["ratios"]["to_platform"] > 0
