"""The worklist: raising is idempotent, items are scoped, and the page filters with counts first."""

import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from portal.worklist.models import Kind, Priority, Status, WorkItem
from portal.worklist.services import change_status, raise_item
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def item_for(cast, n, **kw):
    fields = {
        "kind": Kind.HNA_SUBMITTED,
        "patient": cast.patient,
        "team": cast.team_a,
        "source_type": "hna.assessment",
        "source_id": str(n),
        "title": f"Review HNA {n}",
    }
    return raise_item(**{**fields, **kw})


def test_raising_the_same_item_twice_does_not_duplicate_it(cast):
    first = item_for(cast, 1)
    second = item_for(cast, 1)
    assert first.pk == second.pk
    assert WorkItem.objects.count() == 1
    assert first.status_changes.count() == 1


def test_a_closed_item_can_be_raised_again(cast):
    first = item_for(cast, 1)
    change_status(first, Status.DONE, actor=cast.cns_a)
    again = item_for(cast, 1)
    assert again.pk != first.pk and again.status == Status.OPEN


def test_transitions_are_declared_once(cast):
    item = change_status(item_for(cast, 1), Status.DONE, actor=cast.cns_a)
    with pytest.raises(ValidationError, match="A done item cannot become open"):
        change_status(item, Status.OPEN, actor=cast.cns_a)
    history = list(item.status_changes.values_list("from_status", "to_status", "created_by"))
    assert history == [("", "open", None), ("open", "done", cast.cns_a.pk)]


@pytest.mark.django_db(transaction=True)
def test_two_workers_raising_at_once_make_one_item():
    from tests.conftest import Cast

    cast = Cast()
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait()
            item_for(cast, 7)
        except Exception as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert WorkItem.objects.filter(source_id="7").count() == 1


def test_items_are_scoped_to_team_and_practice(cast):
    item_for(cast, 1)
    item_for(cast, 2, team=None, practice=cast.practice_a, kind=Kind.CCR_DUE)
    assert {i.source_id for i in WorkItem.objects.visible_to(cast.cns_a)} == {"1"}
    assert {i.source_id for i in WorkItem.objects.visible_to(cast.gp_a)} == {"2"}
    assert not WorkItem.objects.visible_to(cast.cns_b).exists()
    assert not WorkItem.objects.visible_to(cast.gp_b).exists()
    assert not WorkItem.objects.visible_to(cast.admin).exists()


def test_worklist_page_shows_counts_first_and_filters(client, cast):
    other = PatientFactory(care_teams=[cast.team_a])
    item_for(cast, 1, priority=Priority.URGENT)
    item_for(cast, 2, patient=other, kind=Kind.REENTRY_REQUEST)
    assigned = item_for(cast, 3)
    assigned.assignee = cast.cns_a
    assigned.save()
    client.force_login(cast.cns_a)
    html = client.get("/worklist/").content.decode()
    assert "3 open items" in html
    assert html.index("3 open items") < html.index("Review HNA 1")  # counts before the list
    assert "Urgent: 1" in html and "Request for help: 1" in html
    assert html.index("Review HNA 1") < html.index("Review HNA 2")  # urgent first

    by_kind = client.get("/worklist/", {"kind": Kind.REENTRY_REQUEST}).content.decode()
    assert "Review HNA 2" in by_kind and "Review HNA 1" not in by_kind
    mine = client.get("/worklist/", {"assignee": "me"}).content.decode()
    assert re.findall(r"Review HNA \d", mine) == ["Review HNA 3"]
    urgent = client.get("/worklist/", {"priority": "1"}).content.decode()
    assert re.findall(r"Review HNA \d", urgent) == ["Review HNA 1"]


def test_another_teams_worklist_is_empty(client, cast):
    item_for(cast, 1)
    client.force_login(cast.cns_b)
    html = client.get("/worklist/").content.decode()
    assert "Review HNA 1" not in html and "0 open items" in html


def test_raising_many_at_once_makes_only_the_new_ones_each_with_its_history_and_audit(cast):
    from portal.audit.models import AuditEvent
    from portal.worklist.services import raise_items

    already = item_for(cast, 1)
    spec = {"kind": Kind.HNA_SUBMITTED, "patient": cast.patient, "team": cast.team_a, "source_type": "hna.assessment"}
    made = raise_items(
        [{**spec, "source_id": n, "title": f"Review HNA {n}"} for n in (1, 2, 3)], system_actor="test-sweep"
    )
    assert sorted(item.source_id for item in made) == ["2", "3"]
    assert WorkItem.objects.count() == 3 and WorkItem.objects.get(source_id="1").pk == already.pk
    for item in made:
        assert list(item.status_changes.values_list("to_status", flat=True)) == ["open"]
    events = AuditEvent.objects.filter(object_id__in=[str(item.pk) for item in made], action="create")
    assert sorted(events.values_list("actor_label", flat=True)) == ["system:test-sweep"] * 2


def test_closing_many_at_once_closes_only_open_items_of_those_sources(cast):
    from portal.worklist.services import close_for_sources

    for n in (1, 2, 3):
        item_for(cast, n)
    change_status(WorkItem.objects.get(source_id="3"), Status.DONE, actor=cast.cns_a)
    closed = close_for_sources(
        kind=Kind.HNA_SUBMITTED, source_type="hna.assessment", source_ids=[1, 3, 4], system_actor="test-sweep"
    )
    assert closed == 1
    statuses = dict(WorkItem.objects.values_list("source_id", "status"))
    assert statuses == {"1": "done", "2": "open", "3": "done"}
    one = WorkItem.objects.get(source_id="1")
    assert list(one.status_changes.order_by("created_at").values_list("to_status", flat=True)) == ["open", "done"]
