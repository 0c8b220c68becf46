"""Journey: a patient on their phone gets the quality of life survey by email, opens the link, gives
their date of birth, answers every question one page at a time (stopping part way and coming back),
checks their answers, changes one, sends them and reads their personal report. Axe runs on every
page (conftest's every-page check); nothing scrolls sideways at 320 px; it works without JavaScript."""

import datetime
import re

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from portal.outbox import services as outbox
from qol_survey import demo_instruments, demo_reference, demo_value_set
from qol_survey.models import Response
from qol_survey.services import tokens
from tests.qol_survey.factories import make_invitation
from tests.system.conftest import NARROWEST, PHONE, assert_fits

pytestmark = pytest.mark.django_db(transaction=True)
LINK = re.compile(r"https?://\S+/quality-of-life/s/[0-9a-f]+\.[0-9a-f]+/")


@pytest.fixture
def invitation(cast):
    # A flushed database (transaction=True) needs the instruments and reference data again.
    demo_instruments.ensure_loaded()
    demo_value_set.ensure_loaded()
    demo_reference.ensure_loaded()
    cast.patient.sex = "2"
    cast.patient.save()
    return make_invitation(
        patient=cast.patient, team=cast.team_a, invited_on=timezone.localdate() - datetime.timedelta(days=3)
    )


def email_the_invitation(invitation, base_url) -> str:
    """As dispatch will: the invitation message through the outbox; the link read from the sent email."""
    patient = invitation.patient
    with transaction.atomic():
        outbox.queue_notification(
            recipient=patient.email,
            channel="email",
            template="qol_survey.invitation",
            patient=patient,
            idempotency_key=f"qol-invitation:{invitation.pk}",
            context={
                "first_name": patient.given_name,
                "secret_link": base_url + tokens.link_path(invitation),
                "secret_opt_out_link": base_url + tokens.opt_out_path(invitation),
                "expires": invitation.expires_on.strftime("%-d %B %Y"),
                "team": invitation.team.name,
                "team_phone": invitation.team.phone,
            },
        )
    outbox.send_pending()
    sent = [m for m in mail.outbox if patient.email in m.to]
    assert len(sent) == 1 and "opt-out" in sent[0].body
    return LINK.search(sent[0].body).group(0)


def heading(page):
    return page.get_by_role("heading", level=1)


def give_date_of_birth(page, born):
    page.get_by_label("Day").fill(str(born.day))
    page.get_by_label("Month").fill(str(born.month))
    page.get_by_label("Year").fill(str(born.year))
    page.get_by_role("button", name="Continue").click()


def continue_(page):
    page.get_by_role("button", name="Continue").click()


def test_from_the_emailed_link_to_the_summary_report(live_server, phone_page, invitation, cast, assert_accessible):
    page = phone_page
    born = cast.patient.date_of_birth
    link = email_the_invitation(invitation, live_server.url)

    # The link asks only their date of birth; a wrong one gets the one message
    page.goto(link)
    expect(heading(page)).to_have_text("Your quality of life survey")
    assert_accessible(page)
    give_date_of_birth(page, born + datetime.timedelta(days=1))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The link or date of birth is not right")
    expect(page).to_have_title(re.compile(r"^Error: "))
    give_date_of_birth(page, born)
    expect(heading(page)).to_have_text("About this survey")
    page.get_by_role("button", name="Start now").click()

    # The health profile: five questions as radios, then health today as a number
    expect(heading(page)).to_have_text("Getting about on foot, today")
    assert_accessible(page)
    assert_fits(page, NARROWEST, PHONE)
    expect(page.get_by_role("link", name="Stop getting this survey")).to_be_visible()
    page.get_by_label("A little trouble getting about", exact=True).check()
    continue_(page)
    for _ in range(4):
        page.locator("input[type=radio]").first.check()
        continue_(page)
    expect(heading(page)).to_contain_text("Give your health today a number")
    page.get_by_role("textbox").fill("150")
    continue_(page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("must be a whole number from 0 to 100")
    assert_accessible(page)
    page.get_by_role("textbox").fill("70")
    continue_(page)

    # Ten cancer-30 questions, then they stop (each answer is already saved)
    for _ in range(10):
        expect(page.locator(".nhsuk-caption-l")).to_have_text("Your health over the last week")
        page.locator("input[type=radio]").first.check()
        continue_(page)
    expect(heading(page)).to_contain_text("have you found it hard to get to sleep")  # question 17, q11
    page.context.clear_cookies()

    # Coming back with the same link, they carry on where they stopped
    page.goto(link)
    give_date_of_birth(page, born)
    expect(heading(page)).to_contain_text("have you found it hard to get to sleep")
    page.get_by_role("button", name="Skip this question").click()  # q11 skipped
    for _ in range(19):
        page.locator("input[type=radio]").first.check()
        continue_(page)

    # Check your answers: every answer, the skipped one said, and a change
    expect(heading(page)).to_have_text("Check your answers")
    main = page.get_by_role("main")
    expect(main).to_contain_text("You have not answered 1 question")
    expect(main).to_contain_text("70 out of 100")
    assert_accessible(page)
    assert_fits(page, NARROWEST, PHONE)
    page.get_by_role("link", name="Change your answer to question 6").click()
    expect(page.get_by_role("textbox")).to_have_value("70")
    page.get_by_role("textbox").fill("65")
    continue_(page)
    expect(heading(page)).to_have_text("Check your answers")
    expect(main).to_contain_text("65 out of 100")

    # They keep the GP copy, say the team may contact them, and send
    page.get_by_role("group", name="May your care team contact you about your answers?").get_by_label("Yes").check()
    page.get_by_role("button", name="Send my answers").click()

    # The report: plain English beside people of a similar age and sex, DEMO said, who to call
    expect(heading(page)).to_have_text("Your quality of life report")
    expect(main).to_contain_text("Your physical functioning score is")
    expect(main).to_contain_text("People of a similar age and sex score")
    expect(main).to_contain_text("DEMO values")
    expect(main).to_contain_text("not a diagnosis")
    expect(main).to_contain_text(cast.team_a.name)
    expect(page.get_by_role("link", name="Download this report as a PDF")).to_be_visible()
    assert_accessible(page)
    assert_fits(page, NARROWEST, PHONE)

    response = Response.objects.get(invitation=invitation)
    assert response.answers["health-profile-5d"] == {"MO": 2, "SC": 1, "UA": 1, "PD": 1, "AD": 1, "VAS": 65}
    assert "q11" not in response.answers["cancer-30"] and len(response.answers["cancer-30"]) == 29
    assert (response.share_with_gp, response.may_contact) == (True, True)

    # The same link later opens the report, not the survey
    page.context.clear_cookies()
    page.goto(link)
    give_date_of_birth(page, born)
    expect(heading(page)).to_have_text("Your quality of life report")


def test_the_survey_works_without_javascript(live_server, browser, invitation, cast):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + tokens.link_path(invitation))
        give_date_of_birth(page, cast.patient.date_of_birth)
        page.get_by_role("button", name="Start now").click()
        page.get_by_label("No trouble getting about", exact=True).check()
        continue_(page)
        expect(heading(page)).to_have_text("Looking after yourself (washing, dressing), today")
        page.get_by_role("link", name="Stop getting this survey").first.click()
        page.get_by_role("button", name="Yes, stop sending me this survey").click()
        expect(heading(page)).to_have_text("You will not get this survey again")
    finally:
        context.close()
    cast.patient.refresh_from_db()
    assert cast.patient.survey_opt_out
