"""/fhir/Composition for a cancer care review (issue 14 item 6): validated with fhir.resources' R4B
models, carrying what was discussed (how it was done, concerns, actions, the next review), the
patient by NHS number, scoped by the policy table and audited."""

import xml.etree.ElementTree as ET

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.composition import Composition
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.operationoutcome import OperationOutcome

from care_reviews.models import Kind, Outcome
from portal.audit.models import AuditEvent
from portal.fhir.resources import NHS_NUMBER_SYSTEM, ODS_SYSTEM
from tests.api.conftest import fhir_json
from tests.care_reviews.test_api import ACTIONS, reviewed
from tests.care_reviews.test_due import diagnosed
from tests.care_reviews.test_due import review as made_directly
from tests.care_reviews.test_reviews import done

pytestmark = pytest.mark.django_db
XHTML = "{http://www.w3.org/1999/xhtml}"


def full(cast, **changes):
    fields = {
        "mode": "video", "carer_attended": True, "carer_name": "Sam (husband)", "experience": "Tired but coping",
        "concerns_physical": "Numb fingers", "concerns_emotional": "Scared it will <come back> & worse",
        "concerns_practical": "", "concerns_financial": "Off work, worried about money", "main_carer": "Sam",
        "medication_reviewed": True, "consequences_discussed": True, "lifestyle_advice": "Walk daily\nEat well",
        "getting_back_in": "Call the practice; 111 out of hours", "actions": ACTIONS,
        "next_review": timezone.localdate() + relativedelta(months=6),
    }  # fmt: skip
    return reviewed(cast, **(fields | changes))


def sections(data) -> dict:
    """{section code: section}, the concerns' sub-sections included."""
    found = {}
    for section in data["section"]:
        found[section["code"]["coding"][0]["code"]] = section
        for sub in section.get("section", []):
            found[sub["code"]["coding"][0]["code"]] = sub
    return found


def xhtml(div: str):
    # Our own server's output in a test, not untrusted input: the standard parser will do.
    return ET.fromstring(div)  # noqa: S314


def text(section) -> str:
    """The narrative as text, after checking it is well-formed XHTML in the XHTML namespace."""
    div = xhtml(section["text"]["div"])
    assert div.tag == f"{XHTML}div"
    return " ".join("".join(div.itertext()).split())


def test_a_review_is_a_valid_composition_with_what_was_discussed(cast, api_as):
    review = full(cast)
    data = fhir_json(api_as(cast.gp_a).get(f"/fhir/Composition/{review.pk}"), Composition)
    assert (data["id"], data["status"]) == (str(review.pk), "final")
    assert data["type"]["coding"][0]["code"] == Kind.REVIEW and data["category"][0]["coding"][0]["code"] == "completed"
    assert data["subject"]["identifier"] == {"system": NHS_NUMBER_SYSTEM, "value": cast.patient.nhs_number}
    assert data["custodian"]["identifier"] == {"system": ODS_SYSTEM, "value": cast.practice_a.ods_code}
    assert data["author"] == [{"display": str(cast.gp_a)}]
    # How it was done: the contained Encounter, the one the Composition points at.
    (encounter,) = data["contained"]
    Encounter.model_validate(encounter)
    assert data["encounter"] == {"reference": f"#{encounter['id']}"}
    assert encounter["class"]["code"] == "VR" and encounter["type"][0]["coding"][0]["code"] == "video"
    assert encounter["period"]["start"] == review.reviewed_on.isoformat() and encounter["status"] == "finished"
    assert encounter["subject"]["identifier"]["value"] == cast.patient.nhs_number
    found = sections(data)
    assert "Carer there: Sam (husband)" in text(found["consultation"]) and "Main carer: Sam" in text(
        found["consultation"]
    )
    assert text(found["concerns-physical"]) == "Numb fingers"
    assert text(found["concerns-emotional"]) == "Scared it will <come back> & worse"  # escaped, then read back
    assert text(found["concerns-financial"]) == "Off work, worried about money"
    assert "concerns-practical" not in found  # nothing recorded: left out, never an empty section
    assert [s["code"]["coding"][0]["code"] for s in found["concerns"]["section"]] == [
        "concerns-physical", "concerns-emotional", "concerns-financial",
    ]  # fmt: skip
    assert "Medication reviewed: Yes" in text(found["covered"]) and "Symptoms of recurrence discussed: No" in text(
        found["covered"]
    )
    assert "<br/>" in found["lifestyle"]["text"]["div"]  # line breaks kept
    actions = xhtml(found["actions"]["text"]["div"]).findall(f"{XHTML}ol/{XHTML}li")
    assert ["".join(li.itertext()) for li in actions] == [f"{a} (who: {o})" for a, o in ACTIONS]
    assert text(found["next-review"]) == f"{review.next_review.day} {review.next_review:%B %Y}"
    assert "signposting" not in found
    assert AuditEvent.objects.filter(action="view", object_id=str(review.pk), patient=cast.patient).count() == 1


