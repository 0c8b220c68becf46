"""Journey: a patient on their phone opens the HNA their nurse set up, with a passcode and their
date of birth (no account), answers, leaves, comes back, changes an answer and sends it. Axe runs
on every page; nothing scrolls sideways at 320 px; the pages also work without JavaScript."""

import datetime
import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from hna.models import Assessment, ConcernAnswer
from hna.services import assessments
from tests.system.conftest import NARROWEST, PHONE, assert_fits

# The checklist (data-migration rows) is put back after other tests' flushes by tests/conftest.py.
pytestmark = pytest.mark.django_db(transaction=True)
NOT_RIGHT = "The passcode or date of birth is not right."


@pytest.fixture
def hna(cast):
    cache.clear()  # the per-IP sign-in counter: the live server shares this process's cache
    return assessments.set_up(
        actor=cast.cns_a,
        patient=cast.patient,
        point_of_pathway="01",
        trigger="diagnosis",
        offer_status="03",
        event_date=datetime.date.today(),
    )


def heading(page):
    return page.get_by_role("heading", level=1)


def enter_passcode(page, passcode, dob):
    page.get_by_label("Passcode").fill(passcode)
    page.get_by_label("Day").fill(str(dob.day))
    page.get_by_label("Month").fill(str(dob.month))
    page.get_by_label("Year").fill(str(dob.year))
    page.get_by_role("button", name="Continue").click()


def continue_(page):
    page.get_by_role("button", name="Continue").click()


def test_patient_answers_leaves_returns_changes_and_sends(live_server, phone_page, hna, cast, assert_accessible):
    csp = []
    phone_page.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
    patient_completes_the_assessment(phone_page, live_server, hna.passcode, cast, assert_accessible)
    assessment = Assessment.objects.get(pk=hna.assessment.pk)
    assert assessment.status == Assessment.Status.SUBMITTED and assessment.distress_score == 4
    assert ConcernAnswer.objects.filter(assessment=assessment, ticked=True).count() == 2
    assert csp == []
    assert len(assert_accessible.pages_checked) == 21  # every page of the journey


