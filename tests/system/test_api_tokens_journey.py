"""Journey: a nurse finds "Your API tokens" in the header, sees the token issued for their trust's
system, and revokes it; the page passes axe and fits 320 px. The same works with JavaScript off
(axe needs JavaScript, so that run only follows the steps)."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.api.conftest import PATIENTS, Api, issue_token
from tests.system.conftest import DESKTOP, NARROWEST, assert_fits
from tests.system.test_hna_journey import heading, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_nurse_revokes_a_token_from_the_header_link(live_server, browser, cast, assert_accessible, javascript):
    def check(page):
        if javascript:
            assert_accessible(page)

    token, raw = issue_token(cast.cns_a, client_name="Trust EPR integration")
    page = browser.new_context(viewport=DESKTOP, java_script_enabled=javascript).new_page()

    # Given the CNS of team A, signed in
    sign_in(page, live_server, cast, cast.cns_a, check)

    # When they follow "Your API tokens" in the header
    page.get_by_role("banner").get_by_role("link", name="Your API tokens").click()

    # Then they see their token, and the page is accessible and fits a 320 px screen
    expect(heading(page)).to_have_text("Your API tokens")
    expect(page.get_by_role("heading", name="Trust EPR integration")).to_be_visible()
    expect(page.locator("code")).to_have_text(f"{token.prefix}…")
    check(page)
    if javascript:
        assert_fits(page, NARROWEST, DESKTOP)

    # When they revoke it
    page.get_by_role("button", name="Revoke for Trust EPR integration").click()

    # Then the page says so, the token shows as revoked, and it no longer works
    expect(page.get_by_role("status")).to_have_text(
        "You have revoked the API token for Trust EPR integration. It no longer works."
    )
    expect(page.locator(".nhsuk-tag")).to_have_text("Revoked")
    expect(page.get_by_role("button", name="Revoke for Trust EPR integration")).to_have_count(0)
    check(page)
    assert Api(Client(), raw).get(PATIENTS).status_code == 401
