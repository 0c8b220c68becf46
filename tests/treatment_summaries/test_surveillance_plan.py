"""The summary's plan lists the follow-up tests from the patient's pathway (issue 15 item 6, ADR
0054): live while a draft, kept at sign-off and frozen with the version, so what the GP and the
patient were sent (page, PDF, API, FHIR) never changes when the pathway does."""

import datetime

import pytest
from django.db import DatabaseError, transaction
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.documentreference import DocumentReference

from followup.models import SurveillanceTest
from followup.services import pathways
from tests.api.conftest import fhir_json
from tests.followup.factories import make_pathway
from tests.pdf_text import pdf_text
from tests.treatment_summaries.factories import clinician, complete_draft, fresh
from tests.treatment_summaries.test_staff_pages import url
from treatment_summaries import fhir
from treatment_summaries.models import SummaryVersion
from treatment_summaries.pdf import render_summary
from treatment_summaries.services import summaries

pytestmark = pytest.mark.django_db
ANCHOR = datetime.date(2026, 1, 15)
MAMMOGRAM = "Mammogram: yearly, next due 15 January 2027, until 2031; arranged by the hospital team"
MOVED = "Mammogram: yearly, next due 15 January 2028, until 2031; arranged by the hospital team"
NO_PATHWAY = "No follow-up pathway is set for this patient yet"


def on_pathway(cast):
    return make_pathway(cast.patient, cast.team_a, anchor_date=ANCHOR)


def sign(cast, version, render=render_summary):
    return summaries.sign_off(actor=clinician(cast), version=version, render_pdf=render)


def cancel_first_mammogram(cast, pathway):
    first = SurveillanceTest.objects.filter(pathway=pathway).order_by("due_date").first()
    pathways.cancel_test(actor=clinician(cast), test=first, reason="Done privately")


# The draft: the pathway as it is now


def test_the_draft_lists_the_tests_from_the_pathway_beside_the_free_text(client, cast):
    on_pathway(cast)
    version = complete_draft(cast, ongoing_management="Letrozole for 5 years")
    client.force_login(cast.cns_a)
    page = client.get(url("summary", version)).content.decode()
    assert "Follow-up and surveillance tests" in page and MAMMOGRAM in page
    assert "Other ongoing management" in page and "Letrozole for 5 years" in page
    assert f'href="/follow-up/patients/{cast.patient.pk}/"' in page  # the tests change on follow-up's pages
    edit = client.get(url("edit_plan", version)).content.decode()
    assert MAMMOGRAM in edit and "Other ongoing management" in edit


def test_the_draft_follows_the_pathway_as_it_changes(client, cast):
    pathway = on_pathway(cast)
    version = complete_draft(cast)
    cancel_first_mammogram(cast, pathway)
    client.force_login(cast.cns_a)
    page = client.get(url("summary", version)).content.decode()
    assert MOVED in page and MAMMOGRAM not in page


def test_with_no_pathway_it_says_so_and_links_to_choose_one(client, cast):
    version = complete_draft(cast, ongoing_management="Annual mammogram for 5 years")
    client.force_login(cast.cns_a)
    page = client.get(url("summary", version)).content.decode()
    assert NO_PATHWAY in page and f'href="/follow-up/patients/{cast.patient.pk}/stratify/"' in page
    # The free text then stands alone, under its own name.
    assert "Ongoing management and surveillance plan" in page and "Other ongoing management" not in page
    edit = client.get(url("edit_plan", version)).content.decode()
    assert NO_PATHWAY in edit and "Choose a follow-up pathway" in edit


def test_the_free_text_is_optional_only_when_tests_are_listed(cast):
    version = complete_draft(cast, ongoing_management="")
    assert ("ongoing_management", "Enter the ongoing management and surveillance plan") in (
        summaries.missing_for_sign_off(version, None)
    )
    on_pathway(cast)
    signed = sign(cast, version, render=lambda v: b"%PDF-1.7")
    assert signed.status == SummaryVersion.Status.SIGNED_OFF and signed.ongoing_management == ""


# Sign-off: kept, and frozen


