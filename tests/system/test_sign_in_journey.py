"""Journey: a demo CNS signs in, lands on their team page, and signs out."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from tests.system.conftest import NARROWEST

pytestmark = pytest.mark.django_db(transaction=True)
CNS_EMAIL = "cns.breast@demo.example.nhs.uk"


def test_demo_cns_signs_in_lands_on_team_page_and_signs_out(live_server, page, assert_accessible, csp_violations):
    # Given the demo data, as make run loads it
    call_command("seed_demo")

    # When the CNS opens the portal, they are asked to sign in
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)

    # And a wrong password gets the generic message, in an error summary
    page.get_by_label("Email address").fill(CNS_EMAIL)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("not correct")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)

    # When they sign in with the demo password
    page.get_by_label("Email address").fill(CNS_EMAIL)
    page.get_by_label("Password").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Then they land on their team's page, with their name and role in the header
    expect(page.get_by_role("heading", level=1)).to_have_text("Breast care team")
    header = page.get_by_role("banner")
    expect(header).to_contain_text("Aisha Khan")
    expect(header).to_contain_text("Clinical nurse specialist, Breast care team")
    # NHS.UK frontend's JavaScript ran: the nonced inline script was not blocked by the CSP
    expect(page.locator("body")).to_have_class(re.compile(r"nhsuk-frontend-supported"))
    assert_accessible(page)

    # And the page is usable at 320 px wide: nothing scrolls sideways
    page.set_viewport_size(NARROWEST)
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROWEST["width"]
    assert_accessible(page)

    # When they sign out from the header
    page.get_by_role("button", name="Sign out").click()

    # Then they are back at the sign-in page, and the home page asks them to sign in again
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert csp_violations == []


def test_the_axe_check_fails_on_an_inaccessible_page(page, assert_accessible):
    # The harness itself can fail: an image without alt text and an unlabelled input.
    page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
