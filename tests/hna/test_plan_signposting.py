"""A care plan item's signposting picks from the wellbeing resource library and services directory
(issue 13 item 1): the form offers the live entries whose topics answer the concern, a pick is added
to the signposting text with its link or contact (free text kept), once, and shows on the plan; a
retired entry is no longer offered."""

import pytest
from django.urls import reverse

from hna.models import CarePlanItem
from tests.hna.test_care_plans import item_post, start
from wellbeing.models import Topic
from wellbeing.services import library
from wellbeing.topics_v1 import ensure_loaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def library_entries(cast):
    ensure_loaded()
    fatigue, money = Topic.objects.get(slug="fatigue"), Topic.objects.get(slug="money")
    leaflet = library.add_resource(
        actor=cast.admin, title="Living with fatigue", summary="Saving energy", url="https://example.org/fatigue",
        formats=["web"], topics=[fatigue],
    )  # fmt: skip
    benefits = library.add_resource(
        actor=cast.admin, title="Benefits guide", summary="Money help", url="https://example.org/money",
        formats=["pdf"], topics=[money],
    )  # fmt: skip
    service = library.add_service(
        actor=cast.admin, name="Energy clinic", category="activity", offers="Fatigue classes",
        area="Riverside", phone="0300 000 0001", how_referred="self", topics=[fatigue],
    )  # fmt: skip
    return leaflet, benefits, service


def test_the_form_offers_entries_for_the_concern_and_a_pick_is_added_to_the_text(client, cast, library_entries):
    leaflet, benefits, service = library_entries
    plan = start(cast, {"physical-fatigue": 8})
    item = plan.items.get(concern_item__code="physical-fatigue")
    url = reverse("hna:plan_item", kwargs={"plan_id": plan.pk, "item_id": item.pk})
    client.force_login(cast.cns_a)
    form = client.get(url).content.decode()
    assert "Living with fatigue" in form and "Energy clinic" in form and "Benefits guide" not in form
    data = item_post(
        plan, signposting="Our own leaflet on rest", signposted=[f"resource:{leaflet.pk}", f"service:{service.pk}"]
    )
    assert client.post(url, data).status_code == 302
    saved = CarePlanItem.objects.get(pk=item.pk).signposting
    assert saved.splitlines() == [
        "Our own leaflet on rest",
        "Living with fatigue: https://example.org/fatigue",
        "Energy clinic: 0300 000 0001",
    ]
    plan.refresh_from_db()
    again = item_post(plan, signposting=saved, signposted=[f"resource:{leaflet.pk}"])
    client.post(url, again)
    assert CarePlanItem.objects.get(pk=item.pk).signposting == saved  # added once
    assert "Living with fatigue: https://example.org/fatigue" in client.get(f"/hna/plans/{plan.pk}/").content.decode()


def test_a_retired_entry_is_not_offered_and_a_made_up_value_is_refused(client, cast, library_entries):
    leaflet, _, service = library_entries
    library.retire_resource(leaflet, actor=cast.admin)
    plan = start(cast, {"physical-fatigue": 8})
    item = plan.items.get(concern_item__code="physical-fatigue")
    url = reverse("hna:plan_item", kwargs={"plan_id": plan.pk, "item_id": item.pk})
    client.force_login(cast.cns_a)
    assert "Living with fatigue" not in client.get(url).content.decode()
    refused = client.post(url, item_post(plan, signposted=[f"resource:{leaflet.pk}"]))
    assert refused.status_code != 302 and "Select" in refused.content.decode()
    assert CarePlanItem.objects.get(pk=item.pk).signposting == ""


def test_a_concern_no_topic_answers_offers_the_whole_library(client, cast, library_entries):
    plan = start(cast, {"spiritual-faith": 4})
    item = plan.items.get()
    Topic.objects.filter(slug="spiritual").update(concern_codes=[])
    url = reverse("hna:plan_item", kwargs={"plan_id": plan.pk, "item_id": item.pk})
    client.force_login(cast.cns_a)
    form = client.get(url).content.decode()
    assert "Living with fatigue" in form and "Benefits guide" in form and "Energy clinic" in form
