"""The access log: append-only in the database, written for every patient page, and readable
only by auditors."""

import datetime
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import DatabaseError, transaction
from django.utils import timezone

from portal.audit.models import Action, AuditEvent
from portal.audit.services import record, record_many
from portal.audit.views import filter_events
from portal.people.models import Patient, Role

pytestmark = pytest.mark.django_db


def test_update_and_delete_of_audit_rows_are_refused_by_the_database(cast):
    event = record(Action.VIEW, actor=cast.cns_a, patient=cast.patient)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action=Action.DELETE)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.object_id = "changed"
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == Action.VIEW


def test_opening_a_patient_writes_a_view_event(client, cast):
    client.force_login(cast.cns_a)
    response = client.get(f"/patients/{cast.patient.pk}/", REMOTE_ADDR="10.1.2.3", HTTP_X_REQUEST_ID="abc123")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action=Action.VIEW, patient=cast.patient).get()
    assert event.actor == cast.cns_a
    assert event.role == "cns"
    assert event.organisation == cast.trust
    assert event.object_type == "people.patient" and event.object_id == str(cast.patient.pk)
    assert event.ip_address == "10.1.2.3"
    assert event.request_id == "abc123"
    assert event.occurred_at.tzinfo is not None


def test_audit_view_names_who_looked_from_where_and_at_what(rf, cast):
    """The one-record helper every detail page and API response calls: the request's user, address
    and request id, and the part of the record shown (or the patient record when none is given)."""
    from portal.audit.services import audit_view

    request = rf.get("/", REMOTE_ADDR="10.9.8.7")
    request.user, request.request_id = cast.cns_a, "req42"
    diagnosis = cast.patient.diagnoses.first() or cast.patient
    part = audit_view(request, cast.patient, diagnosis)
    whole = audit_view(request, cast.patient)
    assert (part.actor, part.ip_address, part.request_id) == (cast.cns_a, "10.9.8.7", "req42")
    assert (part.object_type, part.object_id) == (diagnosis._meta.label_lower, str(diagnosis.pk))
    assert (whole.object_type, whole.object_id) == ("people.patient", str(cast.patient.pk))


def test_a_list_writes_one_event_per_patient_shown(client, cast):
    from tests.factories import PatientFactory

    others = [PatientFactory(care_teams=[cast.team_a]) for _ in range(3)]
    client.force_login(cast.cns_a)
    client.get("/patients/")
    seen = set(AuditEvent.objects.filter(action=Action.VIEW).values_list("patient_id", flat=True))
    assert seen == {cast.patient.pk, *(p.pk for p in others)}


def test_a_404_writes_no_view_event(client, cast):
    client.force_login(cast.cns_b)
    assert client.get(f"/patients/{cast.patient.pk}/").status_code == 404
    assert not AuditEvent.objects.filter(patient=cast.patient).exists()


def test_sign_in_and_failed_sign_in_are_logged(client, cast, settings):
    client.post("/accounts/login/", {"login": cast.cns_a.email, "password": "wrong-password"})
    # A patient: staff sign-in completes only after the MFA step (tests/access).
    client.post("/accounts/login/", {"login": cast.patient_user.email, "password": settings.DEMO_PASSWORD})
    actions = list(AuditEvent.objects.order_by("occurred_at").values_list("action", "actor_label"))
    assert (Action.FAILED_SIGN_IN, f"anonymous ({cast.cns_a.email})") in actions
    assert (Action.SIGN_IN, cast.patient_user.email) in actions


def test_only_auditors_read_the_access_log(client, cast):
    record(Action.VIEW, actor=cast.cns_a, patient=cast.patient)
    for user in (cast.cns_a, cast.gp_a, cast.admin):
        client.force_login(user)
        assert client.get("/audit/").status_code == 403
    client.force_login(cast.auditor)
    page = client.get("/audit/").content.decode()
    assert cast.cns_a.email in page and cast.patient.full_name in page


def test_auditor_filters_by_patient_user_and_date(client, cast):
    from tests.factories import PatientFactory

    other = PatientFactory(care_teams=[cast.team_a])
    record(Action.VIEW, actor=cast.cns_a, patient=cast.patient)
    record(Action.VIEW, actor=cast.gp_a, patient=other)
    client.force_login(cast.auditor)

    by_patient = client.get("/audit/", {"nhs_number": cast.patient.nhs_number}).content.decode()
    assert cast.patient.full_name in by_patient and other.full_name not in by_patient
    by_user = client.get("/audit/", {"user": cast.gp_a.email.upper()}).content.decode()
    assert other.full_name in by_user and cast.patient.full_name not in by_user
    today = datetime.date.today()
    tomorrow = today + datetime.timedelta(days=1)
    future = {"date_from_day": tomorrow.day, "date_from_month": tomorrow.month, "date_from_year": tomorrow.year}
    assert "0 events" in client.get("/audit/", future).content.decode()


def test_the_date_filter_keeps_whole_days_from_from_to_to(cast):
    """From and To are whole days, To included: an event late on To is in, one on the day after is out."""

    day = datetime.date(2026, 3, 10)
    for at in ("2026-03-09 23:59", "2026-03-10 00:00", "2026-03-10 23:59", "2026-03-11 00:00"):
        with time_machine.travel(timezone.make_aware(datetime.datetime.fromisoformat(at)), tick=False):
            record(Action.VIEW, actor=cast.cns_a, patient=cast.patient)

    def times(**data):
        events = filter_events(cast.auditor, data).filter(actor=cast.cns_a)
        return sorted(timezone.localtime(e.occurred_at).strftime("%d %H:%M") for e in events)

    assert times(date_from=day, date_to=day) == ["10 00:00", "10 23:59"]
    assert times(date_to=day) == ["09 23:59", "10 00:00", "10 23:59"]
    assert times(date_from=day) == ["10 00:00", "10 23:59", "11 00:00"]


