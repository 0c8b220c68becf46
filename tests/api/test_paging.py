"""Paging on every API list: `limit` is a whole number from 1 to 100 and `offset` from 0 to
MAX_OFFSET; anything else is a 400 that names the parameter, never a silent default or clamp."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.api.pagination import MAX_OFFSET
from portal.audit.models import AuditEvent
from tests.api.conftest import PATIENTS
from tests.api.test_malformed import assert_json_error
from tests.factories import PatientFactory

LISTS = [PATIENTS, "/api/v1/hna/assessments/", "/api/v1/care-plans/", "/api/v1/treatment-summaries/"]


@pytest.fixture
def register_of_101(cast):
    """cast.patient and 100 more in team A: one more than a page can hold."""
    PatientFactory.create_batch(100, care_teams=[cast.team_a])
    return cast


def results(response) -> list:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_limit_is_100(register_of_101, api_as):
    api = api_as(register_of_101.cns_a)
    page = api.get(f"{PATIENTS}?limit=100").json()
    assert page["count"] == 101 and len(page["results"]) == 100
    assert page["next"].endswith("?limit=100&offset=100")
    body = assert_json_error(api.get(f"{PATIENTS}?limit=101"), 400)
    assert body["errors"] == {"limit": ["limit must be 100 or less: use offset to get the next page"]}


def test_the_next_page_holds_the_rest(register_of_101, api_as):
    api = api_as(register_of_101.cns_a)
    first = results(api.get(f"{PATIENTS}?limit=100"))
    rest = results(api.get(f"{PATIENTS}?limit=100&offset=100"))
    assert len(rest) == 1 and rest[0]["id"] not in {row["id"] for row in first}


def test_without_a_limit_a_page_is_50(register_of_101, api_as):
    assert len(results(api_as(register_of_101.cns_a).get(PATIENTS))) == 50


def test_a_limit_of_1_is_one_row(register_of_101, api_as):
    assert len(results(api_as(register_of_101.cns_a).get(f"{PATIENTS}?limit=1"))) == 1


def test_leading_zeros_are_still_a_whole_number(register_of_101, api_as):
    assert len(results(api_as(register_of_101.cns_a).get(f"{PATIENTS}?limit=007&offset=00"))) == 7


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=101", "limit must be 100 or less: use offset to get the next page"),
        ("limit=999999999999999999999999", "limit must be 100 or less: use offset to get the next page"),
        ("limit=0", "limit must be at least 1"),
        ("limit=-1", "limit must be at least 1"),
        ("limit=-99999999999999999999999", "limit must be at least 1"),
        ("limit=abc", "limit must be a whole number from 1 to 100"),
        ("limit=1.5", "limit must be a whole number from 1 to 100"),
        ("limit=1e2", "limit must be a whole number from 1 to 100"),
        ("limit=", "limit must be a whole number from 1 to 100"),
        ("limit=%2010", "limit must be a whole number from 1 to 100"),
        ("limit=%D9%A3", "limit must be a whole number from 1 to 100"),  # Arabic-Indic 3: int() takes it
        ("limit=%00", "limit must be a whole number from 1 to 100"),
        ("limit=" + "9" * 5000, "limit must be 100 or less: use offset to get the next page"),
    ],
)
def test_a_bad_limit_is_400_naming_it(cast, api_as, path, query, message):
    body = assert_json_error(api_as(cast.cns_a).get(f"{path}?{query}"), 400)
    assert body["errors"] == {"limit": [message]}


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("offset=-1", "offset must be 0 or more"),
        ("offset=abc", "offset must be a whole number from 0 to 1000000000"),
        ("offset=0.5", "offset must be a whole number from 0 to 1000000000"),
        ("offset=%00", "offset must be a whole number from 0 to 1000000000"),
        (f"offset={MAX_OFFSET + 1}", "offset must be 1000000000 or less"),
        ("offset=99999999999999999999999", "offset must be 1000000000 or less"),
    ],
)
def test_a_bad_offset_is_400_naming_it(cast, api_as, path, query, message):
    body = assert_json_error(api_as(cast.cns_a).get(f"{path}?{query}"), 400)
    assert body["errors"] == {"offset": [message]}


def test_the_largest_offset_is_an_empty_page(cast, api_as):
    page = api_as(cast.cns_a).get(f"{PATIENTS}?offset={MAX_OFFSET}").json()
    assert page["count"] == 1 and page["results"] == []


def test_an_offset_of_0_is_the_first_page(cast, api_as):
    assert [row["id"] for row in results(api_as(cast.cns_a).get(f"{PATIENTS}?offset=0"))] == [str(cast.patient.pk)]


def test_both_bad_are_named_together(cast, api_as):
    body = assert_json_error(api_as(cast.cns_a).get(f"{PATIENTS}?limit=0&offset=-1"), 400)
    assert body["errors"] == {"limit": ["limit must be at least 1"], "offset": ["offset must be 0 or more"]}


def test_bad_paging_is_refused_before_any_patient_is_read_or_audited(cast, api_as):
    api = api_as(cast.cns_a)
    api.get(PATIENTS)  # the first use of a token records last_used_at
    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(f"{PATIENTS}?limit=abc").status_code == 400
    assert AuditEvent.objects.count() == before
    assert not [q for q in ctx.captured_queries if "people_patient" in q["sql"]], ctx.captured_queries


def test_the_schema_states_the_bounds(db, client):
    schema = client.get("/api/schema/?format=json").json()
    for path in LISTS:
        parameters = {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}
        assert parameters["limit"] == {"type": "integer", "minimum": 1, "maximum": 100}
        assert parameters["offset"] == {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}
