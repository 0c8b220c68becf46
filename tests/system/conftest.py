"""Browser journeys: Playwright driving Debian's Chromium (Playwright cannot download its own
browser here) against pytest-django's live server, with an axe check on every page."""

import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
NARROWEST = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/system/" in str(item.path):
            item.add_marker(pytest.mark.system)


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


class AccessibilityCheck:
    """Runs axe on the page as it stands and fails with axe's own report on any violation."""

    def __init__(self):
        self.axe = Axe()
        self.pages_checked: list[str] = []

    def __call__(self, page):
        # A click that navigates returns before the new page has loaded; axe on a half-loaded
        # document reports a missing <main> and <h1> (seen in CI), so wait for it first.
        page.wait_for_load_state("load")
        results = self.axe.run(page)
        self.pages_checked.append(page.url)
        assert results.violations_count == 0, f"axe on {page.url}:\n{results.generate_report()}"


@pytest.fixture
def assert_accessible():
    return AccessibilityCheck()


@pytest.fixture
def csp_violations(page):
    """Console messages about Content Security Policy: a blocked script is a broken page."""
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text) if "Content Security Policy" in msg.text else None)
    return messages


WIDER_THAN_VIEWPORT = """width => [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 0.5)
    .slice(-5)
    .map(el => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`)"""


def assert_fits(page, viewport, back_to):
    """Nothing scrolls sideways at this width (WCAG reflow at 320 px); then back to `back_to`.
    On failure, names the innermost elements that stick out."""
    page.set_viewport_size(viewport)
    # NHS.UK frontend re-lays the header navigation on resize (debounced): give it a moment, as a
    # phone that loads the page at this width never shows the in-between state.
    try:
        page.wait_for_function("w => document.documentElement.scrollWidth <= w", arg=viewport["width"], timeout=2000)
    except PlaywrightTimeout:
        pass
    width = page.evaluate("document.documentElement.scrollWidth")
    offenders = page.evaluate(WIDER_THAN_VIEWPORT, viewport["width"]) if width > viewport["width"] else []
    assert width <= viewport["width"], f"{page.url} is {width} px wide: {offenders}"
    page.set_viewport_size(back_to)