def test_auditor_filter_errors_are_specific(client, cast):
    client.force_login(cast.auditor)
    html = client.get(
        "/audit/", {"nhs_number": "12345", "date_from_day": "31", "date_from_month": "2", "date_from_year": "2026"}
    ).content.decode()
    assert "NHS number must be 10 digits" in html
    assert "From must be a real date" in html


def test_change_history_is_kept_for_clinical_records(cast):
    from portal.people.models import Patient as P

    P.objects.filter(pk=cast.patient.pk).update(family_name="Changed")  # bulk updates are caught too
    events = cast.patient.events.order_by("pgh_created_at").values_list("pgh_label", "family_name")
    assert ("update", "Changed") in list(events)
    assert isinstance(cast.patient, Patient)


def audit_rows(html) -> list[str]:
    """The text of each row of the access log table."""
    body = re.search(r'<tbody class="nhsuk-table__body">(.*?)</tbody>', html, re.S)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S) if body else []
    return [unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))).strip() for row in rows]


def pagination_links(html) -> list[str]:
    nav = re.search(r'<nav class="nhsuk-pagination[^"]*"(.*?)</nav>', html, re.S)
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', nav.group(1))] if nav else []


def test_the_log_is_paged_100_a_page_and_the_links_keep_the_filters(client, cast):
    from tests.factories import PatientFactory

    other = PatientFactory(care_teams=[cast.team_a])
    record_many(Action.VIEW, [(cast.patient, None)] * 230, actor=cast.cns_a)
    record_many(Action.VIEW, [(other, None)] * 20, actor=cast.gp_a)  # filtered out below
    client.force_login(cast.auditor)
    wanted = {"user": cast.cns_a.email, "nhs_number": cast.patient.nhs_number}

    first = client.get("/audit/", wanted).content.decode()
    assert "230 events" in first
    assert len(audit_rows(first)) == 100
    links = pagination_links(first)
    assert links, "no page links"
    for link in links:
        query = parse_qs(urlsplit(link).query)
        assert query["user"] == [cast.cns_a.email] and query["nhs_number"] == [cast.patient.nhs_number], link
    assert {parse_qs(urlsplit(link).query)["page"][0] for link in links} >= {"2", "3"}

    third = client.get("/audit/", {**wanted, "page": 3}).content.decode()
    assert len(audit_rows(third)) == 30
    assert any(parse_qs(urlsplit(link).query)["page"] == ["2"] for link in pagination_links(third))
    assert other.full_name not in third


def test_one_page_of_events_has_no_page_links(client, cast):
    record(Action.VIEW, actor=cast.cns_a, patient=cast.patient)
    client.force_login(cast.auditor)
    assert pagination_links(client.get("/audit/").content.decode()) == []


def test_the_record_column_names_records_in_words(client, cast):
    from hna.services import care_plans
    from tests.access.policy_fixtures import sent_summary
    from tests.factories import RoleAssignmentFactory
    from tests.hna.test_care_plans import locked_plan

    cast.clinician_a = RoleAssignmentFactory(role=Role.CLINICIAN, organisation=cast.trust, team=cast.team_a).user
    plan = locked_plan(cast)
    amended = care_plans.unlock_to_amend(actor=cast.cns_a, plan=plan)
    version = sent_summary(cast)
    shown = [(cast.patient, None), (cast.patient, plan.assessment), (cast.patient, amended), (cast.patient, version)]
    record_many(Action.VIEW, shown, actor=cast.gp_b)
    client.force_login(cast.auditor)

    html = client.get("/audit/", {"user": cast.gp_b.email}).content.decode()
    records = {row.split(" Record ")[1].split(" IP address")[0] for row in audit_rows(html)}
    assert records == {
        f"Patient record {str(cast.patient.pk)[:8]}",
        f"HNA {str(plan.assessment.pk)[:8]}",
        f"Care plan v2 {str(amended.pk)[:8]}",
        f"Treatment summary v1 {str(version.pk)[:8]}",
    }
    assert "people.patient" not in html and "hna.careplan" not in html


def test_a_record_link_shows_every_event_about_that_record(client, cast):
    from tests.factories import PatientFactory

    other = PatientFactory(care_teams=[cast.team_a])
    record(Action.VIEW, actor=cast.cns_a, patient=cast.patient)
    record(Action.VIEW, actor=cast.gp_a, patient=cast.patient)
    record(Action.VIEW, actor=cast.cns_a, patient=other)
    client.force_login(cast.auditor)
    html = client.get("/audit/", {"user": cast.cns_a.email}).content.decode()
    link = f'href="?record={cast.patient.pk}"'
    assert link in html
    # Reading the log is logged too (an event about each patient shown), so count before each read.
    expected = AuditEvent.objects.filter(object_id=str(cast.patient.pk)).count()
    assert expected >= 2
    about = client.get("/audit/", {"record": str(cast.patient.pk)}).content.decode()
    assert f"{expected} events" in about and other.full_name not in about
    # The shortened id an auditor reads off the page finds it too.
    expected = AuditEvent.objects.filter(object_id=str(cast.patient.pk)).count()
    short = client.get("/audit/", {"record": str(cast.patient.pk)[:8]}).content.decode()
    assert f"{expected} events" in short and other.full_name not in short


def test_an_unknown_kind_of_record_is_shown_as_it_was_logged(client, cast):
    AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor_label="system:tests",
        action=Action.EXPORT,
        object_type="retired_app.thing",
        object_id="42",
    )
    client.force_login(cast.auditor)
    html = client.get("/audit/", {"user": "system:tests"}).content.decode()
    assert "retired_app.thing 42" in " ".join(audit_rows(html))
