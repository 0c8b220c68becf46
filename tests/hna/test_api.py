"""/api/v1/hna/assessments/ and /api/v1/care-plans/: fields, COSD codes, scoping, audit, tokens,
flat query counts, and their place in the OpenAPI schema."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from hna.models import CarePlan, CarePlanItem, ConcernItem
from hna.serializers import cosd_staff_role
from hna.services import assessments, passcodes
from portal.audit.models import AuditEvent
from tests.api.conftest import Api
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

ASSESSMENTS = "/api/v1/hna/assessments/"
CARE_PLANS = "/api/v1/care-plans/"


def make_assessment(cast, patient=None, *, submit=True, scores=None, distress=6):
    """An HNA for a team A patient: pain scored 7 and worry 3 (by default), distress 6, submitted."""
    patient = patient or cast.patient
    s = assessments.set_up(
        actor=cast.cns_a,
        patient=patient,
        point_of_pathway="01",
        trigger="diagnosis",
        offer_status="03",
        event_date=datetime.date(2026, 11, 2),
    )
    scores = {"physical-pain": 7, "emotional-worry": 3} if scores is None else scores
    for category in {code.split("-")[0] for code in scores}:
        assessments.save_ticks(s.assessment, category, {c for c in scores if c.startswith(f"{category}-")})
    assessments.save_scores(s.assessment, scores)
    assessments.save_answers(s.assessment, distress_score=distress)
    if submit:
        assessments.submit(passcodes.check(s.passcode, patient.date_of_birth))
    s.assessment.refresh_from_db()
    return s.assessment


def make_plan(cast, assessment, *, status="locked", **fields):
    """A plan with one concern from the checklist and one a member of staff added."""
    locked = status != "draft"
    plan = CarePlan.objects.create(
        patient=assessment.patient,
        team=cast.team_a,
        assessment=assessment,
        started_by=cast.cns_a,
        status=status,
        locked_at=timezone.now() if locked else None,
        locked_by=cast.cns_a if locked else None,
        summary="We talked about pain and worry.",
        **fields,
    )
    CarePlanItem.objects.create(
        plan=plan,
        concern_item=ConcernItem.objects.get(category__version=assessment.checklist_version, code="physical-pain"),
        concern="Pain",
        category="Physical",
        score=7,
        what_matters="Sleeping through the night",
        action="Refer to the pain clinic",
        owner="other_professional",
        owner_detail="Pain clinic",
        due_date=datetime.date(2026, 12, 1),
        status="in_progress",
        position=0,
    )
    CarePlanItem.objects.create(
        plan=plan, concern="Parking at the hospital", added_by_staff=True, status="not_started", position=1
    )
    return plan


def test_assessment_list_shows_cosd_fields_and_ticked_concerns(cast, api_as):
    assessment = make_assessment(cast)
    response = api_as(cast.cns_a).get(ASSESSMENTS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == str(assessment.pk)
    assert row["patient"] == str(cast.patient.pk) and row["nhs_number"] == cast.patient.nhs_number
    assert row["team"] == {"id": str(cast.team_a.pk), "name": cast.team_a.name, "organisation_ods_code": "RTA"}
    assert row["checklist_version"] == 1 and row["status"] == "submitted"
    assert (row["event_date"], row["offer_status"], row["point_of_pathway"]) == ("2026-11-02", "03", "01")
    assert row["staff_role"] == "01"  # set up by a CNS
    assert row["distress_score"] == 6 and row["submitted_at"]
    concerns = {c["code"]: c for c in row["concerns"]}
    assert set(concerns) == {"physical-pain", "emotional-worry"}
    assert concerns["physical-pain"] == {
        "code": "physical-pain",
        "text": "Pain",
        "category": "physical",
        "category_name": "Physical",
        "score": 7,
    }


def test_unticked_concerns_are_not_listed(cast, api_as):
    assessment = make_assessment(cast, submit=False)
    assessments.save_ticks(assessment, "emotional", set())  # untick worry
    concerns = api_as(cast.cns_a).get(f"{ASSESSMENTS}{assessment.pk}/").json()["concerns"]
    assert [c["code"] for c in concerns] == ["physical-pain"]


def test_cosd_staff_roles():
    assert [cosd_staff_role(r) for r in ("cns", "support_worker", "clinician", "other")] == ["01", "04", "06", "08"]


def test_assessment_detail_is_audited(cast, api_as):
    assessment = make_assessment(cast)
    response = api_as(cast.cns_a).get(f"{ASSESSMENTS}{assessment.pk}/")
    assert response.status_code == 200 and response.json()["id"] == str(assessment.pk)
    event = AuditEvent.objects.get(action="view")  # the log is append-only: earlier events stay
    assert (event.action, event.actor, event.patient) == ("view", cast.cns_a, cast.patient)
    assert (event.object_type, event.object_id) == ("hna.assessment", str(assessment.pk))


def test_lists_audit_one_event_per_record_in_one_insert(cast, api_as):
    other = PatientFactory(care_teams=[cast.team_a])
    first, second = make_assessment(cast), make_assessment(cast, other)
    make_plan(cast, first)
    api = api_as(cast.cns_a)
    assert api.get(ASSESSMENTS).json()["count"] == 2
    events = AuditEvent.objects.filter(action="view", object_type="hna.assessment")
    assert {(e.patient_id, e.object_id) for e in events} == {
        (cast.patient.pk, str(first.pk)),
        (other.pk, str(second.pk)),
    }
    assert api.get(CARE_PLANS).json()["count"] == 1
    assert AuditEvent.objects.filter(action="view", object_type="hna.careplan", patient=cast.patient).count() == 1


@pytest.mark.parametrize("outsider", ["cns_b", "gp_b", "admin", "auditor"])
def test_outsiders_see_no_assessments_or_plans(cast, api_as, outsider):
    assessment = make_assessment(cast)
    plan = make_plan(cast, assessment, shared_with_gp=True)
    api = api_as(getattr(cast, outsider))
    for listing, record in ((ASSESSMENTS, assessment), (CARE_PLANS, plan)):
        assert api.get(listing).json()["count"] == 0
        response = api.get(f"{listing}{record.pk}/")
        assert response.status_code == 404
        assert response.json()["detail"].startswith("There is no ") and response.json()["errors"] == {}


def test_malformed_and_unknown_ids_are_json_404s(cast, api_as):
    api = api_as(cast.cns_a)
    for path in (f"{ASSESSMENTS}not-a-uuid/", f"{ASSESSMENTS}{cast.patient.pk}/", f"{CARE_PLANS}%00/"):
        response = api.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json" and "detail" in response.json()
    assert api.get(f"{ASSESSMENTS}?limit=abc&offset=-1").status_code == 400  # strict paging: tests/api/test_paging
    assert api.get(f"{ASSESSMENTS}?offset={10**12}").status_code == 400


def test_no_credentials_is_401_and_sessions_work(cast, client):
    make_assessment(cast)
    response = client.get(ASSESSMENTS)
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert Api(client, "x" * 43).get(ASSESSMENTS).status_code == 401
    client.force_login(cast.cns_a)
    assert Api(client).get(ASSESSMENTS).json()["count"] == 1


def test_care_plan_fields_and_items(cast, api_as):
    assessment = make_assessment(cast)
    plan = make_plan(cast, assessment)
    body = api_as(cast.cns_a).get(f"{CARE_PLANS}{plan.pk}/").json()
    assert body["nhs_number"] == cast.patient.nhs_number and body["assessment"] == str(assessment.pk)
    assert (body["status"], body["version"], body["previous"]) == ("locked", 1, None)
    first, added = body["items"]
    assert first["concern_code"] == "physical-pain" and first["owner"] == "other_professional"
    assert (first["due_date"], first["status"], first["score"]) == ("2026-12-01", "in_progress", 7)
    assert added["concern_code"] is None and added["added_by_staff"] and added["owner"] == ""


def test_gp_sees_only_shared_agreed_plans_and_patients_their_own_agreed_plans(cast, api_as):
    assessment = make_assessment(cast)
    shared = make_plan(cast, assessment, shared_with_gp=True)
    second = make_assessment(cast)
    make_plan(cast, second)  # not shared
    make_plan(cast, make_assessment(cast), status="draft", shared_with_gp=True)
    ids = [row["id"] for row in api_as(cast.gp_a).get(CARE_PLANS).json()["results"]]
    assert ids == [str(shared.pk)]
    assert api_as(cast.patient_user).get(CARE_PLANS).json()["count"] == 2  # not the draft
    assert api_as(cast.cns_a).get(CARE_PLANS).json()["count"] == 3


def count_queries(api, path) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


def test_list_query_counts_are_flat(cast, api_as):
    def add(n):
        for _ in range(n):
            assessment = make_assessment(cast, PatientFactory(care_teams=[cast.team_a]))
            make_plan(cast, assessment)

    api = api_as(cast.cns_a)
    api.get(ASSESSMENTS)  # warm up: the first use of a token records last_used_at
    add(5)
    five = {path: count_queries(api, path) for path in (ASSESSMENTS, CARE_PLANS)}
    add(25)
    thirty = {path: count_queries(api, path) for path in (ASSESSMENTS, CARE_PLANS)}
    for path in (ASSESSMENTS, CARE_PLANS):
        assert (five[path][1], thirty[path][1]) == (5, 30)
        assert five[path][0] == thirty[path][0], path
        assert five[path][0] <= 8, path


def test_both_endpoints_are_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in (ASSESSMENTS, f"{ASSESSMENTS}{{id}}/", CARE_PLANS, f"{CARE_PLANS}{{id}}/"):
        assert "get" in schema["paths"][path], path
    assert not [p for p in schema["paths"] if p.startswith("/fhir/")]
    cosd = schema["components"]["schemas"]["Assessment"]["properties"]
    assert {"event_date", "offer_status", "point_of_pathway", "staff_role", "concerns"} <= set(cosd)