def test_sign_off_keeps_the_plan_and_a_later_change_does_not_touch_it(client, cast, api_as):
    pathway = on_pathway(cast)
    signed = sign(cast, complete_draft(cast))
    kept = fresh(signed).surveillance_plan
    assert kept["pathway"] == "Patient-initiated (PIFU) follow-up (Breast cancer follow-up)"
    assert [(r["code"], r["next_due"], r["until"]) for r in kept["rows"]] == [("MAMMOGRAM", "2027-01-15", "2031-01-15")]
    assert "set_url" not in kept and "pathway_id" not in kept  # nothing about who was looking
    pdf_before = bytes(fresh(signed).pdf)
    sent = summaries.send(actor=cast.cns_a, version=signed)

    cancel_first_mammogram(cast, pathway)

    assert fresh(sent).surveillance_plan == kept and bytes(fresh(sent).pdf) == pdf_before
    client.force_login(cast.cns_a)
    page = client.get(url("summary", sent)).content.decode()
    assert MAMMOGRAM in page and MOVED not in page
    client.force_login(cast.gp_a)
    inbox_page = client.get(f"/treatment-summaries/inbox/{sent.practice_deliveries.get().pk}/").content.decode()
    assert MAMMOGRAM in inbox_page and MOVED not in inbox_page
    (summary,) = api_as(cast.gp_a).get("/api/v1/treatment-summaries/").json()["results"]
    (test,) = summary["versions"][0]["surveillance_plan"]["tests"]
    assert (test["next_due"], test["interval"], test["arranged_by"]) == ("2027-01-15", "yearly", "Hospital team")
    # An amendment is a new draft: it shows the pathway as it is now, and keeps that when signed.
    draft = summaries.amend(actor=cast.cns_a, version=sent, reason="Follow-up changed")
    assert fresh(draft).surveillance_plan is None
    client.force_login(cast.cns_a)
    assert MOVED in client.get(url("summary", draft)).content.decode()


def test_the_database_refuses_to_change_a_kept_plan(cast):
    on_pathway(cast)
    signed = sign(cast, complete_draft(cast), render=lambda v: b"%PDF-1.7")
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        SummaryVersion.objects.filter(pk=signed.pk).update(surveillance_plan={"pathway": None, "rows": []})
    assert fresh(signed).surveillance_plan["rows"]


def test_signed_with_no_pathway_says_so_in_the_past(client, cast):
    signed = sign(cast, complete_draft(cast), render=lambda v: b"%PDF-1.7")
    assert fresh(signed).surveillance_plan == {"pathway": None, "rows": []}
    on_pathway(cast)  # chosen after sign-off (the STRATIFY item asks for it): the summary stays as sent
    client.force_login(cast.cns_a)
    page = client.get(url("summary", signed)).content.decode()
    assert "No follow-up pathway was set when this summary was signed off" in page and MAMMOGRAM not in page


# On paper and in FHIR


def test_the_pdf_prints_the_tests(cast):
    on_pathway(cast)
    signed = sign(cast, complete_draft(cast, ongoing_management="Letrozole for 5 years"))
    flat = " ".join(pdf_text(bytes(fresh(signed).pdf)).split())
    assert f"Follow-up and surveillance tests • {MAMMOGRAM}" in flat  # a bullet list
    assert "Other ongoing management Letrozole for 5 years" in flat


def test_fhir_gives_the_tests_as_scheduled_care_plan_activities_and_validates(cast, api_as):
    on_pathway(cast)
    signed = summaries.send(actor=cast.cns_a, version=sign(cast, complete_draft(cast), render=lambda v: b"%PDF-1.7"))
    data = fhir_json(api_as(cast.gp_a).get(f"/fhir/DocumentReference/{signed.pk}"), DocumentReference)
    (plan,) = data["contained"]
    CarePlan.model_validate(plan)
    (detail,) = [a["detail"] for a in plan["activity"]]
    assert detail["code"]["coding"] == [
        {"system": fhir.FOLLOWUP_TEST_CODES, "code": "MAMMOGRAM", "display": "Mammogram"}
    ]
    assert (detail["kind"], detail["status"], detail["description"]) == ("ServiceRequest", "scheduled", MAMMOGRAM)
    timing = detail["scheduledTiming"]
    assert timing["event"] == ["2027-01-15", "2028-01-15", "2029-01-15", "2030-01-15", "2031-01-15"]
    assert timing["repeat"] == {
        "boundsPeriod": {"start": "2027-01-15", "end": "2031-01-15"},
        "frequency": 1,
        "period": 12,
        "periodUnit": "mo",
    }
