"""/fhir/: every response is validated with fhir.resources' R4B models, and the codes, NHS number,
scores, scoping, audit and error answers are checked by hand (the models check structure only)."""

from urllib.parse import urlencode

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan as FhirCarePlan
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from hna.models import ChecklistVersion
from portal.audit.models import AuditEvent
from tests.api.conftest import fhir_json
from tests.hna.test_api import make_assessment, make_plan

pytestmark = pytest.mark.django_db

NHS = "https://fhir.nhs.uk/Id/nhs-number"


def outcome(response, status, code) -> str:
    data = fhir_json(response, OperationOutcome, status)
    assert data["issue"][0]["code"] == code and data["issue"][0]["severity"] == "error"
    return data["issue"][0]["diagnostics"]


def assert_subject(resource, patient):
    assert resource["subject"]["identifier"] == {"system": NHS, "value": patient.nhs_number}
    assert resource["subject"]["type"] == "Patient"


def test_questionnaire_groups_concerns_by_category(cast, api_as):
    version = ChecklistVersion.current()
    data = fhir_json(api_as(cast.cns_a).get(f"/fhir/Questionnaire/{version.pk}"), Questionnaire)
    assert (data["id"], data["version"], data["status"]) == (str(version.pk), "1", "active")
    assert data["url"] == f"http://testserver/fhir/Questionnaire/{version.pk}"
    assert data["code"][0] == {
        "system": "http://snomed.info/sct",
        "code": "787261000000106",
        "display": "Holistic needs assessment",
    }
    groups = [item for item in data["item"] if item["type"] == "group"]
    assert [g["linkId"] for g in groups] == list(version.categories.order_by("position").values_list("code", flat=True))
    physical = groups[0]
    pain = next(item for item in physical["item"] if item["linkId"] == "physical-pain")
    assert pain["type"] == "integer" and pain["text"] == "Pain"
    assert [e["valueInteger"] for e in pain["extension"]] == [0, 10]
    distress = next(item for item in data["item"] if item["linkId"] == "distress")
    assert distress["type"] == "integer"


def test_questionnaire_is_for_any_staff_but_not_patients_or_anonymous(cast, api_as, client):
    version = ChecklistVersion.current()
    url = f"/fhir/Questionnaire/{version.pk}"
    for user in (cast.cns_b, cast.gp_b, cast.admin):
        fhir_json(api_as(user).get(url), Questionnaire)
    outcome(api_as(cast.patient_user).get(url), 403, "forbidden")
    outcome(client.get(url), 401, "login")
    outcome(api_as(cast.cns_a).get("/fhir/Questionnaire/not-a-uuid"), 404, "not-found")
    outcome(api_as(cast.cns_a).get(f"/fhir/Questionnaire/{cast.patient.pk}"), 404, "not-found")


def test_questionnaire_response_has_scores_nhs_number_and_canonical(cast, api_as):
    assessment = make_assessment(cast)
    data = fhir_json(api_as(cast.cns_a).get(f"/fhir/QuestionnaireResponse/{assessment.pk}"), QuestionnaireResponse)
    version = assessment.checklist_version
    assert data["id"] == str(assessment.pk) and data["status"] == "completed"
    assert data["questionnaire"] == f"http://testserver/fhir/Questionnaire/{version.pk}|1"
    assert_subject(data, cast.patient)
    assert data["authored"] == assessment.submitted_at.isoformat()
    scores = {
        (group["linkId"], child["linkId"]): child["answer"][0]["valueInteger"]
        for group in data["item"]
        if "item" in group
        for child in group["item"]
    }
    assert scores == {("physical", "physical-pain"): 7, ("emotional", "emotional-worry"): 3}
    distress = next(item for item in data["item"] if item["linkId"] == "distress")
    assert distress["answer"] == [{"valueInteger": 6}]
    event = AuditEvent.objects.get(action="view")
    assert (event.patient, event.object_id, event.actor) == (cast.patient, str(assessment.pk), cast.cns_a)


def test_an_unfinished_assessment_is_in_progress_without_unscored_concerns(cast, api_as):
    assessment = make_assessment(cast, submit=False, scores={"physical-pain": 4})
    from hna.services import assessments

    assessments.save_ticks(assessment, "emotional", {"emotional-worry"})  # ticked, not scored yet
    data = fhir_json(api_as(cast.cns_a).get(f"/fhir/QuestionnaireResponse/{assessment.pk}"), QuestionnaireResponse)
    assert data["status"] == "in-progress" and "authored" not in data
    assert [group["linkId"] for group in data["item"] if "item" in group] == ["physical"]


@pytest.mark.parametrize("outsider", ["cns_b", "gp_b", "admin"])
def test_outsiders_get_operation_outcome_404s(cast, api_as, outsider):
    assessment = make_assessment(cast)
    plan = make_plan(cast, assessment, shared_with_gp=True)
    api = api_as(getattr(cast, outsider))
    for path in (f"/fhir/QuestionnaireResponse/{assessment.pk}", f"/fhir/CarePlan/{plan.pk}"):
        assert "that you may see" in outcome(api.get(path), 404, "not-found")
    for resource in ("QuestionnaireResponse", "CarePlan"):
        data = fhir_json(api.get(f"/fhir/{resource}?patient={cast.patient.nhs_number}"), Bundle)
        assert data["type"] == "searchset" and data["total"] == 0 and "entry" not in data
    assert not AuditEvent.objects.filter(action="view").exists()


