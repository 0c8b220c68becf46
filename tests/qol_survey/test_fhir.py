"""/fhir/QuestionnaireResponse for a quality of life survey response, beside hna's assessments:
validated with fhir.resources' R4B models, scoped by the policy table, audited."""

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from portal.audit.models import AuditEvent
from qol_survey.services import tokens
from tests.api.conftest import fhir_json
from tests.factories import DiagnosisFactory
from tests.hna.test_api import make_assessment
from tests.qol_survey.factories import make_invitation, make_response

pytestmark = pytest.mark.django_db


def ours(cast, **fields):
    return make_response(make_invitation(diagnosis=DiagnosisFactory(patient=cast.patient), team=cast.team_a), **fields)


def group(data, code):
    return next(item for item in data["item"] if item["linkId"] == code)


def test_a_response_is_a_valid_questionnaire_response_with_answers_and_scores(cast, api_as):
    response = ours(cast, profile="21111", health_today=65, cancer={"q1": 4, "q2": 3})
    data = fhir_json(api_as(cast.cns_a).get(f"/fhir/QuestionnaireResponse/{response.pk}"), QuestionnaireResponse)
    assert data["status"] == "completed" and data["subject"]["identifier"]["value"] == cast.patient.nhs_number
    cancer = group(data, "cancer-30")
    assert cancer["definition"].endswith(f"/Questionnaire/cancer-30|{response.versions['cancer-30']}")
    answers = {item["linkId"]: item["answer"][0] for item in cancer["item"] if "answer" in item}
    assert answers["q1"] == {"valueInteger": 4} and len(answers) == 30
    scores = {s["linkId"]: s["answer"][0]["valueDecimal"] for s in group(cancer, "cancer-30/scores")["item"]}
    assert scores["cancer-30/scores/PF"] == pytest.approx(response.scores["cancer-30"]["PF"])
    profile = group(data, "health-profile-5d")
    assert {item["linkId"]: item["answer"][0] for item in profile["item"] if "answer" in item}["VAS"] == {
        "valueInteger": 65
    }
    index = group(profile, "health-profile-5d/scores")["item"]
    assert [s["linkId"] for s in index] == ["health-profile-5d/scores/index"]
    assert "|" not in data["questionnaire"].split("|", 1)[1]  # one version separator only
    assert AuditEvent.objects.filter(action="view", object_id=str(response.pk)).count() == 1


def test_the_link_token_and_code_are_not_in_it(cast, api_as):
    response = ours(cast)
    invitation = response.invitation
    body = api_as(cast.cns_a).get(f"/fhir/QuestionnaireResponse/{response.pk}").content.decode()
    assert tokens.link_token(invitation) not in body and tokens.short_code(invitation) not in body


def test_search_by_patient_returns_hna_and_qol_responses(cast, api_as):
    response = ours(cast)
    assessment = make_assessment(cast)
    bundle = fhir_json(api_as(cast.cns_a).get(f"/fhir/QuestionnaireResponse?patient={cast.patient.nhs_number}"), Bundle)
    assert {e["resource"]["id"] for e in bundle["entry"]} == {str(response.pk), str(assessment.pk)}
    for entry in bundle["entry"]:
        QuestionnaireResponse.model_validate(entry["resource"])


@pytest.mark.parametrize("outsider", ["cns_b", "gp_b", "admin", "auditor"])
def test_outsiders_get_operation_outcome_404(cast, api_as, outsider):
    response = ours(cast)
    data = fhir_json(
        api_as(getattr(cast, outsider)).get(f"/fhir/QuestionnaireResponse/{response.pk}"), OperationOutcome, 404
    )
    assert data["issue"][0]["code"] == "not-found"


@pytest.mark.parametrize("share, status", [(True, 200), (False, 404)])
def test_the_practice_reads_it_only_when_shared(cast, api_as, share, status):
    response = ours(cast, share_with_gp=share)
    model = QuestionnaireResponse if share else OperationOutcome
    fhir_json(api_as(cast.gp_a).get(f"/fhir/QuestionnaireResponse/{response.pk}"), model, status)


def test_an_unknown_id_is_404(cast, api_as):
    api = api_as(cast.cns_a)
    for bad in ("nope", "00000000-0000-0000-0000-000000000000"):
        fhir_json(api.get(f"/fhir/QuestionnaireResponse/{bad}"), OperationOutcome, 404)
