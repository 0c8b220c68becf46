"""Browser journeys: Playwright driving Debian's Chromium (Playwright cannot download its own
browser here) against pytest-django's live server, with an axe check on every page."""

import re
import shutil

import pytest
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
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


# Markup shown as text, as it stands in the page's source: a visible `<span` is `&lt;span` there,
# a visible `&lt;` was escaped twice. Typed `<` and `&` are legitimate text; these never are.
ESCAPED_MARKUP = re.compile(r"&lt;(?:span|div|a |p>|strong|br|/)|&amp;(?:lt|gt|amp|quot|#\d)")


class SerialAxe(Axe):
    """axe refuses a second run on a page while one is going ("Axe is already running"), and a
    journey's own check can start while the every-page check is running. Runs are queued in the
    page instead: loading axe and joining the queue happen in one evaluate, which JavaScript runs
    to its first await without interruption."""

    QUEUED_RUN = """([source, options]) => {
        if (!window.axe) (0, eval)(source);
        // A load handler can run late, when the next page is still being parsed: axe then waits
        // for that document to finish loading rather than judge half of it.
        const loaded = () => document.readyState === "complete" ? Promise.resolve()
            : new Promise(done => window.addEventListener("load", done, {once: true}));
        const run = () => loaded().then(() => axe.run(document, options));
        window.__axeQueue = (window.__axeQueue || Promise.resolve()).then(run, run);
        return window.__axeQueue;
    }"""

    def run(self, page, context=None, options=None):
        response = page.evaluate(self.QUEUED_RUN, [self.axe_script, options or {"resultTypes": ["violations"]}])
        return AxeResults(response)


class EveryPageCheck:
    """Checks every page a journey loads, not only those it stops to check (issue 10): each HTML
    document's source must show no markup as text, and axe must find no violation once it has
    loaded. A page the journey leaves before axe could run on it is listed as missed (the journeys'
    own checks cover those), never counted as passed."""

    def __init__(self):
        self.axe = SerialAxe()
        self.problems: list[str] = []
        self.checked: list[str] = []
        self.missed: list[str] = []

    def watch(self, page):
        page.on("response", self._on_response)
        page.on("load", self._on_load)

    def _on_response(self, response):
        if response.request.resource_type != "document" or "text/html" not in response.headers.get("content-type", ""):
            return
        try:
            shown = sorted(set(ESCAPED_MARKUP.findall(response.text())))
        except PlaywrightError:  # a redirect has no body; its target is checked in turn
            return
        if shown:
            self.problems.append(f"{response.url} shows markup as text: {shown}")

    def _on_load(self, page):
        url = page.url
        if not url.startswith("http"):  # a document a test wrote itself (set_content), not a portal page
            return
        try:
            results = self.axe.run(page)
        except PlaywrightError:  # the journey moved on (navigated or closed) first
            self.missed.append(url)
            return
        url = page.url  # the document axe waited for, if the journey had moved on meanwhile
        self.checked.append(url)
        if results.violations_count:
            self.problems.append(f"axe on {url}:\n{results.generate_report()}")


class CheckedBrowser:
    """The browser, with every page of every context it makes watched by an EveryPageCheck."""

    def __init__(self, browser):
        self._browser = browser
        self.check = EveryPageCheck()

    def new_context(self, *, watched=True, **options):
        """`watched=False` for a test that runs the same checks itself (the crawl)."""
        context = self._browser.new_context(**options)
        if watched:
            context.on("page", self.check.watch)
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield CheckedBrowser(browser)
        browser.close()


@pytest.fixture(autouse=True)
def every_page_checked(browser):
    """Fails a journey if any page it loaded showed markup as text or had an axe violation."""
    browser.check = EveryPageCheck()
    yield browser.check
    check = browser.check
    assert not check.problems, "\n\n".join(check.problems)


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
        self.axe = SerialAxe()
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
