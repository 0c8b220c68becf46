"""The NHS.UK pagination shared by list pages (portal.ui.presenters.pagination): numbered links that
keep the page's filters, long runs elided, nothing for a single page."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.paginator import Paginator
from django.http import QueryDict

from portal.ui.presenters import pagination
from tests.factories import PatientFactory

PATIENT_LINK = re.compile(r'href="/patients/[0-9a-f-]{36}/"')


def params_for(number, count=1000, per_page=100, query="user=a%40example.com&nhs_number=9434765919&page=1"):
    page = Paginator(range(count), per_page).get_page(number)
    return pagination(page, QueryDict(query))


def test_a_single_page_has_no_links():
    assert params_for(1, count=100) is None
    assert params_for(1, count=0) is None


def test_links_keep_the_filters_and_replace_the_page():
    params = params_for(2)
    hrefs = [item["href"] for item in params["items"] if "href" in item]
    hrefs += [params["previous"]["href"], params["next"]["href"]]
    for href in hrefs:
        query = parse_qs(urlsplit(href).query)
        assert query["user"] == ["a@example.com"] and query["nhs_number"] == ["9434765919"], href
        assert len(query["page"]) == 1, href
    assert parse_qs(urlsplit(params["previous"]["href"]).query)["page"] == ["1"]
    assert parse_qs(urlsplit(params["next"]["href"]).query)["page"] == ["3"]


def test_long_runs_are_elided_around_the_current_page():
    params = params_for(5)
    shown = [item.get("number", "…") for item in params["items"]]
    assert shown == [1, "…", 4, 5, 6, "…", 10]
    assert [item["number"] for item in params["items"] if item.get("current")] == [5]


def test_first_and_last_pages_have_no_previous_or_next():
    assert "previous" not in params_for(1) and "next" in params_for(1)
    assert "next" not in params_for(10) and "previous" in params_for(10)


@pytest.mark.django_db
def test_the_patient_list_pages_keep_the_search(client, cast):
    PatientFactory.create_batch(55, care_teams=[cast.team_a], family_name="Pagewell")
    client.force_login(cast.cns_a)
    html = client.get("/patients/", {"q": "Pagewell"}).content.decode()
    assert "55 patients" in html
    assert 'href="?q=Pagewell&amp;page=2"' in html
    assert len(PATIENT_LINK.findall(html)) == 50
    second = client.get("/patients/", {"q": "Pagewell", "page": 2}).content.decode()
    assert len(PATIENT_LINK.findall(second)) == 5
