"""The follow-up staff pages: the CNS works them, the GP reads the timeline only, another team
gets 404; changes are audited and the caseload's query count does not grow with its patients."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followup.models import Pathway, PathwayStatus, ProtocolVersion, TestStatus, VersionStatus
from portal.audit.models import AuditEvent
from tests.factories import PatientFactory
from tests.followup.factories import make_pathway

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def stratify_post(**overrides):
    version = ProtocolVersion.objects.get(protocol__slug="breast-default", status=VersionStatus.PUBLISHED)
    data = {
        "kind": "patient_initiated",
        "protocol_version": str(version.pk),
        "anchor_date_day": "2",
        "anchor_date_month": "3",
        "anchor_date_year": "2026",
        "pifu_start_day": "2",
        "pifu_start_month": "3",
        "pifu_start_year": "2026",
        "pifu_end_day": "2",
        "pifu_end_month": "3",
        "pifu_end_year": "2031",
        "trigger_symptoms": "A new lump\nPain that will not go away",
        "named_contact": "Sam Nurse",
        "team_phone": "0113 000 0000",
        "rationale": "Low risk",
    }
    return {**data, **overrides}


def test_the_cns_stratifies_from_the_form(client, cast):
    signed_in(client, cast.cns_a)
    url = f"/follow-up/patients/{cast.patient.pk}/stratify/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Breast cancer follow-up" in page.content.decode()
    response = client.post(url, stratify_post())
    assert response.status_code == 302, response.content.decode()[:3000]
    pathway = Pathway.objects.get(patient=cast.patient)
    assert pathway.trigger_symptoms == ["A new lump", "Pain that will not go away"]
    assert pathway.tests.count() > 0
    timeline = client.get(f"/follow-up/patients/{cast.patient.pk}/").content.decode()
    assert "A new lump" in timeline and "Mammogram" in timeline and "Put on this pathway" in timeline
    assert AuditEvent.objects.filter(action="create", object_id=str(pathway.pk), actor=cast.cns_a).exists()


def test_a_window_ending_before_it_starts_is_shown_on_its_field(client, cast):
    signed_in(client, cast.cns_a)
    response = client.post(f"/follow-up/patients/{cast.patient.pk}/stratify/", stratify_post(pifu_end_year="2025"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "The end of the follow-up window cannot be before its start" in body
    assert "A new lump" in body  # what was typed is kept
    assert not Pathway.objects.exists()


def test_amend_suspend_reactivate_and_tests_through_the_pages(client, cast):
    pathway = make_pathway(patient=cast.patient, team=cast.team_a, pifu_start=datetime.date(2026, 1, 15))
    signed_in(client, cast.cns_a)
    assert client.get(f"/follow-up/pathways/{pathway.pk}/amend/").status_code == 200
    response = client.post(f"/follow-up/pathways/{pathway.pk}/suspend/", {"reason": "Raised marker"})
    assert response.status_code == 302
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.SUSPENDED
    client.post(f"/follow-up/pathways/{pathway.pk}/reactivate/", {"reason": "Stable"})
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.ACTIVE
    test = pathway.tests.order_by("due_date").first()
    response = client.post(
        f"/follow-up/tests/{test.pk}/move/",
        {"due_date_day": "1", "due_date_month": "1", "due_date_year": "2020", "reason": "Typo"},
    )
    assert response.status_code == 200
    assert "cannot be before the anchor date" in response.content.decode()
    client.post(f"/follow-up/tests/{test.pk}/cancel/", {"reason": "Done privately"})
    test.refresh_from_db()
    assert test.status == TestStatus.CANCELLED


def test_the_gp_reads_the_timeline_only(client, cast):
    pathway = make_pathway(patient=cast.patient, team=cast.team_a)
    signed_in(client, cast.gp_a)
    page = client.get(f"/follow-up/patients/{cast.patient.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Mammogram" in body and "/suspend/" not in body
    assert client.get(f"/follow-up/pathways/{pathway.pk}/amend/").status_code == 404
    assert client.post(f"/follow-up/pathways/{pathway.pk}/suspend/", {"reason": "x"}).status_code == 404
    assert client.get(f"/follow-up/patients/{cast.patient.pk}/stratify/").status_code == 404
    assert client.get("/follow-up/").status_code == 403


def test_the_patient_gets_404_on_the_staff_pages(client, cast):
    pathway = make_pathway(patient=cast.patient, team=cast.team_a)
    signed_in(client, cast.patient_user)
    assert client.get(f"/follow-up/patients/{cast.patient.pk}/").status_code == 404
    assert client.get(f"/follow-up/pathways/{pathway.pk}/amend/").status_code == 404
    assert client.get(f"/follow-up/patients/{cast.patient.pk}/stratify/").status_code == 404


def test_another_team_gets_404(client, cast):
    pathway = make_pathway(patient=cast.patient, team=cast.team_a)
    test = pathway.tests.first()
    for who in (cast.cns_b, cast.gp_b):
        signed_in(client, who)
        assert client.get(f"/follow-up/patients/{cast.patient.pk}/").status_code == 404
        assert client.post(f"/follow-up/pathways/{pathway.pk}/suspend/", {"reason": "x"}).status_code == 404
        assert client.post(f"/follow-up/tests/{test.pk}/cancel/", {"reason": "x"}).status_code == 404
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.ACTIVE


def _caseload_queries(client, cast, n):
    for _ in range(n - Pathway.objects.count()):
        make_pathway(patient=PatientFactory(care_teams=[cast.team_a]), team=cast.team_a)
    signed_in(client, cast.cns_a)
    client.get("/follow-up/")  # sessions and the like warm up once
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/follow-up/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_caseload_counts_and_its_query_count_is_flat(client, cast):
    few, body = _caseload_queries(client, cast, 5)
    pathway = Pathway.objects.first()
    overdue = pathway.tests.order_by("due_date").first()
    overdue.due_date = datetime.date(2020, 1, 1)
    overdue.save()
    assert body.count("/follow-up/patients/") == 5
    many, body = _caseload_queries(client, cast, 50)
    assert many == few
    assert body.count("/follow-up/patients/") == 50
    assert "1 overdue test," in body
    assert AuditEvent.objects.filter(action="view", actor=cast.cns_a).count() >= 50
    # 500, issue 11's size: ten pages of 50, the same queries; the counts by kind cover all 500.
    most, body = _caseload_queries(client, cast, 500)
    assert most == few
    assert body.count("/follow-up/patients/") == 50
    assert "</strong> 500</li>" in body


def test_the_patient_page_has_a_follow_up_section(client, cast):
    signed_in(client, cast.cns_a)
    body = client.get(f"/patients/{cast.patient.pk}/").content.decode()
    assert "Not on a follow-up pathway." in body and "Choose a follow-up pathway" in body
    pathway = make_pathway(patient=cast.patient, team=cast.team_a)
    body = client.get(f"/patients/{cast.patient.pk}/").content.decode()
    assert "Patient-initiated (PIFU) follow-up" in body and "next test due 15 January 2027" in body
    assert AuditEvent.objects.filter(action="view", object_id=str(pathway.pk), actor=cast.cns_a).exists()
    signed_in(client, cast.gp_a)
    body = client.get(f"/patients/{cast.patient.pk}/").content.decode()
    assert "Patient-initiated (PIFU) follow-up" in body and "Choose a follow-up pathway" not in body


def test_amend_through_the_page_keeps_the_history(client, cast):
    pathway = make_pathway(patient=cast.patient, team=cast.team_a, kind="professional_led")
    signed_in(client, cast.cns_a)
    response = client.post(
        f"/follow-up/pathways/{pathway.pk}/amend/",
        {"rationale": "Reviewed in clinic", "trigger_symptoms": "Bone pain\n\nA new lump", "checkin_months": "3",
         "reason": "Clinic review"},
    )  # fmt: skip
    assert response.status_code == 302
    pathway.refresh_from_db()
    assert (pathway.trigger_symptoms, pathway.checkin_months) == (["Bone pain", "A new lump"], 3)
    change = pathway.changes.get()
    assert (change.reason, change.snapshot["rationale"]) == ("Clinic review", "Reviewed in clinic")
    missing = client.post(f"/follow-up/pathways/{pathway.pk}/amend/", {"rationale": "No reason given"})
    assert "Enter the reason" in missing.content.decode()
    pathway.refresh_from_db()
    assert pathway.rationale == "Reviewed in clinic"


def test_a_support_worker_reads_the_caseload_and_timeline_without_changing(client, cast):
    from portal.people.models import Role
    from tests.conftest import give_totp
    from tests.factories import RoleAssignmentFactory, UserFactory

    worker = UserFactory()
    give_totp(worker)  # staff have two-factor authentication (ADR 0007)
    RoleAssignmentFactory(user=worker, role=Role.SUPPORT_WORKER, organisation=cast.trust, team=cast.team_a)
    pathway = make_pathway(patient=cast.patient, team=cast.team_a)
    signed_in(client, worker)
    assert client.get("/follow-up/").status_code == 200
    body = client.get(f"/follow-up/patients/{cast.patient.pk}/").content.decode()
    assert "Mammogram" in body and "/amend/" not in body
    assert client.post(f"/follow-up/pathways/{pathway.pk}/suspend/", {"reason": "x"}).status_code == 404


def test_a_blank_window_end_on_the_form_comes_from_the_protocol(client, cast):
    signed_in(client, cast.cns_a)
    page = client.get(f"/follow-up/patients/{cast.patient.pk}/stratify/").content.decode()
    assert "Leave blank for the protocol&#39;s usual window" in page
    blank = stratify_post(pifu_end_day="", pifu_end_month="", pifu_end_year="")
    response = client.post(f"/follow-up/patients/{cast.patient.pk}/stratify/", blank)
    assert response.status_code == 302, response.content.decode()[:3000]
    months = ProtocolVersion.objects.get(protocol__slug="breast-default", status=VersionStatus.PUBLISHED).pifu_months
    assert months and Pathway.objects.get().pifu_end == datetime.date(2026, 3, 2) + relativedelta(months=months)


def test_a_check_in_interval_too_big_to_store_is_a_message_on_its_field(client, cast):
    # It used to reach the database and fail there ("integer out of range"), a server error.
    signed_in(client, cast.cns_a)
    url = f"/follow-up/patients/{cast.patient.pk}/stratify/"
    response = client.post(url, stratify_post(checkin_months="99999999999"))
    assert response.status_code == 200
    assert "Symptom check-in every (months) must be between 0 and 120" in response.content.decode()
    assert client.post(url, stratify_post(checkin_months="120")).status_code == 302
    assert Pathway.objects.get(patient=cast.patient).checkin_months == 120


def test_an_unknown_kind_of_follow_up_gets_the_field_s_own_message(client, cast):
    signed_in(client, cast.cns_a)
    response = client.post(f"/follow-up/patients/{cast.patient.pk}/stratify/", stratify_post(kind="bogus"))
    body = response.content.decode()
    assert "Select professional-led or patient-initiated follow-up" in body
    assert "Select a valid choice" not in body and not Pathway.objects.exists()


def test_the_caseload_shows_nhs_numbers_spaced_as_people_read_them(client, cast):
    make_pathway(patient=cast.patient, team=cast.team_a)
    digits = cast.patient.nhs_number
    body = signed_in(client, cast.cns_a).get("/follow-up/").content.decode()
    assert f"NHS number {digits[:3]} {digits[3:6]} {digits[6:]}" in body
