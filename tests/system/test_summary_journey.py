"""Journey: a clinician writes an end of treatment summary with two treatments and three actions
for the GP; a CNS cannot sign it off; the clinician signs it off and sends it; the GP of the
patient's practice reads it in their inbox, opens the PDF, acknowledges it and marks an action
done; another practice's GP gets "Page not found"; an amendment reaches the inbox marked
"Amended". Axe on every page."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from portal.people.models import Role
from tests.conftest import give_totp
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.system.conftest import DESKTOP
from tests.system.test_hna_journey import heading, sign_in
from treatment_summaries.models import GPActionResponse, PracticeDelivery, SummaryVersion

pytestmark = pytest.mark.django_db(transaction=True)


def clinician_of_team_a(cast):
    user = UserFactory(email="clinician.a@example.com", first_name="Elena", last_name="Rossi")
    RoleAssignmentFactory(user=user, role=Role.CLINICIAN, organisation=cast.trust, team=cast.team_a)
    cast.totp_secrets[user.pk] = give_totp(user)
    return user


def fill_date(page, day, month, year, group="Date of diagnosis"):
    fieldset = page.get_by_role("group", name=group)
    fieldset.get_by_label("Day").fill(str(day))
    fieldset.get_by_label("Month").fill(str(month))
    fieldset.get_by_label("Year").fill(str(year))


def change(page, what, assert_accessible):
    page.get_by_role("link", name=f"Change {what}", exact=True).first.click()
    expect(page.get_by_role("button", name="Save")).to_be_visible()
    assert_accessible(page)


def save(page):
    page.get_by_role("button", name="Save").click()
    expect(heading(page)).to_have_text("End of treatment summary")


def write_the_summary(page, assert_accessible):
    change(page, "diagnosis", assert_accessible)
    page.get_by_label("Diagnosis", exact=True).fill("Invasive ductal carcinoma, left breast")
    fill_date(page, 3, 2, 2026)
    page.get_by_label("T", exact=True).fill("T2")
    page.get_by_label("N", exact=True).fill("N1")
    page.get_by_label("M", exact=True).fill("M0")
    save(page)

    change(page, "treatment aim", assert_accessible)
    page.get_by_label("Curative").check()
    page.get_by_label("Nurse-led follow-up").check()
    save(page)

    page.get_by_role("link", name="Add or remove treatments").click()
    for kind, what, start in (
        ("Surgery", "Wide local excision", (10, 3, 2026)),
        ("Radiotherapy", "15 fractions", (5, 5, 2026)),
    ):
        assert_accessible(page)
        page.get_by_label(kind, exact=True).check()
        page.get_by_label("Description").fill(what)
        fill_date(page, *start, group="Start date")
        page.get_by_role("button", name="Add a treatment").click()
        expect(page.get_by_role("main")).to_contain_text(what)
    page.goto(page.url.rsplit("/treatments/", 1)[0] + "/")

    page.get_by_role("link", name="Add or remove actions for the GP").click()
    for action in ("Check PSA every 6 months", "Bone health review", "Add to the supportive care register"):
        assert_accessible(page)
        page.get_by_label("Details").fill(action)
        page.get_by_role("button", name="Add an action").click()
        expect(page.get_by_role("main")).to_contain_text(action)
    page.goto(page.url.rsplit("/gp-actions/", 1)[0] + "/")

    change(page, "red-flag symptoms that need referral back", assert_accessible)
    page.get_by_label("Red-flag symptoms that need referral back").fill("A new lump, bone pain, breathlessness")
    page.get_by_label("Contacts out of hours").fill("Acute oncology 0113 496 0999")
    page.get_by_label("Senior responsible clinician").fill("Dr Elena Rossi")
    save(page)

    change(page, "ongoing management and surveillance plan", assert_accessible)
    page.get_by_label("Ongoing management and surveillance plan").fill("Yearly mammogram for 5 years")
    save(page)

    change(page, "patient has a copy", assert_accessible)
    page.get_by_label("Yes", exact=True).check()
    save(page)


def test_summary_from_clinician_to_gp_and_amended(live_server, browser, cast, assert_accessible):
    clinician = clinician_of_team_a(cast)
    practice = cast.practice_a
    practice.email = "millbrook@example.nhs.uk"
    practice.save()
    hospital = browser.new_context(viewport=DESKTOP).new_page()

    # Given the clinician of team A, signed in, on their patient's page
    sign_in(hospital, live_server, cast, clinician, assert_accessible)
    hospital.goto(f"{live_server.url}/patients/{cast.patient.pk}/")
    assert_accessible(hospital)

    # When they write a summary with two treatments and three actions for the GP
    hospital.get_by_role("link", name="Write a treatment summary").click()
    assert_accessible(hospital)
    if hospital.get_by_role("button", name="Start the summary").count():
        hospital.get_by_role("button", name="Start the summary").click()
    expect(heading(hospital)).to_have_text("End of treatment summary")
    assert_accessible(hospital)
    write_the_summary(hospital, assert_accessible)
    summary_url = hospital.url
    version = SummaryVersion.objects.get(summary__patient=cast.patient)
    assert (version.treatments.count(), version.gp_actions.count()) == (2, 3)

    # Then a CNS of the team cannot sign it off
    cns = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(cns, live_server, cast, cast.cns_a, assert_accessible)
    cns.goto(summary_url + "sign-off/")
    assert_accessible(cns)
    expect(cns.get_by_role("main")).to_contain_text("cannot sign off a treatment summary")
    expect(cns.get_by_role("button", name=re.compile(r"^Sign off as"))).to_have_count(0)
    # and sending the sign-off form anyway (as a crafted request would) is refused
    token = next(c["value"] for c in cns.context.cookies() if c["name"] == "csrftoken")
    refused = cns.request.post(summary_url + "sign-off/", form={"csrfmiddlewaretoken": token})
    assert refused.status == 403
    assert SummaryVersion.objects.get(pk=version.pk).status == "draft"

    # When the clinician signs it off and sends it
    hospital.get_by_role("link", name="Check and sign off this summary").click()
    assert_accessible(hospital)
    hospital.get_by_role("button", name=re.compile(r"^Sign off as")).click()
    expect(hospital.get_by_role("main")).to_contain_text("Signed off")
    hospital.get_by_role("button", name="Send to the GP practice and the patient").click()
    expect(hospital.get_by_role("main")).to_contain_text("Sent to Practice A")
    assert_accessible(hospital)

    # Then the GP of the patient's practice finds it in their inbox
    gp = browser.new_context(viewport=DESKTOP, accept_downloads=True).new_page()
    sign_in(gp, live_server, cast, cast.gp_a, assert_accessible)
    gp.get_by_role("navigation", name="Menu").get_by_role("link", name="Summaries").click()
    assert_accessible(gp)
    gp.get_by_role("link", name=re.compile(cast.patient.full_name)).first.click()
    assert_accessible(gp)
    delivery = PracticeDelivery.objects.get(practice=practice)
    assert delivery.first_read_by == cast.gp_a

    # And opens the PDF, which says what the hospital wrote
    with gp.expect_download() as download:
        gp.get_by_role("link", name=re.compile("PDF")).first.click()
    with open(download.value.path(), "rb") as pdf:
        text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read())).pages))
    for expected in ("Invasive ductal carcinoma", "Wide local excision", "Check PSA every 6 months", "Bone pain"):
        assert expected.lower() in text.lower(), expected

    # When they acknowledge it and mark an action done
    gp.get_by_role("button", name="Acknowledge").click()
    assert_accessible(gp)
    first_action = gp.get_by_role("group", name=re.compile("Check PSA every 6 months"))
    first_action.get_by_label("Done").check()
    first_action.locator("xpath=ancestor::form").get_by_role("button", name="Save answer").click()
    assert_accessible(gp)
    delivery.refresh_from_db()
    assert delivery.acknowledged_by == cast.gp_a
    assert GPActionResponse.objects.get(action__text="Check PSA every 6 months").status == "done"

    # Then the hospital sees the acknowledgement
    hospital.goto(summary_url)
    expect(hospital.get_by_role("main")).to_contain_text("Acknowledged")

    # And the GP of another practice gets "Page not found"
    other_gp = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(other_gp, live_server, cast, cast.gp_b, assert_accessible)
    response = other_gp.goto(f"{live_server.url}/treatment-summaries/inbox/{delivery.pk}/")
    assert response.status == 404
    expect(heading(other_gp)).to_have_text("Page not found")
    assert_accessible(other_gp)

    # When the clinician amends it, signs the amendment off and sends it
    hospital.get_by_role("link", name="Amend this summary").click()
    assert_accessible(hospital)
    hospital.get_by_label("Why are you amending this summary?").fill("Radiotherapy dates corrected")
    hospital.get_by_role("button", name="Start the amendment").click()
    hospital.get_by_role("link", name="Check and sign off this summary").click()
    hospital.get_by_role("button", name=re.compile(r"^Sign off as")).click()
    hospital.get_by_role("button", name="Send to the GP practice and the patient").click()
    assert_accessible(hospital)

    # Then it reaches the GP's inbox marked "Amended"
    gp.goto(live_server.url + "/treatment-summaries/inbox/")
    expect(gp.get_by_role("main")).to_contain_text("Amended")
    assert_accessible(gp)
    assert SummaryVersion.objects.get(summary__patient=cast.patient, number=1).status == "superseded"
