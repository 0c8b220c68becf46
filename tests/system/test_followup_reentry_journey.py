"""Journey: the colorectal CNS puts a patient on patient-initiated follow-up (PIFU); the patient signs
in on their phone, finds their plan in My care, reads the symptoms to look out for, and tells the team
about a symptom (choose, describe, check, send); the CNS finds it on the team's triage queue, rates it
red, records that the patient was brought back to clinic and closes it; the patient sees that. Axe
runs on every page. The pathway is made as the pathways service makes one (that part is built apart)."""

import datetime

import pytest
from playwright.sync_api import expect

from followup import default_protocols
from followup.models import Concern
from tests.followup.factories import make_pathway
from tests.system.conftest import DESKTOP, PHONE
from tests.system.test_hna_journey import heading, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
SYMPTOMS = ["Bleeding from your bottom or blood in your poo", "A change in your bowel habit lasting 3 weeks"]


@pytest.fixture
def on_pifu(cast):
    default_protocols.ensure_loaded()  # transaction=True wiped the migration's rows
    cast.patient.care_teams.add(cast.team_b)  # team B is the colorectal team
    today = datetime.date.today()
    return make_pathway(
        patient=cast.patient,
        team=cast.team_b,
        protocol_slug="colorectal-default",
        anchor_date=today - datetime.timedelta(days=90),
        pifu_start=today - datetime.timedelta(days=90),
        pifu_end=today + datetime.timedelta(days=3 * 365),
        trigger_symptoms=SYMPTOMS,
        named_contact="Ben Okafor, colorectal CNS",
        team_phone="0161 000 0002",
        created_by=cast.cns_b,
    )


def patient_signs_in(page, live_server, cast):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(cast.patient_user.email)
    page.get_by_label("Password").fill("cancer-care-demo")
    page.get_by_role("button", name="Sign in").click()
    expect(heading(page)).to_contain_text("My care")


def test_patient_raises_a_concern_and_the_cns_triages_it(live_server, browser, cast, on_pifu, assert_accessible):
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    cns = browser.new_context(viewport=DESKTOP).new_page()

    # Given a patient on PIFU, signed in to My care
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
    sign_in(cns, live_server, cast, cast.cns_b, assert_accessible)
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
