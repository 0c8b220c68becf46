"""What a summary tells the GP about support (issue 15 item 4, ADR 0051): the special-rules benefits
form with its date, prescription charge exemption, the palliative or supportive care register, and
GP actions chosen from prompts kept as data with free text beside. Saved from the staff form, bad
input named, printed on the PDF, in the API and in the FHIR export (validated with R4B)."""

import base64
import datetime

import pytest
from django.core.exceptions import ValidationError
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.documentreference import DocumentReference

from tests.api.conftest import fhir_json
from tests.pdf_text import assert_no_run_together, pdf_text
from tests.treatment_summaries.factories import clinician, complete_draft, fresh, sent
from tests.treatment_summaries.test_staff_pages import post_section, url
from treatment_summaries import fhir
from treatment_summaries.models import GPAction, GPActionOption
from treatment_summaries.pdf import render_summary
from treatment_summaries.services import summaries

pytestmark = pytest.mark.django_db
GIVEN = datetime.date(2026, 11, 2)
SUPPORT = {
    "benefits_form": "sr1",
    "benefits_form_date": GIVEN,
    "prescription_exemption": "recommended",
    "supportive_care_register": True,
}


def prompt(code) -> GPActionOption:
    return GPActionOption.objects.get(code=code)


def add(cast, version, text="", code=None) -> GPAction:
    option = prompt(code) if code else None
    return summaries.add_gp_action(
        actor=cast.cns_a, version=version, seen_lock_version=fresh(version).lock_version, text=text, option=option
    )


def date_fields(name, value):
    return {f"{name}_day": value.day, f"{name}_month": value.month, f"{name}_year": value.year}


def test_the_prompts_are_data_in_the_order_the_issue_lists():
    assert list(GPActionOption.objects.values_list("text", flat=True)) == [
        "PSA or tumour-marker monitoring",
        "Bone health",
        "Medication",
        "Palliative or supportive care register",
        "Benefits",
        "Vaccinations",
        "Other",
    ]


# The staff form


def test_the_support_form_saves_them(client, cast):
    version = complete_draft(cast)
    client.force_login(cast.cns_a)
    data = {"benefits_form": "sr1", **date_fields("benefits_form_date", GIVEN)}
    data |= {"prescription_exemption": "given", "supportive_care_register": "yes"}
    assert post_section(client, version, "support", data).status_code == 302
    saved = fresh(version)
    assert (saved.benefits_form, saved.benefits_form_date) == ("sr1", GIVEN)
    assert (saved.prescription_exemption, saved.supportive_care_register) == ("given", True)
    page = client.get(url("summary", version)).content.decode()
    assert "SR1 given on 2 November 2026" in page and "Given: the application was completed" in page


FUTURE = datetime.date.today() + datetime.timedelta(days=2)


@pytest.mark.parametrize(
    ("data", "anchor", "message"),
    [
        ({"benefits_form": "ds1500"}, "benefits_form_date_day", "Enter the date the DS1500 form was given"),
        (date_fields("benefits_form_date", GIVEN), "benefits_form", "Select which benefits form was given"),
        (
            {"benefits_form": "sr1", **date_fields("benefits_form_date", FUTURE)},
            "benefits_form_date_day",
            "Date the form was given must be today or in the past",
        ),
        ({"prescription_exemption": "maybe"}, "prescription_exemption", "Select whether a prescription charge"),
        ({"supportive_care_register": "perhaps"}, "supportive_care_register", "Select whether the palliative"),
    ],
)
def test_bad_support_input_is_named_and_nothing_saved(client, cast, data, anchor, message):
    version = complete_draft(cast)
    client.force_login(cast.cns_a)
    response = post_section(client, version, "support", data)
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in html
    assert message in html
    assert f'href="#id_{anchor}"' in html  # the error summary links to the field
    saved = fresh(version)
    assert saved.benefits_form == "" and saved.benefits_form_date is None and saved.prescription_exemption == ""


def test_the_service_refuses_half_a_benefits_record(cast):
    version = complete_draft(cast)
    with pytest.raises(ValidationError) as caught:
        summaries.update(actor=cast.cns_a, version=version, seen_lock_version=version.lock_version, benefits_form="sr1")
    assert caught.value.message_dict == {"benefits_form_date": ["Enter the date the SR1 form was given"]}


def test_a_gp_action_is_chosen_from_the_prompts_with_free_text_beside(client, cast):
    version = complete_draft(cast)
    client.force_login(cast.cns_a)
    psa, other = prompt("psa-tumour-marker"), prompt("other")
    base = {"lock_version": fresh(version).lock_version, "version_number": 1}
    page = client.get(url("gp_actions", version)).content.decode()
    assert "PSA or tumour-marker monitoring" in page and "Vaccinations" in page
    assert (
        client.post(url("gp_actions", version), base | {"option": psa.pk, "text": "Every 6 months"}).status_code == 302
    )
    base["lock_version"] = fresh(version).lock_version
    assert client.post(url("gp_actions", version), base | {"option": prompt("bone-health").pk}).status_code == 302
    base["lock_version"] = fresh(version).lock_version
    # Free text alone, as before the prompts: still an action.
    assert client.post(url("gp_actions", version), base | {"text": "Review HRT"}).status_code == 302
    actions = list(fresh(version).gp_actions.order_by("position"))
    assert [(a.option_id, a.text) for a in actions] == [
        (psa.pk, "PSA or tumour-marker monitoring: Every 6 months"),
        (prompt("bone-health").pk, "Bone health"),
        (None, "Review HRT"),
    ]
    base["lock_version"] = fresh(version).lock_version
    for data, anchor, message in [
        ({"option": other.pk}, "text", "Enter the action you are asking the GP to take for “Other”"),
        ({"option": "not-a-prompt", "text": "x"}, "option", "Select one of the actions listed"),
        ({}, "text", "Enter the action you are asking the GP to take"),
    ]:
        html = client.post(url("gp_actions", version), base | data).content.decode()
        assert "<title>Error: " in html and message in html and f'href="#id_{anchor}"' in html
    assert fresh(version).gp_actions.count() == 3


