"""Pages start their headings at the h1 and go down one level at a time (issue 10 follow-up): a
superseded plan or summary put its "Superseded" callout (an h3) above the page's h1."""

import re

import pytest
from django.urls import reverse

from hna.services import care_plans
from tests.hna.test_care_plans import locked_plan
from tests.treatment_summaries.factories import make_version

pytestmark = pytest.mark.django_db


def headings(html: str) -> list[int]:
    main = html[html.index("<main") :]
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", main)]


def assert_in_order(html: str) -> None:
    levels = headings(html)
    assert levels and levels[0] == 1, levels
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels


def test_a_superseded_plan_page(client, cast):
    v1 = locked_plan(cast)
    care_plans.unlock_to_amend(actor=cast.cns_a, plan=v1)
    client.force_login(cast.cns_a)
    html = client.get(reverse("hna:plan", kwargs={"plan_id": v1.pk})).content.decode()
    assert "Superseded" in html
    assert_in_order(html)


def test_superseded_summary_pages_for_the_team_and_the_practice(client, cast):
    first = make_version(cast, "sent")
    make_version(cast, "sent", amend=first, diagnosis_text="Amended diagnosis")
    client.force_login(cast.cns_a)
    url = reverse("treatment_summaries:version", kwargs={"summary_id": first.summary_id, "version_id": first.pk})
    html = client.get(url).content.decode()
    assert "Superseded" in html
    assert_in_order(html)
    client.force_login(cast.gp_a)
    delivery = first.practice_deliveries.get()
    url = reverse("treatment_summaries:inbox_delivery", kwargs={"delivery_id": delivery.pk})
    html = client.get(url).content.decode()
    assert "Superseded" in html
    assert_in_order(html)
