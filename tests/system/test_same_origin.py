"""Journey: no page waits on another host (ADR 0024). Chromium records every request a few pages
make: the sign-in page (allauth), a member of staff's pages, and a patient's pages, signed out
and signed in. Every one is to the portal's own origin; a request anywhere else is recorded and
refused at once, so a page that tried would fail here rather than wait."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.totp import code_now

pytestmark = pytest.mark.django_db(transaction=True)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def requests_made(page, live_server):
    """Every URL the page asks for; anything not on the live server's origin is aborted."""
    urls: list[str] = []

    def handle(route):
        urls.append(route.request.url)
        if origin(route.request.url) == live_server.url:
            route.continue_()
        else:
            route.abort()

    page.context.route("**/*", handle)
    return urls


def visit(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    # Web fonts start loading when text that uses them is laid out; wait until all have settled.
    page.evaluate("document.fonts.ready.then(() => document.fonts.size)")


def sign_in(page, live_server, email: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("cancer-care-demo")
    page.get_by_role("button", name="Sign in").click()


def test_pages_load_everything_from_the_portals_own_origin(live_server, page, cast, requests_made):
    # Signed out: the sign-in page and the patient's passcode page
    visit(page, live_server.url + "/accounts/login/")
    visit(page, live_server.url + "/hna/start/")

    # A member of staff: their home page and a patient's record
    sign_in(page, live_server, cast.cns_a.email)
    page.get_by_label("Security code").fill(code_now(cast.totp_secrets[cast.cns_a.pk]))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("banner")).to_contain_text(cast.cns_a.get_full_name())
    visit(page, live_server.url + "/")
    visit(page, f"{live_server.url}/patients/{cast.patient.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(cast.patient.full_name)
    page.get_by_role("button", name="Sign out").click()

    # A patient with an account: their own home page
    sign_in(page, live_server, cast.patient_user.email)
    expect(page.get_by_role("heading", level=1)).to_contain_text("My care")
    visit(page, live_server.url + "/")

    stylesheets = [url for url in requests_made if url.endswith(".css")]
    assert any("/static/nhsuk/nhsuk-frontend" in url for url in stylesheets), requests_made
    assert [url for url in requests_made if origin(url) != live_server.url] == []