def test_an_early_contact_says_nothing_about_questions_it_does_not_ask(cast, api_as):
    diagnosis = diagnosed(cast, 1)
    early = done(cast, diagnosis, kind=Kind.EARLY_CONTACT, mode="face_to_face", medication_reviewed=False, actions=[])
    data = fhir_json(api_as(cast.gp_a).get(f"/fhir/Composition/{early.pk}"), Composition)
    assert data["type"]["coding"][0]["code"] == Kind.EARLY_CONTACT and data["title"].startswith("Early contact, ")
    assert data["contained"][0]["class"]["code"] == "AMB"
    assert not {"covered", "actions", "next-review"} & set(sections(data))


def test_a_completed_review_with_no_mode_still_validates(cast, api_as):
    review = made_directly(cast, diagnosed(cast, 10))  # not through the service, which asks for a mode
    data = fhir_json(api_as(cast.gp_a).get(f"/fhir/Composition/{review.pk}"), Composition)
    Encounter.model_validate(data["contained"][0])
    assert data["contained"][0]["class"]["code"] == "UNK" and "type" not in data["contained"][0]
    assert text(sections(data)["consultation"]) == "How: Not recorded"


@pytest.mark.parametrize("outcome", [Outcome.DECLINED, Outcome.NOT_CONTACTABLE])
def test_a_review_not_done_has_no_encounter_and_says_why(cast, api_as, outcome):
    review = reviewed(cast, outcome=outcome, reason="Did not answer three calls", actions=[])
    data = fhir_json(api_as(cast.gp_a).get(f"/fhir/Composition/{review.pk}"), Composition)
    assert "contained" not in data and "encounter" not in data
    assert data["category"][0]["coding"][0]["code"] == outcome
    (why,) = data["section"]
    assert why["code"]["coding"][0]["code"] == "not-done" and text(why) == "Did not answer three calls"


def test_search_by_nhs_number_returns_the_patients_reviews(cast, api_as):
    review = full(cast)
    done(cast, diagnosed(cast, 7))  # another patient of the practice
    api = api_as(cast.patient_user)
    for patient in (cast.patient.nhs_number, f"{NHS_NUMBER_SYSTEM}|{cast.patient.nhs_number}"):
        bundle = fhir_json(api.get(f"/fhir/Composition?patient={patient}"), Bundle)
        assert [e["resource"]["id"] for e in bundle["entry"]] == [str(review.pk)]
        Composition.model_validate(bundle["entry"][0]["resource"])
    fhir_json(api.get("/fhir/Composition"), OperationOutcome, 400)


@pytest.mark.parametrize("outsider", ["gp_b", "cns_a", "cns_b", "admin", "auditor"])
def test_outsiders_get_operation_outcome_404_and_an_empty_search(cast, api_as, outsider):
    review = reviewed(cast)
    api = api_as(getattr(cast, outsider))
    data = fhir_json(api.get(f"/fhir/Composition/{review.pk}"), OperationOutcome, 404)
    assert data["issue"][0]["code"] == "not-found"
    bundle = fhir_json(api.get(f"/fhir/Composition?patient={cast.patient.nhs_number}"), Bundle)
    assert bundle["total"] == 0 and "entry" not in bundle
    assert not AuditEvent.objects.filter(action="view").exists()


def test_an_unknown_id_is_404_and_no_token_is_401(cast, api_as, client):
    review = reviewed(cast)
    api = api_as(cast.gp_a)
    for bad in ("nope", "00000000-0000-0000-0000-000000000000"):
        fhir_json(api.get(f"/fhir/Composition/{bad}"), OperationOutcome, 404)
    fhir_json(client.get(f"/fhir/Composition/{review.pk}"), OperationOutcome, 401)
