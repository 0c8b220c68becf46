"""The big tables behind the worklist, the patient search (by NHS number and by name) and the GP inbox
are reached through an index (issue 16 item 6, ADR 0059).

Each page is requested as its real user through the test client; every SELECT it ran on a big table
(patients and their care teams, work items, the summaries and their deliveries) is captured as sent,
and PostgreSQL's EXPLAIN (FORMAT JSON) of it must show no Seq Scan on those tables, no index read from
end to end (an Index Scan with no condition), and the index the page is meant to use.

A test database holds a handful of rows, and there the planner rightly prefers reading a table whole.
So the plans are taken with `SET LOCAL enable_seqscan = off`: that does not forbid a sequential scan,
it only prices it out, so a query with no usable index still shows its Seq Scan and fails here. What
this proves is that a usable index exists for the query as the page writes it; that the planner
chooses it at size is shown by tests/bench/test_scale.py's EXPLAIN ANALYZE at 1,000,000 patients
(`python -m tests.bench.seed_scale explain`; the plans are in ADR 0059)."""

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from portal.worklist.services import raise_item
from tests.factories import PatientFactory
from tests.treatment_summaries.factories import delivered

pytestmark = pytest.mark.django_db

BIG_TABLES = {
    "people_patient",
    "people_patient_care_teams",
    "worklist_workitem",
    "treatment_summaries_practicedelivery",
    "treatment_summaries_summaryversion",
    "treatment_summaries_treatmentsummary",
}


def scans(plan: dict):
    """Every node of a plan tree."""
    yield plan
    for child in plan.get("Plans", ()):
        yield from scans(child)


def page_plans(client, path: str) -> list[list[dict]]:
    """The nodes of the plan of every SELECT the page ran that reads a big table."""
    client.get(path)  # the session's first request (role, MFA) is not the steady state
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    plans = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.startswith("SELECT") or not any(f'"{table}"' in sql for table in BIG_TABLES):
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            plans.append(list(_plan(cursor)))
    assert plans, f"{path} read none of the big tables"
    return plans


def _plan(cursor):
    (document,) = cursor.fetchone()
    if isinstance(document, str):
        document = json.loads(document)
    return scans(document[0]["Plan"])


def assert_indexed(plans, main_table: str, *indexes: str) -> None:
    """No big table read whole or through an index from end to end, and the page's main table
    reached through an index (one whose name starts with one of `indexes`, when given)."""
    reached = set()
    for nodes in plans:
        for node in nodes:
            table, kind = node.get("Relation Name"), node["Node Type"]
            if table not in BIG_TABLES:
                continue
            assert kind != "Seq Scan", f"{table} read whole: {node}"
            found = [node] if kind in ("Index Scan", "Index Only Scan") else []
            if kind == "Bitmap Heap Scan":
                found = [n for n in scans(node) if n["Node Type"] == "Bitmap Index Scan"]
            for scan in found:
                assert scan.get("Index Cond"), f"{table} read through {scan['Index Name']} from end to end"
                reached.add((table, scan["Index Name"]))
    assert any(t == main_table and name.startswith(indexes or "") for t, name in reached), (main_table, reached)


@pytest.fixture
def team_patients(cast):
    patients = [PatientFactory(care_teams=[cast.team_a], registered_practice=cast.practice_a) for _ in range(3)]
    PatientFactory(care_teams=[cast.team_b], registered_practice=cast.practice_b)  # not the team's
    return patients


def test_the_worklist_reads_its_items_through_the_team_index(client, cast, team_patients):
    for i, patient in enumerate(team_patients):
        raise_item(kind="other", patient=patient, team=cast.team_a, source_type="plans", source_id=str(i),
                   title="Plan item", system_actor="test")  # fmt: skip
    client.force_login(cast.cns_a)
    # The team's open items (team, status, priority), or the team's foreign-key index: both lead with
    # the team; on a handful of rows the planner may take either, at size it takes the first.
    assert_indexed(
        page_plans(client, "/worklist/"), "worklist_workitem", "workitem_team_open", "worklist_workitem_team"
    )


def test_the_search_by_nhs_number_reads_the_nhs_number_index(client, cast, team_patients):
    number = team_patients[0].nhs_number
    client.force_login(cast.cns_a)
    plans = page_plans(client, f"/patients/?q={number[:3]}+{number[3:6]}+{number[6:]}")
    # Django's index for prefix matches (LIKE 'digits%') on the unique column: varchar_pattern_ops.
    assert_indexed(plans, "people_patient", "people_patient_nhs_number_")
    assert any(node.get("Index Name", "").endswith("_like") for nodes in plans for node in nodes)


def test_the_search_by_name_reads_the_team_before_the_names(client, cast, team_patients):
    client.force_login(cast.cns_a)
    name = team_patients[0].family_name
    # The name is matched anywhere in either name (icontains), within the team's patients: the team's
    # index finds them, the patients' primary key reads each one.
    assert_indexed(
        page_plans(client, f"/patients/?q={name}"), "people_patient_care_teams", "people_patient_care_teams_careteam_id"
    )


def test_the_gp_inbox_reads_the_practice_deliveries_through_an_index(client, cast, team_patients):
    for patient in team_patients:
        delivered(cast, patient=patient)
    client.force_login(cast.gp_a)
    plans = page_plans(client, "/treatment-summaries/inbox/")
    # On a handful of rows the planner may come to the deliveries from the patients (by version); at
    # size it starts from the practice's own (ADR 0059). Either way through an index, with a condition.
    assert_indexed(plans, "treatment_summaries_practicedelivery")


def test_a_query_with_no_usable_index_still_fails_here(cast, team_patients):
    """The check can fail: enable_seqscan = off leaves a sequential scan in a plan with no other way."""
    from portal.people.models import Patient

    query = Patient.objects.filter(postcode__endswith="1AA")  # unscoped-ok: a plan, not a page
    sql, params = query.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        nodes = list(_plan(cursor))
    with pytest.raises(AssertionError, match="read whole"):
        assert_indexed([nodes], "people_patient")
