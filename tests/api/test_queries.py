"""The list costs the same number of queries for 5 patients as for 50: no query per row for the
practice, the care teams or the audit events."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import PATIENTS
from tests.factories import PatientFactory


def count_queries(api) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(PATIENTS)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


def add_patients(cast, n):
    for _ in range(n):
        PatientFactory(care_teams=[cast.team_a, cast.team_b])  # each at its own new practice


def test_list_query_count_is_flat(cast, api_as):
    api = api_as(cast.cns_a)
    api.get(PATIENTS)  # warm up: the first use of a token records last_used_at
    add_patients(cast, 4)
    five, listed = count_queries(api)
    assert listed == 5
    add_patients(cast, 45)
    fifty, listed = count_queries(api)
    assert listed == 50
    assert fifty == five
    assert five <= 8, "token, role, count, page, care teams, audit insert (and savepoints)"
