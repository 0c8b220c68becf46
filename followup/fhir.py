"""Follow-up as FHIR R4 resources (plain dicts; validated with fhir.resources R4B in the tests): a
pathway is a CarePlan, a planned test a ServiceRequest based on it, a result an Observation based on
the test. FHIR forbids empty elements, so optional ones are left out when empty (`compact`)."""

from followup.models import PathwayStatus, TestStatus
from portal.fhir.resources import compact, patient_reference, team_reference

TEST_CODES = "https://portal.example.nhs.uk/fhir/CodeSystem/followup-test-type"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"

CARE_PLAN_STATUS = {
    PathwayStatus.ACTIVE: "active",
    PathwayStatus.SUSPENDED: "on-hold",  # brought back to clinic after an abnormal result
    PathwayStatus.DISCHARGED: "completed",
    PathwayStatus.CLOSED: "revoked",  # ended before its window did (recurrence, moved away)
}
SERVICE_REQUEST_STATUS = {
    TestStatus.SCHEDULED: "active",
    TestStatus.REQUESTED: "active",
    TestStatus.MISSED: "active",  # still wanted: it is asked for again
    TestStatus.RESULTED: "completed",
    TestStatus.REVIEWED: "completed",
    TestStatus.TOLD: "completed",
    TestStatus.CANCELLED: "revoked",
}


def test_code(test_type) -> dict:
    return {
        "coding": [{"system": TEST_CODES, "code": test_type.code, "display": test_type.name}],
        "text": test_type.name,
    }


def care_plan(pathway, *, base: str) -> dict:
    return compact(
        {
            "resourceType": "CarePlan",
            "id": str(pathway.pk),
            "status": CARE_PLAN_STATUS.get(pathway.status, "unknown"),
            "intent": "plan",
            "title": f"{pathway.get_kind_display()} follow-up: {pathway.protocol_version}",
            "description": pathway.rationale.strip() or None,
            "subject": patient_reference(pathway.patient),
            "created": pathway.created_at.isoformat(),
            "author": team_reference(pathway.team),
            "period": compact(
                {
                    "start": (pathway.pifu_start or pathway.anchor_date).isoformat(),
                    "end": pathway.pifu_end.isoformat() if pathway.pifu_end else None,
                }
            ),
        }
    )


def service_request(test, *, base: str) -> dict:
    pathway = test.pathway
    return compact(
        {
            "resourceType": "ServiceRequest",
            "id": str(test.pk),
            "status": SERVICE_REQUEST_STATUS.get(test.status, "unknown"),
            # Planned by the protocol until someone asks for it.
            "intent": "plan" if test.status == TestStatus.SCHEDULED else "order",
            "basedOn": [{"reference": f"CarePlan/{pathway.pk}"}],
            "code": test_code(test.test_type),
            "subject": patient_reference(pathway.patient),
            "occurrenceDateTime": test.due_date.isoformat(),
            "authoredOn": test.requested_at.isoformat() if test.requested_at else None,
            "requester": team_reference(pathway.team),
        }
    )


def observation(result, *, base: str) -> dict:
    test = result.test
    interpretation = None
    if result.abnormal is not None:
        code, display = ("A", "Abnormal") if result.abnormal else ("N", "Normal")
        interpretation = [{"coding": [{"system": INTERPRETATION, "code": code, "display": display}]}]
    value = None
    if result.value is not None:
        value = compact({"value": float(result.value), "unit": result.units or None})
    return compact(
        {
            "resourceType": "Observation",
            "id": str(result.pk),
            "status": "final",
            "basedOn": [{"reference": f"ServiceRequest/{test.pk}"}] if test else None,
            "code": test_code(test.test_type) if test else {"text": result.test_code},
            "subject": patient_reference(result.patient),
            "effectiveDateTime": result.sample_date.isoformat(),
            "issued": result.received_at.isoformat(),
            "valueQuantity": value,
            "interpretation": interpretation,
            "note": [{"text": result.report_text}] if result.report_text.strip() else None,
        }
    )
