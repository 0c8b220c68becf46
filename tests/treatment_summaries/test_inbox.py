"""The GP inbox: practice staff see their own patients' summaries only, opening one marks it read
(every open audited), acknowledging records who and when, each GP action is answered done or not
applicable with a note, the hospital sees it all; everyone else gets 404 on every id URL."""

import re
from html import escape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.audit.models import Action, AuditEvent
from tests.factories import PatientFactory
from tests.treatment_summaries.factories import delivered, stand_in_pdf
from treatment_summaries.models import GPActionResponse
from treatment_summaries.services import inbox

pytestmark = pytest.mark.django_db
INBOX = "/treatment-summaries/inbox/"
ROW_LINK = re.compile(r'href="/treatment-summaries/inbox/[0-9a-f-]{36}/"')


def detail(delivery, suffix=""):
    return f"{INBOX}{delivery.pk}/{suffix}"


def action_url(delivery, action):
    return detail(delivery, f"actions/{action.pk}/")


def other_practice_delivery(cast):
    patient_b = PatientFactory(registered_practice=cast.practice_b, care_teams=[cast.team_b])
    return delivered(cast, patient=patient_b, team=cast.team_b)


# The list


def test_gp_sees_only_their_practice_patients(client, cast):
    mine = delivered(cast)
    theirs = other_practice_delivery(cast)
    client.force_login(cast.gp_a)
    page = client.get(INBOX).content.decode()
    assert escape(cast.patient.full_name) in page and escape(theirs.version.summary.patient.full_name) not in page
    assert "Team A (breast)" in page and detail(mine) in page and detail(theirs) not in page
    events = AuditEvent.objects.filter(action=Action.VIEW, actor=cast.gp_a)
    assert [(e.patient_id, e.object_id) for e in events] == [(cast.patient.pk, str(mine.pk))]
    client.force_login(cast.gp_b)
    page = client.get(INBOX).content.decode()
    assert detail(theirs) in page and detail(mine) not in page


@pytest.mark.parametrize("user", ["cns_a", "admin", "patient_user"])
def test_inbox_list_is_for_practice_staff(client, cast, user):
    client.force_login(getattr(cast, user))
    assert client.get(INBOX).status_code == 404


def test_counts_filter_amended_tag_and_newest_first(client, cast):
    first = delivered(cast)
    amended = delivered(cast, after=first.version)  # sending it supersedes the first
    acknowledged = delivered(cast)
    inbox.acknowledge(actor=cast.gp_a, delivery=acknowledged)
    client.force_login(cast.gp_a)
    page = client.get(INBOX).content.decode()
    assert "All (3)" in page and "New (2)" in page and "Read (0)" in page and "Acknowledged (1)" in page
    assert page.index(detail(acknowledged)) < page.index(detail(amended)) < page.index(detail(first))
    assert page.count(">Amended<") == 1 and page.count(">Superseded<") == 1
    page = client.get(INBOX + "?state=acknowledged").content.decode()
    assert detail(acknowledged) in page and detail(amended) not in page
    page = client.get(INBOX + "?state=new").content.decode()
    assert detail(acknowledged) not in page and detail(amended) in page and detail(first) in page


def test_inbox_queries_do_not_grow_with_deliveries(client, cast):
    def add(n):
        for _ in range(n):
            patient = PatientFactory(registered_practice=cast.practice_a, care_teams=[cast.team_a])
            delivered(cast, patient=patient)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(INBOX)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(ROW_LINK.findall(response.content.decode()))

    add(5)
    client.force_login(cast.gp_a)
    client.get(INBOX)
    few, shown = count()
    assert shown == 5
    add(45)
    many, shown = count()
    assert shown == 50 and many == few
    add(10)  # a second page
    assert count() == (few, 50)


# Opening a summary


