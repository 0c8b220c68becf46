"""The follow-up caseload page of a team with 500 patients on follow-up, against a bare view behind
the same middleware. The page shows 50 pathways a page (the first of 10 pages here), with the team's
counts by kind and status over all 500; against issue 16's two baselines, bare Django and the
portal's bare view with the same session.

No timed assertions: the numbers go to the report. The test checks only that both pages ran and
answered 200 to every request, and that the ratios are real numbers."""

import http.client

import pytest

from tests.bench import harness

pytestmark = pytest.mark.bench

PATIENTS = 500
PAGE_SIZE = 50  # followup.views.path_staff.caseload_page's Paginator


def test_followup_caseload_against_bare_view(bench_database, bench_server, ceiling_server, bench_report):
    seeded = harness.run_seed(
        bench_database, "caseload", "--patients", str(PATIENTS), module="tests.bench.seed_followup"
    )
    cookie = f"{seeded['cookie_name']}={seeded['cookie_value']}"

    # The session really signs in and the page really lists one page of the 500 pathways.
    conn = http.client.HTTPConnection(harness.HOST, bench_server.port, timeout=30)
    conn.request("GET", "/follow-up/", headers={"Cookie": cookie})
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    assert response.status == 200, f"{response.status} {response.getheader('Location')}"
    assert body.count("/follow-up/patients/") == PAGE_SIZE
    assert f"</strong> {PATIENTS}</li>" in body, "the count by kind and status covers all the pathways"

    ceiling, bare = harness.baselines(ceiling_server)
    page = harness.Measurement(f"Follow-up caseload, {PATIENTS} patients", "/follow-up/")
    harness.warm_then_alternate(bench_server, cookie, ceiling, bare, page)

    comparison = bench_report.add_page(
        "followup-caseload-500",
        f"GET /follow-up/ signed in as a CNS whose team has {PATIENTS} patients on active follow-up "
        f"pathways ({seeded['tests']} planned tests), showing the first page of {PAGE_SIZE}.",
        page,
        ceiling=ceiling,
        platform=bare,
        profile=lambda: harness.profile_page(bench_database, page, cookie),
    )
    bench_report.notes += [
        f"The caseload page writes one audit event per pathway shown ({PAGE_SIZE}, one bulk insert) and "
        "counts overdue tests, results to review and open concerns per pathway in subqueries of one query; "
        "tests/followup/test_path_pages.py checks its query count does not grow with the caseload.",
    ]
    harness.assert_all_answered(bench_server, ceiling, bare, page)
    assert comparison["ratios"]["to_ceiling"] > 0
    assert comparison["ratios"]["to_platform"] > 0
