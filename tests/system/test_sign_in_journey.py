"""Journey: a demo CNS signs in (straight on to set up two-factor authentication, ADR 0024),
sets it up, lands on their team page,
signs out, signs in again with a code from their app, works their team's worklist, opens a
patient (audited), and gets "Page not found" for another team's patient."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from portal.audit.models import Action, AuditEvent
from portal.people.models import CareTeam, Patient, Role
from portal.worklist.models import OPEN_STATUSES, Kind, Priority, WorkItem
from portal.worklist.services import raise_item
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.system.conftest import DESKTOP, NARROWEST, assert_fits
from tests.totp import code_now

pytestmark = pytest.mark.django_db(transaction=True)
CNS_EMAIL = "cns.breast@demo.example.nhs.uk"


def sign_in_with_password(page):
    page.get_by_label("Email address").fill(CNS_EMAIL)
    page.get_by_label("Password").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def give_the_breast_team_work():
    """Three more items on the breast team's worklist (the demo stages put some there already), one
    urgent; returns (a team patient, an outsider, how many items are open now)."""
    team = CareTeam.objects.get(name="Breast care team")
    patients = list(Patient.objects.filter(care_teams=team).order_by("family_name", "pk")[:3])
    for n, patient in enumerate(patients):
        raise_item(
            kind=Kind.HNA_SUBMITTED,
            patient=patient,
            team=team,
            source_type="demo.hna",
            source_id=str(n),
            title=f"Review HNA from {patient.full_name}",
            priority=Priority.URGENT if n == 0 else Priority.ROUTINE,
        )
    outsider = Patient.objects.exclude(care_teams=team).first()
    return patients[0], outsider, WorkItem.objects.filter(team=team, status__in=OPEN_STATUSES).count()


def test_cns_signs_in_with_mfa_works_the_worklist_and_opens_a_patient(
    live_server, page, assert_accessible, csp_violations
):
    # Given the demo data, as make run loads it, and work waiting for the breast team
    call_command("seed_demo")
    urgent_patient, other_teams_patient, open_items = give_the_breast_team_work()
    assert open_items > 3  # the demo's own work is there too

    # When the CNS opens the portal, they are asked to sign in
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)

    # And an empty form says what to enter in each field, in an error summary
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter your email address")
    expect(summary).to_contain_text("Enter your password")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)

    # And a wrong password gets the one message for any wrong email address or password
    page.get_by_label("Email address").fill(CNS_EMAIL)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(summary).to_contain_text("The email address or password is not right")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)

    # When they sign in with the demo password for the first time
    sign_in_with_password(page)

    # Then they go straight on to set up two-factor authentication, with a way out
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_text("Successfully signed in")).to_have_count(0)  # they cannot use it yet
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert_accessible(page)
    assert_fits(page, NARROWEST, DESKTOP)  # the long setup key wraps on a small phone

    # When they add the setup key shown under the QR code to their app and enter its code
    secret = page.locator("#authenticator-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill(code_now(secret))
    page.get_by_role("button", name="Continue").click()

    # Then they are shown their recovery codes, and continue to the portal
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.get_by_label("Unused recovery codes")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()

    # And they land on their team's page, with their name and role in the header
    expect(page.get_by_role("heading", level=1)).to_have_text("Breast care team")
    header = page.get_by_role("banner")
    expect(header).to_contain_text("Aisha Khan")
    expect(header).to_contain_text("Clinical nurse specialist, Breast care team")
    # NHS.UK frontend's JavaScript ran: the nonced inline script was not blocked by the CSP
    expect(page.locator("body")).to_have_class(re.compile(r"nhsuk-frontend-supported"))
    assert_accessible(page)

    # And the page is usable at 320 px wide: nothing scrolls sideways
    assert_fits(page, NARROWEST, NARROWEST)
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)

    # When they look at where they are signed in, this browser is listed
    page.goto(live_server.url + "/account/sessions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your sessions")
    expect(page.get_by_role("heading", name=re.compile(r"\(this device\)$"))).to_be_visible()
    assert_accessible(page)
    assert_fits(page, NARROWEST, DESKTOP)
    page.goto(live_server.url + "/")

    # When they sign out from the header
    page.get_by_role("button", name="Sign out").click()

    # Then they are back at the sign-in page, and the home page asks them to sign in again
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    # When they sign in again, their password is followed by a code from their app
    page.set_viewport_size(DESKTOP)
    sign_in_with_password(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    assert_accessible(page)
    page.get_by_label("Security code").fill(code_now(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Breast care team")

    # When they open their team's worklist from the header
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Worklist").click()

    # Then the counts come first and the urgent item is at the top
    expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")
    expect(page.get_by_role("heading", name=f"{open_items} open items")).to_be_visible()
    first_row = page.locator("tbody tr").first
    expect(first_row).to_contain_text(urgent_patient.full_name)
    expect(first_row).to_contain_text("Urgent")
    assert_accessible(page)
    assert_fits(page, NARROWEST, DESKTOP)

    # When they open the urgent patient's record
    first_row.get_by_role("link", name=urgent_patient.full_name, exact=True).click()

    # Then they see the record, and the access log says who opened it
    expect(page.get_by_role("heading", level=1)).to_have_text(urgent_patient.full_name)
    expect(page.get_by_text("Registered GP practice")).to_be_visible()
    assert_accessible(page)
    assert_fits(page, NARROWEST, DESKTOP)
    opened = AuditEvent.objects.filter(
        action=Action.VIEW, patient=urgent_patient, object_type="people.patient", actor__email=CNS_EMAIL
    )
    assert opened.exists()

    # When they try the address of another team's patient
    response = page.goto(f"{live_server.url}/patients/{other_teams_patient.pk}/")

    # Then the page is not found, and nothing about that patient was shown or logged as seen
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert other_teams_patient.full_name not in page.content()
    # (the demo's own records about them, made by their practice when seeded, are not this user's)
    assert not AuditEvent.objects.filter(patient=other_teams_patient, actor__email=CNS_EMAIL).exists()
    assert_accessible(page)
    assert csp_violations == []


def test_new_staff_can_leave_the_set_up_page_and_come_back(live_server, page, cast, assert_accessible):
    # Given a member of staff with no authenticator app yet
    new = UserFactory(email="new.cns@example.com")
    RoleAssignmentFactory(user=new, role=Role.CNS, organisation=cast.trust, team=cast.team_a)

    # When they sign in, they are asked to set one up; they cannot now, so they sign out
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(new.email)
    page.get_by_label("Password").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    page.get_by_role("button", name="Sign out").click()

    # Then they are signed out, and the portal asks them to sign in again
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_the_axe_check_fails_on_an_inaccessible_page(page, assert_accessible):
    # The harness itself can fail: an image without alt text and an unlabelled input.
    page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_every_loaded_page_is_checked_for_shown_markup_and_by_axe(page, every_page_checked):
    # The every-page check can fail too: a page showing its own markup, with no <h1> or landmarks.
    shown = '<!DOCTYPE html><html lang="en"><title>T</title><p>Remove&lt;span class="x"&gt; it&lt;/span&gt;</p>'
    page.route("http://portal.test/", lambda route: route.fulfill(body=shown, content_type="text/html"))
    page.goto("http://portal.test/")
    for _ in range(100):  # the load handler runs while Playwright waits: give it up to 10 s
        if every_page_checked.checked or every_page_checked.missed:
            break
        page.wait_for_timeout(100)
    problems = list(every_page_checked.problems)
    every_page_checked.problems.clear()  # seen here, so the fixture does not fail this test for them
    assert any("shows markup as text: ['&lt;/', '&lt;span']" in p for p in problems), problems
    assert any(p.startswith("axe on http://portal.test/") and "page-has-heading-one" in p for p in problems), problems
    assert every_page_checked.checked == ["http://portal.test/"]