def test_opening_marks_read_once_and_audits_every_open(client, cast):
    delivery = delivered(cast, red_flags="New lump <script>alert(1)</script>")
    client.force_login(cast.gp_a)
    page = client.get(detail(delivery)).content.decode()
    assert "Breast cancer" in page and "PSA every 6 months" in page and detail(delivery, "pdf/") in page
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    delivery.refresh_from_db()
    first = delivery.first_read_at
    assert delivery.state == "read" and delivery.first_read_by == cast.gp_a
    client.get(detail(delivery))
    delivery.refresh_from_db()
    assert delivery.first_read_at == first
    opens = AuditEvent.objects.filter(action=Action.VIEW, actor=cast.gp_a, object_id=str(delivery.pk))
    assert opens.count() == 2 and {e.patient_id for e in opens} == {cast.patient.pk}


def test_each_gp_action_is_listed_once_with_its_answer(client, cast):
    """Issue 10: the actions were shown in their own section and again in the summary below."""
    delivery = delivered(cast, actions=("Prescribe letrozole 2.5 mg daily", "Check bone health"))
    client.force_login(cast.gp_a)
    page = client.get(detail(delivery)).content.decode()
    for action in ("Prescribe letrozole 2.5 mg daily", "Check bone health"):
        # Its heading and its question ("Is … done?"), and not again in the summary below.
        assert re.findall(rf"<h3>\d\. {action}</h3>|Is “{action}” done\?|{action}", page) == [
            f"<h3>{1 + (action == 'Check bone health')}. {action}</h3>",
            f"Is “{action}” done?",
        ]
    assert len(re.findall(r">\s*Actions for the GP\s*<", page)) == 1
    assert "Ongoing management and surveillance plan" in page  # the rest of that group stays


def test_care_team_reads_without_marking_read_or_forms(client, cast):
    delivery = delivered(cast)
    client.force_login(cast.cns_a)
    page = client.get(detail(delivery)).content.decode()
    assert "Breast cancer" in page and "Acknowledge</button>" not in page and 'name="status"' not in page
    delivery.refresh_from_db()
    assert delivery.state == "new"
    assert AuditEvent.objects.filter(action=Action.VIEW, actor=cast.cns_a, object_id=str(delivery.pk)).exists()


def test_superseded_banner_links_to_newer_version(client, cast):
    old = delivered(cast)
    newer = delivered(cast, after=old.version)
    client.force_login(cast.gp_a)
    page = client.get(detail(old)).content.decode()
    assert "Superseded" in page and detail(newer) in page
    page = client.get(detail(newer)).content.decode()
    assert "Superseded" not in page and "Staging corrected" in page and "Amended" in page


def test_pdf_is_the_stored_bytes_and_audited_as_export(client, cast):
    delivery = delivered(cast)
    client.force_login(cast.gp_a)
    response = client.get(detail(delivery, "pdf/"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == stand_in_pdf(delivery.version)
    assert cast.patient.full_name not in response["Content-Disposition"]
    event = AuditEvent.objects.get(action=Action.EXPORT, actor=cast.gp_a)
    assert event.patient == cast.patient and event.object_id == str(delivery.version_id)


# Acknowledging


def test_acknowledge_records_who_and_when_once(client, cast):
    delivery = delivered(cast)
    client.force_login(cast.gp_a)
    response = client.post(detail(delivery, "acknowledge/"))
    assert response.status_code == 302 and response.url == detail(delivery)
    delivery.refresh_from_db()
    when = delivery.acknowledged_at
    assert delivery.state == "acknowledged" and delivery.acknowledged_by == cast.gp_a
    assert delivery.first_read_by == cast.gp_a
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(delivery.pk)).count() == 1
    client.post(detail(delivery, "acknowledge/"))
    delivery.refresh_from_db()
    assert delivery.acknowledged_at == when
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(delivery.pk)).count() == 1
    assert "Already acknowledged" in client.get(detail(delivery)).content.decode()