def test_questionnaire_response_search_returns_a_bundle(cast, api_as):
    first, second = make_assessment(cast), make_assessment(cast, scores={"physical-pain": 2})
    api = api_as(cast.cns_a)
    for patient in (cast.patient.nhs_number, f"{NHS}|{cast.patient.nhs_number}"):
        data = fhir_json(api.get(f"/fhir/QuestionnaireResponse?{urlencode({'patient': patient})}"), Bundle)
        assert data["type"] == "searchset" and data["total"] == 2
        ids = {entry["resource"]["id"] for entry in data["entry"]}
        assert ids == {str(first.pk), str(second.pk)}
        for entry in data["entry"]:
            QuestionnaireResponse.model_validate(entry["resource"])
            assert entry["fullUrl"] == f"http://testserver/fhir/QuestionnaireResponse/{entry['resource']['id']}"
            assert_subject(entry["resource"], cast.patient)
    assert AuditEvent.objects.filter(action="view", patient=cast.patient).count() == 4


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?patient=abc",
        "?patient=1234567890",  # fails the modulus 11 check
        "?patient=%00",
        "?patient=9434765919&patient=9434765870",
        "?patient=http://example.org/id|9434765919",
        "?patient=" + "9" * 5000,
    ],
)
@pytest.mark.parametrize("resource", ["QuestionnaireResponse", "CarePlan"])
def test_malformed_searches_are_400_operation_outcomes(cast, api_as, resource, query):
    outcome(api_as(cast.cns_a).get(f"/fhir/{resource}{query}"), 400, "invalid")


def test_care_plan_maps_statuses_owner_concern_and_due_date(cast, api_as):
    assessment = make_assessment(cast)
    plan = make_plan(cast, assessment)
    data = fhir_json(api_as(cast.cns_a).get(f"/fhir/CarePlan/{plan.pk}"), FhirCarePlan)
    assert (data["status"], data["intent"]) == ("active", "plan")
    assert_subject(data, cast.patient)
    assert data["supportingInfo"] == [{"reference": f"QuestionnaireResponse/{assessment.pk}"}]
    assert data["author"]["identifier"]["value"] == "RTA"
    pain, parking = (activity["detail"] for activity in data["activity"])
    assert pain["status"] == "in-progress" and pain["description"] == "Refer to the pain clinic"
    assert pain["reasonCode"] == [{"text": "Pain"}]
    assert pain["performer"] == [{"display": "Another professional: Pain clinic"}]
    assert pain["scheduledPeriod"] == {"end": "2026-12-01"}
    assert parking == {"status": "not-started", "reasonCode": [{"text": "Parking at the hospital"}]}
    assert "Concern score: 7 out of 10" in [note["text"] for note in data["activity"][0]["progress"]]
    assert AuditEvent.objects.filter(action="view", object_id=str(plan.pk), patient=cast.patient).count() == 1


def test_item_statuses_and_plan_versions(cast, api_as):
    old = make_plan(cast, make_assessment(cast), status="superseded")
    new = make_plan(cast, old.assessment, status="draft", version=2, previous=old)
    for item, status in zip(new.items.all(), ("done", "not_needed"), strict=True):
        item.status = status
        item.save()
    api = api_as(cast.cns_a)
    assert fhir_json(api.get(f"/fhir/CarePlan/{old.pk}"), FhirCarePlan)["status"] == "revoked"
    data = fhir_json(api.get(f"/fhir/CarePlan/{new.pk}"), FhirCarePlan)
    assert data["status"] == "draft" and data["replaces"] == [{"reference": f"CarePlan/{old.pk}"}]
    assert [a["detail"]["status"] for a in data["activity"]] == ["completed", "cancelled"]


def test_care_plan_search_follows_gp_sharing(cast, api_as):
    assessment = make_assessment(cast)
    shared = make_plan(cast, assessment, shared_with_gp=True)
    make_plan(cast, make_assessment(cast))  # not shared with the GP
    search = f"/fhir/CarePlan?patient={cast.patient.nhs_number}"
    assert fhir_json(api_as(cast.cns_a).get(search), Bundle)["total"] == 2
    data = fhir_json(api_as(cast.gp_a).get(search), Bundle)
    assert [entry["resource"]["id"] for entry in data["entry"]] == [str(shared.pk)]
    FhirCarePlan.model_validate(data["entry"][0]["resource"])


def test_sessions_accept_headers_methods_and_unknown_paths(cast, api_as, client):
    assessment = make_assessment(cast)
    path = f"/fhir/QuestionnaireResponse/{assessment.pk}"
    outcome(client.get(path), 401, "login")
    client.force_login(cast.cns_a)
    fhir_json(client.get(path, headers={"Accept": "application/json"}), QuestionnaireResponse)
    fhir_json(client.get(path, headers={"Accept": "application/xml"}), QuestionnaireResponse)
    outcome(api_as(cast.cns_a).post(path, {}), 405, "not-supported")
    outcome(client.get("/fhir/Patient/123"), 404, "not-found")
    outcome(client.get("/fhir/CarePlan/"), 404, "not-found")
