"""/api/v1/followup/: the five read-only kinds scoped by the policy table, and POST of a result."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from followup.models import Result, TestStatus
from followup.services.results import review, tell
from portal.audit.models import AuditEvent
from tests.followup.results_helpers import (
    after_the_samples,  # noqa: F401 - autouse: the clock after the samples
    matched_result,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/followup/"
RESULTS = f"{BASE}results/"


def body(nhs, **fields):
    return {"nhs_number": nhs, "test_code": "MAMMOGRAM", "sample_date": "2027-01-20", "abnormal": False} | fields


@pytest.fixture
def pathway(cast):
    from tests.followup.factories import make_pathway

    return make_pathway(patient=cast.patient, team=cast.team_a)


def test_post_a_result_is_201_and_matched(cast, api_as, pathway):
    response = api_as(cast.cns_a).post(RESULTS, body(cast.patient.nhs_number, report_text="No change"))
    assert response.status_code == 201, response.json()
    data = response.json()
    result = Result.objects.get(pk=data["id"])
    assert data["matched"] is True and data["source"] == "api" and data["report_text"] == "No change"
    assert result.test.status == TestStatus.RESULTED and result.test.pathway == pathway
    assert AuditEvent.objects.filter(action="create", object_id=str(result.pk)).exists()


def test_an_unmatched_result_is_still_201_and_says_why(cast, api_as, pathway):
    response = api_as(cast.cns_a).post(RESULTS, body("9434765919"))
    assert response.status_code == 201
    assert response.json()["matched"] is False and "No patient" in response.json()["unmatched_reason"]


def test_bad_fields_are_400_naming_each(cast, api_as, pathway):
    response = api_as(cast.cns_a).post(RESULTS, {"nhs_number": "", "sample_date": "yesterday", "value": "x"})
    assert response.status_code == 400
    assert {"nhs_number", "test_code", "sample_date", "value"} <= set(response.json()["errors"])
    assert not Result.objects.exists()


def test_the_same_sample_twice_is_409_and_the_first_kept(cast, api_as, pathway):
    api = api_as(cast.cns_a)
    assert api.post(RESULTS, body(cast.patient.nhs_number)).status_code == 201
    response = api.post(RESULTS, body(cast.patient.nhs_number, abnormal=True))
    assert response.status_code == 409 and "already here" in response.json()["detail"]
    assert Result.objects.get().abnormal is False


@pytest.mark.parametrize("who", ["gp_a", "admin", "auditor"])
def test_roles_without_a_team_may_not_post(cast, api_as, pathway, who):
    assert api_as(getattr(cast, who)).post(RESULTS, body(cast.patient.nhs_number)).status_code == 403
    assert not Result.objects.exists()


def test_each_kind_is_listed_and_shown_to_the_team(cast, api_as, pathway):
    result = matched_result(cast)
    api = api_as(cast.cns_a)
    for kind, record in (("pathways", pathway), ("tests", pathway.tests.first()), ("results", result)):
        assert api.get(f"{BASE}{kind}/").json()["count"] >= 1, kind
        assert api.get(f"{BASE}{kind}/{record.pk}/").json()["id"] == str(record.pk), kind
    for kind in ("checkins", "concerns"):
        assert api.get(f"{BASE}{kind}/").status_code == 200, kind
        assert api.get(f"{BASE}{kind}/not-an-id/").status_code == 404, kind


@pytest.mark.parametrize("outsider", ["cns_b", "gp_b", "admin", "auditor"])
def test_outsiders_see_none_of_it(cast, api_as, pathway, outsider):
    result = matched_result(cast)
    api = api_as(getattr(cast, outsider))
    for kind, record in (("pathways", pathway), ("tests", pathway.tests.first()), ("results", result)):
        assert api.get(f"{BASE}{kind}/").json()["count"] == 0, kind
        response = api.get(f"{BASE}{kind}/{record.pk}/")
        assert response.status_code == 404 and response.json()["detail"].startswith("There is no "), kind


def test_the_practice_sees_pathways_and_tests_not_results(cast, api_as, pathway):
    result = matched_result(cast)
    api = api_as(cast.gp_a)
    assert api.get(f"{BASE}pathways/{pathway.pk}/").status_code == 200
    assert api.get(f"{BASE}tests/").json()["count"] == 2 * pathway.tests.count()  # both practice A patients
    assert api.get(f"{BASE}results/{result.pk}/").status_code == 404


def test_the_patient_sees_a_result_only_once_told(cast, api_as, pathway):
    matched_result(cast)  # another patient's: never shown
    sent = api_as(cast.cns_a).post(RESULTS, body(cast.patient.nhs_number))
    result = Result.objects.get(pk=sent.json()["id"])
    api = api_as(cast.patient_user)
    assert api.get(RESULTS).json()["count"] == 0
    tell(cast.cns_a, review(cast.cns_a, result), "letter")
    assert [r["id"] for r in api.get(RESULTS).json()["results"]] == [str(result.pk)]


def test_every_followup_endpoint_is_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for kind in ("pathways", "tests", "results", "checkins", "concerns"):
        assert "get" in schema["paths"][f"{BASE}{kind}/"], kind
        assert "get" in schema["paths"][f"{BASE}{kind}/{{id}}/"], kind
    post = schema["paths"][RESULTS]["post"]
    assert {"201", "400", "409"} <= set(post["responses"])