def test_acknowledge_service_refuses_anyone_but_that_practice(cast):
    delivery = delivered(cast)
    for user in (cast.gp_b, cast.cns_a, cast.patient_user):
        with pytest.raises(PermissionDenied):
            inbox.acknowledge(actor=user, delivery=delivery)
    with pytest.raises(PermissionDenied):
        inbox.mark_read(actor=cast.gp_b, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.state == "new"


# GP actions


def test_action_done_then_changed_latest_wins(client, cast):
    delivery = delivered(cast)
    action = delivery.version.gp_actions.first()
    client.force_login(cast.gp_a)
    assert client.post(action_url(delivery, action), {"status": "done", "note": ""}).status_code == 302
    client.post(action_url(delivery, action), {"status": "not_applicable", "note": "Under urology"})
    assert action.responses.count() == 2
    latest = inbox.latest_responses([action])[action.pk]
    assert latest.status == "not_applicable" and latest.note == "Under urology" and latest.created_by == cast.gp_a
    page = client.get(detail(delivery)).content.decode()
    assert "Not applicable" in page and "Under urology" in page


def test_not_applicable_needs_a_note(client, cast):
    delivery = delivered(cast)
    action = delivery.version.gp_actions.first()
    client.force_login(cast.gp_a)
    response = client.post(action_url(delivery, action), {"status": "not_applicable", "note": " "})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and "<title>Error: " in page
    assert "Enter why this action does not apply" in page and f'href="#action-{action.pk}-note"' in page
    assert not action.responses.exists()
    with pytest.raises(ValidationError) as exc:
        inbox.respond_to_action(actor=cast.gp_a, action=action, status="not_applicable", note="")
    assert exc.value.message_dict == {"note": ["Enter why this action does not apply"]}
    with pytest.raises(ValidationError):
        inbox.respond_to_action(actor=cast.gp_a, action=action, status="maybe")


def test_respond_service_refuses_actions_not_delivered_to_the_practice(cast):
    action = delivered(cast).version.gp_actions.first()
    for user in (cast.gp_b, cast.cns_a):
        with pytest.raises(PermissionDenied):
            inbox.respond_to_action(actor=user, action=action, status="done")
    assert not GPActionResponse.objects.exists()


def test_action_of_another_delivery_is_404(client, cast):
    mine, theirs = delivered(cast), other_practice_delivery(cast)
    client.force_login(cast.gp_a)
    other_action = theirs.version.gp_actions.first()
    assert client.post(action_url(mine, other_action), {"status": "done"}).status_code == 404
    assert client.post(action_url(theirs, other_action), {"status": "done"}).status_code == 404
    assert not GPActionResponse.objects.exists()


# Outsiders and the hospital's view


@pytest.mark.parametrize("outsider", ["gp_b", "cns_b", "admin", "patient_user"])
def test_outsiders_get_404_on_every_id_url(client, cast, outsider):
    delivery = delivered(cast)
    action = delivery.version.gp_actions.first()
    before = set(AuditEvent.objects.values_list("pk", flat=True))  # writing and sending it
    client.force_login(getattr(cast, outsider))
    assert client.get(detail(delivery)).status_code == 404
    assert client.get(detail(delivery, "pdf/")).status_code == 404
    assert client.post(detail(delivery, "acknowledge/")).status_code == 404
    assert client.post(action_url(delivery, action), {"status": "done"}).status_code == 404
    delivery.refresh_from_db()
    assert delivery.state == "new" and not action.responses.exists()
    requests = AuditEvent.objects.exclude(pk__in=before)
    assert not requests.filter(object_id__in=[str(delivery.pk), str(delivery.version_id)]).exists()


def test_delivery_status_for_the_hospital(cast):
    delivery = delivered(cast)
    first, second = delivery.version.gp_actions.all()
    inbox.mark_read(actor=cast.gp_a, delivery=delivery)
    inbox.acknowledge(actor=cast.gp_a, delivery=delivery)
    inbox.respond_to_action(actor=cast.gp_a, action=first, status="done")
    inbox.respond_to_action(actor=cast.gp_a, action=first, status="not_applicable", note="Done elsewhere")
    with CaptureQueriesContext(connection) as ctx:
        [status] = inbox.delivery_status(delivery.version)
    assert len(ctx.captured_queries) == 3
    assert status.practice == cast.practice_a and status.state == "acknowledged"
    assert status.first_read_by == cast.gp_a and status.acknowledged_by == cast.gp_a and status.acknowledged_at
    assert [(a.action, a.status) for a in status.actions] == [(first, "not_applicable"), (second, "")]
    assert status.actions[0].latest.note == "Done elsewhere"
