"""/api/v1/treatment-summaries/: fields, versions per role (GP staff and patients see only sent
ones), scoping, audit, tokens, flat query counts, and the place in the OpenAPI schema."""

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

from portal.audit.models import AuditEvent
from tests.api.conftest import Api
from tests.factories import PatientFactory
from tests.treatment_summaries.factories import clinician, make_summary
from treatment_summaries.models import SummaryVersion

pytestmark = pytest.mark.django_db

SUMMARIES = "/api/v1/treatment-summaries/"


def test_list_shows_summary_with_its_versions(cast, api_as):
    summary = make_summary(cast, statuses=("superseded", "sent"))
    body = api_as(cast.cns_a).get(SUMMARIES).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == str(summary.pk) and row["nhs_number"] == cast.patient.nhs_number
    assert row["patient"] == str(cast.patient.pk) and row["team"]["organisation_ods_code"] == "RTA"
    v2, v1 = row["versions"]
    assert (v2["number"], v2["status"], v2["is_amendment"]) == (2, "sent", True)
    assert (v1["number"], v1["status"], v1["is_amendment"], v1["amendment_reason"]) == (1, "superseded", False, "")
    assert v2["amendment_reason"] == "Staging corrected"
    assert (v2["diagnosis_text"], v2["date_of_diagnosis"]) == ("Breast cancer", "2026-03-02")
    assert (v2["t_stage"], v2["n_stage"], v2["m_stage"]) == ("T2", "N0", "M0")
    assert (v2["treatment_aim"], v2["follow_up_pathway"]) == ("curative", "pifu")
    assert v2["signed_off_by"] == str(clinician(cast)) and v2["signed_off_at"] and v2["sent_at"]
    stored = SummaryVersion.objects.get(summary=summary, number=2)
    assert v2["pdf_sha256"] == stored.pdf_sha256 == hashlib.sha256(bytes(stored.pdf)).hexdigest()
    assert "pdf" not in v2
    assert [(t["treatment_type"], t["start_date"], t["end_date"]) for t in v2["treatments"]] == [
        ("surgery", "2026-04-01", "2026-04-01"),
        ("radiotherapy", "2026-05-04", None),
    ]
    assert [a["text"] for a in v2["gp_actions"]] == ["Prescribe letrozole for five years"]


def test_gp_and_patient_see_only_sent_versions_and_never_a_draft_only_summary(cast, api_as):
    amended = make_summary(cast, statuses=("superseded", "sent", "draft"))
    draft_only = make_summary(cast, statuses=("draft",))
    signed_not_sent = make_summary(cast, statuses=("signed_off",))
    for user in (cast.gp_a, cast.patient_user):
        api = api_as(user)
        body = api.get(SUMMARIES).json()
        assert [row["id"] for row in body["results"]] == [str(amended.pk)], user
        assert [v["number"] for v in body["results"][0]["versions"]] == [2, 1]
        for hidden in (draft_only, signed_not_sent):
            assert api.get(f"{SUMMARIES}{hidden.pk}/").status_code == 404
    care_team = api_as(cast.cns_a).get(f"{SUMMARIES}{amended.pk}/").json()
    assert [v["status"] for v in care_team["versions"]] == ["draft", "sent", "superseded"]
    assert care_team["versions"][0]["signed_off_by"] is None and care_team["versions"][0]["pdf_sha256"] == ""
    assert api_as(cast.cns_a).get(SUMMARIES).json()["count"] == 3


@pytest.mark.parametrize("outsider", ["cns_b", "gp_b", "admin", "auditor"])
def test_outsiders_see_nothing(cast, api_as, outsider):
    summary = make_summary(cast)
    api = api_as(getattr(cast, outsider))
    assert api.get(SUMMARIES).json()["count"] == 0
    response = api.get(f"{SUMMARIES}{summary.pk}/")
    assert response.status_code == 404
    assert response.json()["detail"] == "There is no treatment summary with this id that you may see"
    assert not AuditEvent.objects.filter(action="view").exists()


def test_detail_and_list_are_audited_one_event_per_summary(cast, api_as):
    other = PatientFactory(care_teams=[cast.team_a])
    first, second = make_summary(cast, statuses=("superseded", "sent")), make_summary(cast, other)
    api = api_as(cast.cns_a)
    assert api.get(f"{SUMMARIES}{first.pk}/").status_code == 200
    event = AuditEvent.objects.get(action="view")
    assert (event.actor, event.patient, event.object_type) == (
        cast.cns_a,
        cast.patient,
        "treatment_summaries.treatmentsummary",
    )
    assert event.object_id == str(first.pk)
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    assert api.get(SUMMARIES).json()["count"] == 2
    events = AuditEvent.objects.filter(action="view").exclude(pk__in=before)
    assert sorted((e.patient_id, e.object_id) for e in events) == sorted(
        [(cast.patient.pk, str(first.pk)), (other.pk, str(second.pk))]
    )


def test_malformed_ids_are_json_404s_and_credentials_are_needed(cast, api_as, client):
    make_summary(cast)
    api = api_as(cast.cns_a)
    for path in (f"{SUMMARIES}not-a-uuid/", f"{SUMMARIES}{cast.patient.pk}/", f"{SUMMARIES}%00/"):
        response = api.get(path)
        assert response.status_code == 404 and response["Content-Type"] == "application/json", path
    assert api.get(f"{SUMMARIES}?offset={10**12}").status_code == 400
    response = client.get(SUMMARIES)
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert Api(client, "x" * 43).get(SUMMARIES).status_code == 401
    client.force_login(cast.cns_a)
    assert Api(client).get(SUMMARIES).json()["count"] == 1


def count_queries(api) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(f"{SUMMARIES}?limit=100")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


@pytest.mark.parametrize("user", ["cns_a", "gp_a"])
def test_list_query_count_is_flat(cast, api_as, user):
    def add(n):
        for _ in range(n):
            patient = PatientFactory(care_teams=[cast.team_a], registered_practice=cast.practice_a)
            make_summary(cast, patient, statuses=("superseded", "sent"))

    api = api_as(getattr(cast, user))
    api.get(SUMMARIES)  # warm up: the first use of a token records last_used_at
    add(5)
    five = count_queries(api)
    add(25)
    thirty = count_queries(api)
    assert (five[1], thirty[1]) == (5, 30)
    assert five[0] == thirty[0] and five[0] <= 10, (five, thirty)


def test_endpoints_are_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in (SUMMARIES, f"{SUMMARIES}{{id}}/"):
        assert "get" in schema["paths"][path], path
    version = schema["components"]["schemas"]["SummaryVersion"]["properties"]
    assert {"pdf_sha256", "treatments", "gp_actions", "signed_off_by", "amendment_reason"} <= set(version)
    assert "pdf" not in version
