"""A list page's access log rows (issue 16 item 3, ADR 0057): one INSERT holding a row for every
record shown, written while the request runs and committed before the page is sent (never queued),
and still hash-chained so that `audit_verify` passes."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.audit.models import Action, AuditEvent
from portal.worklist.models import WorkItem
from tests.audit.connections import connect_as
from tests.factories import PatientFactory
from tests.treatment_summaries.factories import delivered
from tests.treatment_summaries.test_inbox import INBOX
from tests.worklist.test_query_counts import raise_items

AUDIT_INSERT = 'INSERT INTO "audit_auditevent"'
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def audit_statements(client, url):
    """The access log INSERTs one GET of `url` ran, as the SQL sent (parameters filled in)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries if AUDIT_INSERT in q["sql"]]


def verify_chain() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)  # raises CommandError naming the first broken row
    return out.getvalue()


@pytest.mark.django_db
def test_the_worklist_writes_one_insert_with_a_row_for_every_item(client, cast):
    raise_items(cast, 0, 7)
    client.force_login(cast.cns_a)
    client.get("/worklist/")
    items = {str(pk) for pk in WorkItem.objects.filter(team=cast.team_a).values_list("pk", flat=True)}
    assert len(items) == 7

    [insert] = audit_statements(client, "/worklist/")
    assert items <= set(UUID.findall(insert))  # every item shown is in that one statement
    views = AuditEvent.objects.filter(action=Action.VIEW, actor=cast.cns_a, object_type="worklist.workitem")
    latest = list(views.order_by("-seq")[:7])
    assert {event.object_id for event in latest} == items
    first = min(event.seq for event in latest)
    assert sorted(event.seq for event in latest) == list(range(first, first + 7))  # chained one after another
    assert "Audit log hash chain intact" in verify_chain()


@pytest.mark.django_db
def test_the_gp_inbox_writes_one_insert_with_a_row_for_every_summary(client, cast):
    deliveries = [
        delivered(cast, patient=PatientFactory(registered_practice=cast.practice_a, care_teams=[cast.team_a]))
        for _ in range(4)
    ]
    client.force_login(cast.gp_a)
    client.get(INBOX)

    [insert] = audit_statements(client, INBOX)
    assert {str(d.pk) for d in deliveries} <= set(UUID.findall(insert))
    assert {str(d.version.summary.patient_id) for d in deliveries} <= set(UUID.findall(insert))
    views = AuditEvent.objects.filter(
        action=Action.VIEW, actor=cast.gp_a, object_type="treatment_summaries.practicedelivery"
    )
    assert views.count() == 2 * len(deliveries)  # each of the two requests logged every row
    assert "Audit log hash chain intact" in verify_chain()


@pytest.mark.django_db(transaction=True)
def test_the_rows_are_committed_before_the_page_is_sent(client, cast):
    """Another connection sees them as soon as the response is back: nothing waits for a queue or
    for the end of a longer transaction."""
    raise_items(cast, 0, 3)
    client.force_login(cast.cns_a)
    other = connect_as(connection.settings_dict["USER"], connection.settings_dict.get("PASSWORD"))
    try:

        def committed_views() -> int:
            with other.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM audit_auditevent WHERE action = 'view' AND actor_id = %s",
                    [str(cast.cns_a.pk)],
                )
                return cursor.fetchone()[0]

        before = committed_views()
        assert client.get("/worklist/").status_code == 200
        assert committed_views() - before == 3
    finally:
        other.close()
    assert "Audit log hash chain intact" in verify_chain()
