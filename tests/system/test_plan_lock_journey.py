"""Journey: a CNS agrees a care plan in which only one of three concerns has anything recorded.
"Agree and lock" asks first, naming the two blank concerns; going back changes nothing; confirming
locks it. The patient then reads it on their phone in their own words: no "Not recorded", and a
page much shorter than the staff view of the same plan. Axe on every page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from hna.models import CarePlan
from tests.hna.test_care_plans import submitted_assessment
from tests.system.conftest import DESKTOP, NARROWEST, assert_fits
from tests.system.test_hna_journey import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PATIENT_PHONE = {"width": 390, "height": 844}
BLANK = ("Worry, fear or anxiety", "Tired, exhausted or fatigued")


def heading(page):
    return page.get_by_role("heading", level=1)


def page_height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


def test_cns_locks_a_plan_with_blank_concerns_after_a_confirmation(live_server, browser, cast, assert_accessible):
    assessment = submitted_assessment(cast)  # worry 9, pain 8, fatigue 5
    cns = browser.new_context(viewport=DESKTOP).new_page()

    # Given the CNS, signed in, starts a care plan from the HNA and records a plan for pain only
    sign_in(cns, live_server, cast, cast.cns_a, assert_accessible)
    cns.goto(f"{live_server.url}/hna/assessments/{assessment.pk}/")
    cns.get_by_role("button", name="Start a care plan").click()
    expect(heading(cns)).to_contain_text("Care and support plan")
    cns.get_by_role("link", name="Change the plan for Pain").click()
    cns.get_by_label("What matters to the person").fill("Sleeping through the night")
    cns.get_by_label("Agreed action").fill("Refer to the pain clinic")
    cns.get_by_label("Clinical nurse specialist").check()
    cns.get_by_role("button", name="Save").click()
    expect(cns.get_by_role("main")).to_contain_text("Refer to the pain clinic")
    assert_accessible(cns)
    plan_url = cns.url

    # When they select "Agree and lock", they are asked first, and told which concerns are blank
    cns.get_by_role("button", name="Agree and lock").click()
    expect(heading(cns)).to_have_text("Agree and lock the plan with concerns blank?")
    main = cns.get_by_role("main")
    expect(main).to_contain_text("These concerns have nothing recorded:")
    expect(main.get_by_role("listitem")).to_have_text(list(BLANK))
    assert_accessible(cns)
    assert_fits(cns, NARROWEST, DESKTOP)

    # And going back changes nothing
    cns.get_by_role("link", name="No, go back to the plan").click()
    assert cns.url == plan_url
    expect(cns.get_by_role("button", name="Agree and lock")).to_be_visible()
    plan = CarePlan.objects.get(assessment=assessment)
    assert plan.status == CarePlan.Status.DRAFT

    # When they ask again and confirm, the plan is agreed and locked
    cns.get_by_role("button", name="Agree and lock").click()
    cns.get_by_role("button", name="Yes, agree and lock the plan").click()
    expect(cns.get_by_role("main")).to_contain_text("Agreed and locked")
    expect(cns.get_by_role("button", name="Unlock to amend")).to_be_visible()
    assert_accessible(cns)
    plan.refresh_from_db()
    assert plan.status == CarePlan.Status.LOCKED and plan.locked_by == cast.cns_a
    cns.set_viewport_size(PATIENT_PHONE)
    staff_height = page_height(cns)

    # Then the patient, signed in on their phone, reads it in their own words, only what was recorded
    phone = browser.new_context(viewport=PATIENT_PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(live_server.url + "/accounts/login/")
    phone.get_by_label("Email address").fill(cast.patient_user.email)
    phone.get_by_label("Password").fill("cancer-care-demo")
    phone.get_by_role("button", name="Sign in").click()
    phone.goto(live_server.url + reverse("hna:plan", kwargs={"plan_id": plan.pk}))
    expect(heading(phone)).to_have_text("Your care and support plan")
    main = phone.get_by_role("main")
    expect(main).to_contain_text(f"Your plan, agreed with {cast.team_a.name} on")
    expect(main).to_contain_text("What matters to you")
    expect(main).to_contain_text("Sleeping through the night")
    for staff_words in ("Not recorded", "What matters to the person", "Agreed and locked"):
        expect(main).not_to_contain_text(staff_words)
    expect(main.get_by_role("list").last.get_by_role("listitem")).to_have_text(list(BLANK))
    assert_accessible(phone)
    assert_fits(phone, NARROWEST, PATIENT_PHONE)

    # And the page is much shorter than the staff view of the same plan at the same width
    assert page_height(phone) * 2 < staff_height, (page_height(phone), staff_height)
