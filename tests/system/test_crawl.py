"""Every page a demo user can reach by following links, in Chromium (issue 10): each answers 200,
shows no markup as text and passes axe. The demo data (seed_demo) puts records at every stage, so
the crawl opens the pages a newcomer would. Pages of one shape (the same URL with another id) are
opened once per account: axe checks a template, not each record."""

import re
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from portal.access.mfa import is_staff_user
from portal.people.demo import sign_ins as demo_sign_ins
from tests.conftest import give_totp
from tests.system.conftest import DESKTOP, ESCAPED_MARKUP, SerialAxe

pytestmark = pytest.mark.django_db(transaction=True)

# Not pages to look at: they act (sign out, delete a session), download, or are machine channels.
SKIP = re.compile(r"/logout|/sign-out|/accounts/logout|/admin/|/api/|/fhir/|/static/|\.pdf$|/pdf/|\.(csv|ics)$|/export")
SHAPE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+")
MOST_PAGES = 80  # per account: a bound, so a link loop cannot run the suite long


def shape(url: str) -> str:
    parts = urlsplit(url)
    return SHAPE.sub("#", parts.path) + ("?" + SHAPE.sub("#", parts.query) if parts.query else "")


def signed_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=DESKTOP, watched=False)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]  # fmt: skip
    )
    return context


def crawl(context, start):
    """Pages in breadth-first order from `start`: (url, problems) for each page opened."""
    page = context.new_page()
    axe = SerialAxe()
    queue, seen, opened, problems = [start], {shape(start)}, 0, []
    while queue and opened < MOST_PAGES:
        url = queue.pop(0)
        response = page.goto(url)
        opened += 1
        if response.status != 200:
            problems.append(f"{url} answered {response.status}")
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        shown = sorted(set(ESCAPED_MARKUP.findall(response.text())))
        if shown:
            problems.append(f"{url} shows markup as text: {shown}")
        results = axe.run(page)
        if results.violations_count:
            problems.append(f"axe on {url}:\n{results.generate_report()}")
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            link = urldefrag(urljoin(page.url, href)).url
            if not link.startswith(start) or SKIP.search(urlsplit(link).path) or shape(link) in seen:
                continue
            seen.add(shape(link))
            queue.append(link)
    page.close()
    return opened, problems


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def one_account_per_role() -> list[str]:
    """The first demo account of each role: a second account of a role sees the same pages."""
    by_role = {}
    for email, who in demo_sign_ins():
        by_role.setdefault(who.split(",")[0], email)
    return list(by_role.values())


@pytest.mark.parametrize("email", one_account_per_role())
def test_every_page_a_demo_user_reaches_is_clean(live_server, browser, demo, email):
    user = get_user_model().objects.get(email=email)
    if is_staff_user(user):
        give_totp(user)  # staff must have an authenticator app before any page (ADR 0007)
    context = signed_in(browser, live_server, user)
    opened, problems = crawl(context, live_server.url + "/")
    context.close()
    assert not problems, "\n\n".join(problems)
    assert opened >= 3, f"{email} reached only {opened} pages"