def patient_completes_the_assessment(page, live_server, passcode, cast, assert_accessible):
    """The patient's part, shared with the whole-service journey (tests/system/test_hna_journey.py)."""
    dob = cast.patient.date_of_birth
    typed = f"{passcode[:4].lower()}-{passcode[4:].lower()}"  # as people type it

    # Given the passcode from their nurse, when they open the start page
    page.goto(live_server.url + "/hna/start/")
    expect(heading(page)).to_have_text("Start your assessment")
    assert_accessible(page)

    # And enter it with a wrong date of birth, they get the one message, in an error summary
    enter_passcode(page, typed, dob + datetime.timedelta(days=1))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(NOT_RIGHT)
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)

    # When they use the right date of birth, the first category of concerns opens
    enter_passcode(page, typed, dob)
    expect(heading(page)).to_have_text("Physical concerns")
    assert_accessible(page)
    assert_fits(page, NARROWEST, PHONE)  # the longest list of checkboxes

    # When they tick two physical concerns and score them
    page.get_by_label("Pain", exact=True).check()
    page.get_by_label("Tired, exhausted or fatigued", exact=True).check()
    continue_(page)
    expect(heading(page)).to_have_text("How much does each concern worry you?")
    assert_accessible(page)
    page.get_by_label("Pain", exact=True).fill("7")
    page.get_by_label("Tired, exhausted or fatigued", exact=True).fill("5")
    continue_(page)

    # Then they skip the other categories
    for name in ("Practical", "Family and relationships", "Emotional", "Spiritual or religious"):
        expect(heading(page)).to_have_text(f"{name} concerns")
        assert_accessible(page)
        continue_(page)
    expect(heading(page)).to_have_text("Lifestyle and information concerns")
    assert_accessible(page)
    continue_(page)

    # And continuing without a distress score asks for one
    expect(heading(page)).to_contain_text("how much distress have you felt?")
    assert_accessible(page)
    continue_(page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select a number from 0 to 10")
    assert_accessible(page)

    # When they choose 6 and leave to come back later
    page.get_by_label("6", exact=True).check()
    page.get_by_role("button", name="Save and come back later").click()
    expect(heading(page)).to_have_text("Your answers have been saved")
    expect(page.get_by_role("status")).to_contain_text("Your passcode works until")
    assert_accessible(page)
    assert Assessment.objects.get(patient=cast.patient, status="in_progress").distress_score == 6

    # When they come back with the same passcode, they carry on where they left off
    page.get_by_role("link", name="Carry on with your assessment").click()
    enter_passcode(page, passcode, dob)
    expect(heading(page)).to_have_text("Is there anything else you want to tell us?")
    assert_accessible(page)
    page.get_by_label("Is there anything else you want to tell us?").fill("I care for my mother.")
    continue_(page)
    expect(heading(page)).to_have_text("Would you like someone with you when you talk to your care team?")
    assert_accessible(page)
    page.get_by_label("Not sure").check()
    continue_(page)
    expect(heading(page)).to_have_text("Do you need any help with communication?")
    assert_accessible(page)
    page.get_by_label("None of these").check()
    continue_(page)

    # Then "Check your answers" lists everything
    expect(heading(page)).to_have_text("Check your answers")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Pain: 7 out of 10")
    expect(main).to_contain_text("Tired, exhausted or fatigued: 5 out of 10")
    expect(main).to_contain_text("6 out of 10")
    assert_accessible(page)
    assert_fits(page, NARROWEST, PHONE)

    # When they change their distress score, they come back to "Check your answers"
    page.get_by_role("link", name="Change distress score").click()
    expect(page.get_by_label("6", exact=True)).to_be_checked()
    assert_accessible(page)
    page.get_by_label("4", exact=True).check()
    continue_(page)
    expect(heading(page)).to_have_text("Check your answers")
    expect(main).to_contain_text("4 out of 10")
    assert_accessible(page)

    # When they send it, they see what happens next and who to call
    page.get_by_role("button", name="Send to your care team").click()
    expect(heading(page)).to_have_text("Assessment sent")
    expect(main).to_contain_text("What happens next")
    expect(main).to_contain_text(cast.team_a.name)
    expect(page.get_by_role("link", name="Create an account to see your care plan online")).to_be_visible()
    assert_accessible(page)

    # And the back button does not show their answers again
    page.go_back()
    expect(main).to_contain_text("You have already sent this assessment to your care team")
    expect(main).not_to_contain_text("Pain: 7")
    assert_accessible(page)

    # And the same passcode now says it was sent, not that it is wrong
    enter_passcode(page, passcode, dob)
    expect(heading(page)).to_have_text("You have already sent this assessment")
    expect(main).not_to_contain_text(NOT_RIGHT)
    assert_accessible(page)


def test_the_pages_work_without_javascript(live_server, browser, hna, cast):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/hna/start/")
        enter_passcode(page, hna.passcode, cast.patient.date_of_birth)
        expect(heading(page)).to_have_text("Physical concerns")
        assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")

        page.get_by_label("Pain", exact=True).check()
        continue_(page)
        page.get_by_label("Pain", exact=True).fill("eleven")
        continue_(page)
        expect(page.locator(".nhsuk-error-summary")).to_contain_text("Score for Pain must be a number from 0 to 10")
        page.get_by_label("Pain", exact=True).fill("8")
        continue_(page)
        expect(heading(page)).to_have_text("Practical concerns")
        page.get_by_role("button", name="Save and come back later").click()
        expect(heading(page)).to_have_text("Your answers have been saved")
    finally:
        context.close()
    answer = ConcernAnswer.objects.get(assessment=hna.assessment, item__code="physical-pain")
    assert (answer.ticked, answer.score) == (True, 8)
    assert (
        Assessment.objects.get(pk=hna.assessment.pk).last_page == "concerns/family"
    )  # practical saved (nothing ticked)
