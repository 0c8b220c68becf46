"""Journey (issue 11 item 12): the colorectal CNS puts a patient on patient-initiated follow-up (PIFU)
with the default protocol, through the staff pages; the patient signs in on their phone, finds their
plan in My care, reads the symptoms to look out for, and tells the team about a symptom (choose,
describe, check, send); the CNS finds it on the team's triage queue, rates it red, records that the
patient was brought back to clinic and closes it; the patient sees that. Then a CEA result arrives
from the lab feed (POST /api/v1/followup/results/ with a token), the CNS reviews it and tells the
patient in one step from the results queue, and the patient sees the result. Axe runs on every page."""

import datetime
import json
import urllib.request

import pytest
from playwright.sync_api import expect

from followup import default_protocols
from followup.models import Concern, Pathway, Result, TestStatus
from tests.api.conftest import issue_token
from tests.system.conftest import DESKTOP, PHONE
from tests.system.test_hna_journey import heading, sign_in
from tests.system.test_summary_journey import fill_date

pytestmark = pytest.mark.django_db(transaction=True)
SYMPTOMS = ["Bleeding from your bottom or blood in your poo", "A change in your bowel habit lasting 3 weeks"]


@pytest.fixture
def colorectal_patient(cast):
    default_protocols.ensure_loaded()  # transaction=True wiped the migration's rows
    cast.patient.care_teams.add(cast.team_b)  # team B is the colorectal team
    return cast.patient


def cns_puts_the_patient_on_pifu(cns, live_server, cast, assert_accessible) -> Pathway:
    today = datetime.date.today()
    # Surgery 200 days ago: the first 6-monthly CEA fell due a few weeks ago.
    anchor, ends = today - datetime.timedelta(days=200), today + datetime.timedelta(days=3 * 365)
    cns.goto(f"{live_server.url}/patients/{cast.patient.pk}/")
    cns.get_by_role("link", name="Choose a follow-up pathway").first.click()
    expect(heading(cns)).to_have_text("Choose a follow-up pathway")
    assert_accessible(cns)
    cns.get_by_label("Patient-initiated (PIFU)").check()
    cns.get_by_label("Protocol").select_option(label="Colorectal cancer follow-up (version 1)")
    fill_date(cns, anchor.day, anchor.month, anchor.year, group="Anchor date")
    fill_date(cns, anchor.day, anchor.month, anchor.year, group="Patient-initiated follow-up starts")
    fill_date(cns, ends.day, ends.month, ends.year, group="Patient-initiated follow-up ends")
    cns.get_by_label("Why this pathway").fill("Low risk after surgery; wants to manage at home")
    cns.get_by_label("Symptoms that mean the patient should call").fill("\n".join(SYMPTOMS))
    cns.get_by_label("Named contact").fill("Ben Okafor, colorectal CNS")
    cns.get_by_label("Team phone number").fill("0161 000 0002")
    cns.get_by_role("button", name="Put on this pathway").click()
    expect(cns.get_by_role("main")).to_contain_text("CEA")
    assert_accessible(cns)
    pathway = Pathway.objects.get(patient=cast.patient, team=cast.team_b)
    assert (pathway.kind, pathway.trigger_symptoms, pathway.created_by) == ("patient_initiated", SYMPTOMS, cast.cns_b)
    assert pathway.protocol_version.protocol.slug == "colorectal-default" and pathway.tests.count() > 0
    return pathway


def patient_signs_in(page, live_server, cast):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(cast.patient_user.email)
    page.get_by_label("Password").fill("cancer-care-demo")
    page.get_by_role("button", name="Sign in").click()
    expect(heading(page)).to_contain_text("My care")


