"""Journey across the whole HNA service: a CNS sets up an assessment and reads the passcode; the
patient answers on their phone (wrong date of birth first, leaves, returns, changes an answer,
sends); the CNS reviews the ranked concerns, builds and locks a care plan and downloads its PDF;
a CNS of another team gets "Page not found" for the assessment and the plan. Axe on every page."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from hna.models import Assessment, CarePlan
from tests.system.conftest import DESKTOP, PHONE
from tests.system.test_hna_patient_journey import patient_completes_the_assessment
from tests.totp import code_now

pytestmark = pytest.mark.django_db(transaction=True)


def heading(page):
    return page.get_by_role("heading", level=1)


def sign_in(page, live_server, cast, user, assert_accessible):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill("cancer-care-demo")
    page.get_by_role("button", name="Sign in").click()
    expect(heading(page)).to_have_text("Enter your security code")
    page.get_by_label("Security code").fill(code_now(cast.totp_secrets[user.pk]))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("banner")).to_contain_text(user.get_full_name())
    assert_accessible(page)


def test_cns_sets_up_patient_answers_cns_plans_and_locks(live_server, browser, cast, assert_accessible):
    cns = browser.new_context(viewport=DESKTOP).new_page()
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()

    # Given the CNS of team A, signed in with their authenticator app
    sign_in(cns, live_server, cast, cast.cns_a, assert_accessible)

    # When they open their patient and set up an HNA
    cns.goto(f"{live_server.url}/patients/{cast.patient.pk}/")
    expect(heading(cns)).to_have_text(cast.patient.full_name)
    assert_accessible(cns)
    cns.get_by_role("link", name="Set up a holistic needs assessment").click()
    expect(heading(cns)).to_have_text("Set up a holistic needs assessment")
    assert_accessible(cns)
    cns.get_by_label("Initial diagnosis").check()
    cns.get_by_label("Diagnosis", exact=True).check()
    cns.get_by_label("Offered and accepted").check()
    cns.get_by_role("button", name="Set up assessment").click()

    # Then the passcode is shown once, for them to give to the patient
    expect(heading(cns)).to_have_text("Passcode for the patient")
    assert_accessible(cns)
    passcode = cns.locator("[data-passcode] [aria-hidden=true]").inner_text().replace("-", "").strip()
    assert len(passcode) == 8

    # When the patient completes it on their phone (wrong date of birth first, leaves, returns,
    # changes an answer on "Check your answers", sends)
    patient_completes_the_assessment(phone, live_server, passcode, cast, assert_accessible)
    assessment = Assessment.objects.get(patient=cast.patient)
    assert assessment.status == Assessment.Status.SUBMITTED

    # Then the CNS finds it on the worklist and sees the concerns ranked by score
    cns.goto(live_server.url + "/worklist/")
    assert_accessible(cns)
    cns.get_by_role("link", name=f"Review HNA from {cast.patient.full_name}").click()
    assert_accessible(cns)
    concerns = cns.get_by_role("main").inner_text()
    assert concerns.index("Pain") < concerns.index("Tired, exhausted or fatigued")  # 7 before 5
    expect(cns.get_by_role("main")).to_contain_text("4")  # distress score, under 5: no warning
    expect(cns.locator(".nhsuk-warning-callout")).to_have_count(0)

    # When they start a care plan and agree an action for pain
    cns.get_by_role("button", name="Start a care plan").click()
    expect(heading(cns)).to_contain_text("Care and support plan")
    assert_accessible(cns)
    cns.get_by_role("link", name="Change the plan for Pain").click()
    assert_accessible(cns)
    cns.get_by_label("What matters to the person").fill("Sleeping through the night")
    cns.get_by_label("Agreed action").fill("Refer to the pain clinic & review medicines")
    cns.get_by_label("Clinical nurse specialist").check()
    cns.get_by_role("button", name="Save").click()
    expect(cns.get_by_role("main")).to_contain_text("Refer to the pain clinic & review medicines")

    # And agree and lock it, confirming that fatigue has nothing recorded yet
    cns.get_by_role("button", name="Agree and lock").click()
    expect(heading(cns)).to_have_text("Agree and lock the plan with concerns blank?")
    expect(cns.get_by_role("main")).to_contain_text("Tired, exhausted or fatigued")
    assert_accessible(cns)
    cns.get_by_role("button", name="Yes, agree and lock the plan").click()
    expect(cns.get_by_role("main")).to_contain_text("Agreed and locked")
    assert_accessible(cns)
    plan = CarePlan.objects.get(assessment=assessment)
    assert plan.status == CarePlan.Status.LOCKED and plan.locked_by == cast.cns_a

    # And download it as a PDF, which says what was agreed
    with cns.expect_download() as download:
        cns.get_by_role("link", name="Download this plan as a PDF").click()
    pdf = download.value
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(open(pdf.path(), "rb").read())).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Pain" in text and "Refer to the pain clinic & review medicines" in text
    assert cast.patient.full_name in text

    # Then a CNS of another team gets "Page not found" for the assessment and the plan
    other = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(other, live_server, cast, cast.cns_b, assert_accessible)
    for path in (f"/hna/assessments/{assessment.pk}/", f"/hna/plans/{plan.pk}/", f"/hna/plans/{plan.pk}/pdf/"):
        response = other.goto(live_server.url + path)
        assert response.status == 404, path
        expect(heading(other)).to_have_text("Page not found")
        assert cast.patient.full_name not in other.content()
    assert_accessible(other)