def test_a_retired_prompt_is_not_offered_or_taken(cast):
    vaccinations = prompt("vaccinations")
    vaccinations.retired = True
    vaccinations.save()
    version = complete_draft(cast)
    with pytest.raises(ValidationError) as caught:
        add(cast, version, code="vaccinations")
    assert caught.value.message_dict == {"option": ["Select one of the actions listed"]}


def test_an_amendment_keeps_the_prompts_and_the_support(cast):
    version = complete_draft(cast, **SUPPORT)
    add(cast, version, "Denosumab every 6 months", code="bone-health")
    first = summaries.send(
        actor=cast.cns_a,
        version=summaries.sign_off(actor=clinician(cast), version=version, render_pdf=lambda v: b"%PDF"),
    )
    draft = summaries.amend(actor=cast.cns_a, version=first, reason="Staging corrected")
    (action,) = draft.gp_actions.all()
    assert (action.option.code, action.text) == ("bone-health", "Bone health: Denosumab every 6 months")
    assert (draft.benefits_form, draft.benefits_form_date, draft.supportive_care_register) == ("sr1", GIVEN, True)


# On paper, on the API and in FHIR


def test_the_pdf_prints_them(cast):
    version = complete_draft(cast, **SUPPORT)
    add(cast, version, "PSA every 6 months for 2 years", code="psa-tumour-marker")
    add(cast, version, "Flu vaccine yearly", code="vaccinations")
    signed = summaries.sign_off(actor=clinician(cast), version=version, render_pdf=render_summary)
    text = pdf_text(bytes(fresh(signed).pdf))
    flat = " ".join(text.split())
    assert "Special-rules benefits form (SR1 or DS1500) SR1 given on 2 November 2026" in flat
    assert "Prescription charge exemption Recommended: the patient should apply" in flat
    assert "Palliative or supportive care register recommended Yes" in flat
    assert_no_run_together(
        text,
        ["PSA or tumour-marker monitoring: PSA every 6 months for 2 years", "Vaccinations: Flu vaccine yearly"],
    )
    assert "by Asha Rao, clinician" in flat


def test_the_api_gives_them(cast, api_as):
    version = complete_draft(cast, **SUPPORT)
    add(cast, version, "Yearly DEXA", code="bone-health")
    add(cast, version, "Free text only")
    sent_version = summaries.send(
        actor=cast.cns_a,
        version=summaries.sign_off(actor=clinician(cast), version=version, render_pdf=lambda v: b"%PDF"),
    )
    (summary,) = api_as(cast.gp_a).get("/api/v1/treatment-summaries/").json()["results"]
    (shown,) = summary["versions"]
    assert shown["id"] == str(sent_version.pk)
    assert (shown["benefits_form"], shown["benefits_form_date"]) == ("sr1", "2026-11-02")
    assert (shown["prescription_exemption"], shown["supportive_care_register"]) == ("recommended", True)
    assert [(a["prompt"], a["text"]) for a in shown["gp_actions"]] == [
        ("bone-health", "Bone health: Yearly DEXA"),
        (None, "Free text only"),
    ]


def test_fhir_contains_them_as_a_care_plan_and_validates(cast, api_as):
    version = complete_draft(cast, **SUPPORT | {"prescription_exemption": "given"})
    add(cast, version, "Yearly DEXA", code="bone-health")
    add(cast, version, "Free text only")
    signed = summaries.sign_off(actor=clinician(cast), version=version, render_pdf=lambda v: b"%PDF-1.7 x")
    signed = summaries.send(actor=cast.cns_a, version=signed)
    data = fhir_json(api_as(cast.gp_a).get(f"/fhir/DocumentReference/{signed.pk}"), DocumentReference)
    assert base64.b64decode(data["content"][0]["attachment"]["data"]) == b"%PDF-1.7 x"
    (plan,) = data["contained"]
    CarePlan.model_validate(plan) if hasattr(CarePlan, "model_validate") else CarePlan.parse_obj(plan)
    assert data["context"]["related"] == [{"reference": "#plan"}]
    assert (plan["status"], plan["intent"], plan["subject"]["identifier"]["value"]) == (
        "active",
        "plan",
        cast.patient.nhs_number,
    )
    details = [a["detail"] for a in plan["activity"]]
    assert [(d.get("code", {}).get("coding", [{}])[0].get("code"), d["status"], d["description"]) for d in details] == [
        ("bone-health", "not-started", "Bone health: Yearly DEXA"),
        (None, "not-started", "Free text only"),
        ("benefits-form-sr1", "completed", "SR1 given on 2 November 2026"),
        ("prescription-exemption-given", "completed",
         "Prescription charge exemption: Given: the application was completed with the patient"),
        ("supportive-care-register-recommended", "not-started", "Palliative or supportive care register recommended"),
    ]  # fmt: skip
    assert details[0]["code"]["coding"][0]["system"] == fhir.GP_ACTION_CODES


def test_fhir_has_no_plan_when_the_summary_records_none(cast, api_as):
    version = sent(cast)
    data = fhir_json(api_as(cast.gp_a).get(f"/fhir/DocumentReference/{version.pk}"), DocumentReference)
    assert "contained" not in data and "context" not in data