def test_pifu_concern_and_a_result_from_the_lab_feed(live_server, browser, cast, colorectal_patient, assert_accessible):
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    cns = browser.new_context(viewport=DESKTOP).new_page()

    # Given the colorectal CNS puts the patient on PIFU with the default protocol
    sign_in(cns, live_server, cast, cast.cns_b, assert_accessible)
    pathway = cns_puts_the_patient_on_pifu(cns, live_server, cast, assert_accessible)

    # And the patient signs in to My care
    patient_signs_in(phone, live_server, cast)
    assert_accessible(phone)

    # When they open their follow-up plan, they see who to contact and their next tests
    phone.get_by_role("link", name="Your follow-up plan").click()
    expect(heading(phone)).to_have_text("Your follow-up plan")
    expect(phone.get_by_role("main")).to_contain_text("Ben Okafor, colorectal CNS")
    expect(phone.get_by_role("main")).to_contain_text("Your next tests")
    assert_accessible(phone)

    # And the symptoms to look out for, with who to call
    phone.get_by_role("link", name="Symptoms to look out for and who to call").click()
    expect(heading(phone)).to_have_text("Symptoms to look out for")
    expect(phone.get_by_role("main")).to_contain_text(SYMPTOMS[0])
    expect(phone.get_by_role("main")).to_contain_text("0161 000 0002")
    assert_accessible(phone)
    phone.get_by_role("link", name="Back").click()

    # When they say they are worried: choose a symptom, describe it, check and send
    phone.get_by_role("button", name="I'm worried about a symptom").click()
    expect(heading(phone)).to_have_text("Which of these symptoms do you have?")
    assert_accessible(phone)
    phone.get_by_label(SYMPTOMS[0]).check()
    phone.get_by_role("button", name="Continue").click()
    expect(heading(phone)).to_have_text("Tell us what is worrying you")
    assert_accessible(phone)
    phone.get_by_label("Tell us what is worrying you").fill("Some blood twice this week")
    phone.get_by_role("button", name="Continue").click()
    expect(heading(phone)).to_have_text("Check your answers before sending")
    expect(phone.get_by_role("main")).to_contain_text("Some blood twice this week")
    assert_accessible(phone)
    phone.get_by_role("button", name="Send to my care team").click()
    expect(heading(phone)).to_have_text("Your concern has been sent")
    expect(phone.get_by_role("main")).to_contain_text("Sent: waiting for your team")
    assert_accessible(phone)
    concern = Concern.objects.get()
    assert concern.symptoms == [SYMPTOMS[0]] and concern.status == "open"

    # Then the colorectal CNS finds it on the team's triage queue
    cns.goto(live_server.url + "/follow-up/concerns/")
    expect(heading(cns)).to_have_text("Concerns to triage")
    assert_accessible(cns)
    cns.get_by_role("link", name=cast.patient.full_name).click()
    expect(cns.get_by_role("main")).to_contain_text("Some blood twice this week")
    assert_accessible(cns)

    # And rates it red, records the outcome and closes it
    cns.get_by_label("Red").check()
    cns.get_by_label("Triage note").fill("Called back: clinic tomorrow")
    cns.get_by_role("button", name="Save the rating").click()
    expect(cns.get_by_role("main")).to_contain_text("Triaged")
    assert_accessible(cns)
    cns.get_by_label("Brought back to clinic").check()
    cns.get_by_role("button", name="Save the outcome").click()
    expect(cns.get_by_role("main")).to_contain_text("Brought back to clinic")
    cns.get_by_role("button", name="Close the concern").click()
    expect(cns.get_by_role("main")).to_contain_text("Closed")
    assert_accessible(cns)
    concern.refresh_from_db()
    assert (concern.status, concern.rating, concern.outcome) == ("closed", "red", "clinic")

    # And the patient sees what happened to what they raised
    phone.goto(live_server.url + "/follow-up/mine/")
    expect(phone.get_by_role("main")).to_contain_text("Closed: brought back to clinic")
    assert_accessible(phone)

    # When a CEA result arrives from the lab feed, as the laboratory system posts it
    cea = pathway.tests.filter(test_type__code="CEA").order_by("due_date").first()
    # Taken today, ahead of its due date (a sample date in the future is refused): the nearest open CEA test.
    today = datetime.date.today().isoformat()
    body = {"nhs_number": cast.patient.nhs_number, "test_code": "CEA", "sample_date": today}
    body |= {"value": "2.1", "units": "ug/L", "abnormal": False}
    request = urllib.request.Request(  # noqa: S310 - the test's own live server
        live_server.url + "/api/v1/followup/results/",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {issue_token(cast.cns_b)[1]}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        assert response.status == 201
    result = Result.objects.get(test=cea)

    # Then the CNS reviews it and tells the patient from the results queue: three clicks
    cns.goto(live_server.url + "/follow-up/results/")
    expect(heading(cns)).to_have_text("Results")
    assert_accessible(cns)
    clicks = 0
    cns.get_by_role("button", name="Review the next result").click()
    clicks += 1
    expect(heading(cns)).to_have_text("CEA blood test result")
    assert_accessible(cns)
    cns.get_by_label("Portal").check()
    clicks += 1
    cns.get_by_role("button", name="Reviewed, next result").click()
    clicks += 1
    expect(cns.get_by_role("main")).to_contain_text("There are no results to review")
    assert_accessible(cns)
    assert clicks <= 3
    result.refresh_from_db()
    assert result.reviewed_by == cast.cns_b and result.told_how == "portal" and result.told_at is not None
    assert Result.objects.get(pk=result.pk).test.status == TestStatus.TOLD

    # And the patient sees the result they were told about
    phone.goto(live_server.url + "/follow-up/mine/")
    phone.get_by_role("link", name="Your test results").click()
    expect(heading(phone)).to_have_text("Your test results")
    expect(phone.get_by_role("main")).to_contain_text("CEA blood test")
    expect(phone.get_by_role("main")).to_contain_text("2.1 ug/L")
    assert_accessible(phone)
