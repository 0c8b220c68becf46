"""/fhir/CarePlan (follow-up pathways beside hna's plans), ServiceRequest and Observation: each
response validated with fhir.resources' R4B models, scoped by the policy table, audited."""

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.servicerequest import ServiceRequest

from followup.models import PathwayStatus
from followup.services.results import review
from portal.audit.models import AuditEvent
from tests.api.conftest import fhir_json
from tests.followup.results_helpers import (
    _cast_result,
    after_the_samples,  # noqa: F401 - autouse: the clock after the samples
)
from tests.hna.test_api import make_assessment, make_plan

pytestmark = pytest.mark.django_db


def test_a_pathway_test_and_result_are_careplan_servicerequest_and_observation(cast, api_as):
    pathway, result = _cast_result(cast, abnormal=True, report_text="New density", units="")
    review(cast.cns_a, result, "Recall")  # abnormal: the pathway is suspended
    api = api_as(cast.cns_a)
    plan = fhir_json(api.get(f"/fhir/CarePlan/{pathway.pk}"), CarePlan)
    assert plan["status"] == "on-hold" and plan["subject"]["identifier"]["value"] == pathway.patient.nhs_number
    request = fhir_json(api.get(f"/fhir/ServiceRequest/{result.test_id}"), ServiceRequest)
    assert request["basedOn"] == [{"reference": f"CarePlan/{pathway.pk}"}] and request["status"] == "completed"
    assert request["code"]["coding"][0]["code"] == "MAMMOGRAM"
    observation = fhir_json(api.get(f"/fhir/Observation/{result.pk}"), Observation)
    assert observation["basedOn"] == [{"reference": f"ServiceRequest/{result.test_id}"}]
    assert observation["interpretation"][0]["coding"][0]["code"] == "A"
    assert observation["note"] == [{"text": "New density"}] and observation["effectiveDateTime"] == "2027-01-20"
    assert AuditEvent.objects.filter(action="view", object_id=str(result.pk)).count() == 1
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.SUSPENDED


def test_a_numeric_result_has_its_value_and_units(cast, api_as):

    pathway, result = _cast_result(cast, test_code="MAMMOGRAM", value="4.5", units="mm", abnormal=False)
    data = fhir_json(api_as(cast.cns_a).get(f"/fhir/Observation/{result.pk}"), Observation)
    assert data["valueQuantity"] == {"value": 4.5, "unit": "mm"}
    assert data["interpretation"][0]["coding"][0]["code"] == "N"


def test_careplan_resolves_both_apps_and_search_returns_both(cast, api_as):
    pathway = _cast_result(cast)[0]
    hna_plan = make_plan(cast, make_assessment(cast))
    api = api_as(cast.cns_a)
    assert fhir_json(api.get(f"/fhir/CarePlan/{hna_plan.pk}"), CarePlan)["id"] == str(hna_plan.pk)
    assert fhir_json(api.get(f"/fhir/CarePlan/{pathway.pk}"), CarePlan)["id"] == str(pathway.pk)
    search = fhir_json(api.get(f"/fhir/CarePlan?patient={cast.patient.nhs_number}"), Bundle)
    assert [e["resource"]["id"] for e in search["entry"]] == [str(hna_plan.pk)]
    search = fhir_json(api.get(f"/fhir/CarePlan?patient={pathway.patient.nhs_number}"), Bundle)
    assert [e["resource"]["id"] for e in search["entry"]] == [str(pathway.pk)]
    bundle = fhir_json(api.get(f"/fhir/ServiceRequest?patient={pathway.patient.nhs_number}"), Bundle)
    assert bundle["total"] == pathway.tests.count()
    bundle = fhir_json(api.get(f"/fhir/Observation?patient={pathway.patient.nhs_number}"), Bundle)
    assert bundle["total"] == 1


@pytest.mark.parametrize("outsider", ["cns_b", "gp_b", "admin", "auditor"])
def test_outsiders_get_operation_outcome_404s(cast, api_as, outsider):
    pathway, result = _cast_result(cast)
    api = api_as(getattr(cast, outsider))
    for path in (f"CarePlan/{pathway.pk}", f"ServiceRequest/{result.test_id}", f"Observation/{result.pk}"):
        data = fhir_json(api.get(f"/fhir/{path}"), OperationOutcome, 404)
        assert data["issue"][0]["code"] == "not-found", path


def test_the_practice_sees_the_pathway_and_tests_not_the_result(cast, api_as):
    pathway, result = _cast_result(cast)
    api = api_as(cast.gp_a)
    fhir_json(api.get(f"/fhir/CarePlan/{pathway.pk}"), CarePlan)
    fhir_json(api.get(f"/fhir/ServiceRequest/{result.test_id}"), ServiceRequest)
    fhir_json(api.get(f"/fhir/Observation/{result.pk}"), OperationOutcome, 404)
