"""Journey (issue 14 item 7): a GP sees a patient due on the practice's list, opens the review form
with the treatment summary and the shared care plan beside it, submits a date in the future first
(the error, nothing typed lost), then completes the review; the patient, on their phone, finds the
summary from My care. A GP of another practice gets "Page not found" for the form and the review.
Axe runs on every page (tests/system/conftest.py's every-page check, and where the journey stops)."""

import re

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from care_reviews.models import Review
from tests.factories import DiagnosisFactory
from tests.hna.test_care_plans import locked_plan
from tests.system.conftest import DESKTOP, NARROWEST, PHONE, assert_fits
from tests.system.test_hna_journey import heading, sign_in
from tests.system.test_wellbeing_journey import patient_signs_in
from tests.treatment_summaries.factories import make_version

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.system, pytest.mark.long(seconds=30)]
EXPERIENCE = "Tired, back at work two days a week"


def fill_date(page, group: str, day):
    dates = page.get_by_role("group", name=group, exact=True)
    dates.get_by_label("Day").fill(str(day.day))
    dates.get_by_label("Month").fill(str(day.month))
    dates.get_by_label("Year").fill(str(day.year))


def test_gp_completes_a_review_and_the_patient_reads_it(live_server, browser, cast, assert_accessible):
    today = timezone.localdate()
    DiagnosisFactory(patient=cast.patient, date_of_diagnosis=today - relativedelta(months=8))
    make_version(cast, "sent")  # in the practice's inbox
    plan = locked_plan(cast, shared=True)
    gp = browser.new_context(viewport=DESKTOP).new_page()

    # Given the GP signs in and opens the practice's cancer care reviews
    sign_in(gp, live_server, cast, cast.gp_a, assert_accessible)
    gp.get_by_role("link", name="Reviews", exact=True).click()
    expect(heading(gp)).to_have_text("Cancer care reviews")
    row = gp.get_by_role("row").filter(has_text=cast.patient.full_name)
    expect(row).to_contain_text("Due: by")
    assert_accessible(gp)

    # When they open the review, the summary and the shared care plan are beside the form
    row.get_by_role("link", name=f"Record review for {cast.patient.full_name}").click()
    expect(heading(gp)).to_have_text("Cancer care review")
    shared = gp.get_by_role("complementary")
    expect(shared).to_contain_text("End of treatment summary, version 1")
    expect(shared.get_by_role("link", name=re.compile("Care and support plan"))).to_have_attribute(
        "href", f"/hna/plans/{plan.pk}/"
    )
    assert_accessible(gp)

    # And they fill it in with tomorrow's date: the error names the date, what they typed is kept
    gp.get_by_label("Completed").check()
    fill_date(gp, "Date", today + relativedelta(days=1))
    gp.get_by_label("Phone").check()
    gp.get_by_label("The patient's experience").fill(EXPERIENCE)
    gp.get_by_label("Medication review done").check()
    gp.get_by_label("Action 1", exact=True).fill("Refer to the practice social prescriber")
    gp.get_by_label("Who will do action 1").fill("Practice nurse")
    gp.get_by_label("How to get back in touch, including out of hours").fill("Ring the practice; NHS 111 at night")
    gp.get_by_role("button", name="Save cancer care review").click()
    expect(gp.locator(".nhsuk-error-summary")).to_contain_text("The date of the review must be today or in the past")
    expect(gp).to_have_title(re.compile(r"^Error: "))
    expect(gp.get_by_label("The patient's experience")).to_have_value(EXPERIENCE)
    assert_accessible(gp)
    assert not Review.objects.exists()

    # Then with today's date it is saved, and the list shows it done
    fill_date(gp, "Date", today)
    gp.get_by_role("button", name="Save cancer care review").click()
    expect(heading(gp)).to_have_text(re.compile("^Cancer care review"))
    expect(gp.get_by_role("main")).to_contain_text(EXPERIENCE)
    assert_accessible(gp)
    review = Review.objects.get()
    gp.get_by_role("link", name="Reviews", exact=True).click()
    expect(gp.get_by_role("row").filter(has_text=cast.patient.full_name)).to_contain_text("Done")

    # And the patient finds their summary from My care, on a small phone
    phone = patient_signs_in(browser, live_server, cast.patient)
    phone.get_by_role("link", name="Your cancer care reviews, and asking your GP for one").click()
    expect(heading(phone)).to_have_text("Your cancer care reviews")
    assert_accessible(phone)
    phone.get_by_role("link", name=re.compile("^Cancer care review")).click()
    expect(phone.get_by_role("main")).to_contain_text(EXPERIENCE)
    expect(phone.get_by_role("main")).to_contain_text("Refer to the practice social prescriber (Practice nurse)")
    expect(phone.get_by_role("link", name="Download your summary (PDF)")).to_be_visible()
    assert_accessible(phone)
    assert_fits(phone, NARROWEST, PHONE)

    # But a GP of another practice gets "Page not found" for the form and the review
    other = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(other, live_server, cast, cast.gp_b, assert_accessible)
    for path in (f"/care-reviews/diagnoses/{review.diagnosis_id}/review/", f"/care-reviews/reviews/{review.pk}/"):
        response = other.goto(live_server.url + path)
        assert response.status == 404
        expect(heading(other)).to_have_text("Page not found")
        assert_accessible(other)
    expect(other.get_by_role("main")).not_to_contain_text(cast.patient.full_name)
