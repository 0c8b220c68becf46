"""Setting up an HNA: the COSD event, the passcode shown once, sending it, reissuing it."""

import datetime
import re

import pytest
from django.utils import timezone

from hna.models import Assessment, Passcode
from hna.services import assessments, passcodes
from portal.outbox.models import Notification
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db
SHOWN = re.compile(r'<span aria-hidden="true">([A-Z0-9]{4}-[A-Z0-9]{4})</span>')
GONE = "The passcode is no longer shown. Reissue a new one if it is lost."


def url(patient):
    return f"/hna/patients/{patient.pk}/set-up/"


def form_data(**overrides):
    today = timezone.localdate()
    data = {
        "point_of_pathway": "02",
        "trigger": "start_of_treatment",
        "offer_status": "03",
        "event_date_day": str(today.day),
        "event_date_month": str(today.month),
        "event_date_year": str(today.year),
        "send_by": "none",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def cns(client, cast):
    client.force_login(cast.cns_a)
    return client


def test_patient_page_links_to_set_up_for_the_care_team_only(client, cast):
    link = f'href="/hna/patients/{cast.patient.pk}/set-up/"'
    client.force_login(cast.cns_a)
    assert link in client.get(f"/patients/{cast.patient.pk}/").content.decode()
    client.force_login(cast.gp_a)
    page = client.get(f"/patients/{cast.patient.pk}/")
    assert page.status_code == 200 and link not in page.content.decode()


def test_form_defaults_to_today_and_offers_only_the_contacts_the_patient_has(cns, cast):
    html = cns.get(url(cast.patient)).content.decode()
    today = timezone.localdate()
    for part, value in (("day", today.day), ("month", today.month), ("year", today.year)):
        assert f'name="event_date_{part}" type="text" value="{value}"' in html
    assert f"by email to {cast.patient.email}" in html
    assert "by text message" not in html  # the cast's patient has no mobile number
    assert "Where is the patient in their cancer pathway?" in html and "Prehabilitation" in html


def test_set_up_shows_the_passcode_once_then_never_again(cns, cast):
    response = cns.post(url(cast.patient), form_data())
    assessment = Assessment.objects.get(patient=cast.patient)
    assert response.status_code == 302 and response["Location"] == f"/hna/assessments/{assessment.pk}/passcode/"
    assert assessment.point_of_pathway == "02" and assessment.offer_status == "03" and assessment.staff_role == "cns"

    html = cns.get(response["Location"]).content.decode()
    shown = SHOWN.search(html).group(1)
    live = Passcode.objects.get(assessment=assessment, revoked_at__isnull=True)
    assert live.digest == passcodes.digest(shown)
    assert "/hna/start/" in html and "date of birth" in html
    expires = live.expires_at.date()
    assert f"{expires.day} {expires:%B %Y}" in html
    assert "print" in html and "javascript:" not in html
    assert not any(key.startswith("hna.passcode") for key in cns.session.keys())

    again = cns.get(response["Location"]).content.decode()
    assert GONE in again and shown not in again


def test_sending_by_email_queues_the_passcode(cns, cast):
    response = cns.post(url(cast.patient), form_data(send_by="email"))
    html = cns.get(response["Location"]).content.decode()
    assert f"sending it by email to {cast.patient.email}" in html
    note = Notification.objects.get(template="hna.passcode")
    assert note.recipient == cast.patient.email and note.channel == "email"


def test_sending_by_text_when_the_patient_has_no_mobile_is_refused_and_answers_kept(cns, cast):
    response = cns.post(url(cast.patient), form_data(send_by="sms", point_of_pathway="05"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The patient has no mobile number recorded" in html
    assert re.search(r'value="05"\s+checked', html)
    assert not Assessment.objects.exists()


def test_sending_by_email_when_the_patient_has_no_email_is_refused(client, cast):
    patient = PatientFactory(email="", mobile="07700900123", preferred_contact="sms", care_teams=[cast.team_a])
    client.force_login(cast.cns_a)
    html = client.get(url(patient)).content.decode()
    assert "by text message to 07700900123" in html and "by email" not in html
    response = client.post(url(patient), form_data(send_by="email"))
    assert "The patient has no email address recorded" in response.content.decode()
    assert not Assessment.objects.exists()


def test_offer_status_missing(cns, cast):
    response = cns.post(url(cast.patient), form_data(offer_status=None))
    html = response.content.decode()
    assert "Select whether an assessment was offered" in html
    assert "<title>Error: " in html


def test_event_date_in_the_future(cns, cast):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = form_data(
        event_date_day=str(tomorrow.day), event_date_month=str(tomorrow.month), event_date_year=str(tomorrow.year)
    )
    html = cns.post(url(cast.patient), data).content.decode()
    assert "Date of the offer must be today or in the past" in html
    assert not Assessment.objects.exists()


def test_declined_is_recorded_and_closed_without_a_passcode(cns, cast):
    response = cns.post(url(cast.patient), form_data(offer_status="02"))
    assessment = Assessment.objects.get(patient=cast.patient)
    assert response["Location"] == f"/hna/assessments/{assessment.pk}/"
    assert assessment.status == Assessment.Status.CANCELLED and assessment.offer_status == "02"
    assert not Passcode.objects.filter(assessment=assessment, revoked_at__isnull=True).exists()
    assert list(assessment.status_changes.values_list("to_status", flat=True)) == ["set_up", "cancelled"]
    html = cns.get(response["Location"]).content.decode()
    assert "Offered and declined" in html and "No passcode was made" in html
    assert "Reissue passcode" not in html


def test_declined_with_a_passcode_to_send_is_questioned(cns, cast):
    html = cns.post(url(cast.patient), form_data(offer_status="02", send_by="email")).content.decode()
    assert "No passcode is made when the offer status is" in html
    assert not Assessment.objects.exists()


def test_another_teams_patient_is_404_and_nothing_is_made(client, cast):
    for outsider in (cast.cns_b, cast.gp_b, cast.gp_a, cast.admin):
        client.force_login(outsider)
        assert client.get(url(cast.patient)).status_code == 404, outsider.email
        assert client.post(url(cast.patient), form_data()).status_code == 404, outsider.email
    assert not Assessment.objects.exists()


def test_reissue_kills_the_old_passcode_and_shows_the_new_one_once(cns, cast):
    first = cns.post(url(cast.patient), form_data())
    old = SHOWN.search(cns.get(first["Location"]).content.decode()).group(1)
    assessment = Assessment.objects.get()

    response = cns.post(f"/hna/assessments/{assessment.pk}/reissue/")
    assert response["Location"] == f"/hna/assessments/{assessment.pk}/passcode/"
    new = SHOWN.search(cns.get(response["Location"]).content.decode()).group(1)
    assert new != old
    assert passcodes.check(old, cast.patient.date_of_birth) is None
    assert passcodes.check(new, cast.patient.date_of_birth) is not None
    assert GONE in cns.get(response["Location"]).content.decode()
    assert cns.get(f"/hna/assessments/{assessment.pk}/reissue/").status_code == 405


def test_a_passcode_replaced_before_it_was_shown_is_not_shown(cns, cast):
    response = cns.post(url(cast.patient), form_data())
    assessments.reissue_passcode(actor=cast.cns_a, assessment=Assessment.objects.get())  # someone else, meanwhile
    assert GONE in cns.get(response["Location"]).content.decode()


def test_reissue_for_a_submitted_assessment_says_why_not(cns, cast):
    made = assessments.set_up(
        actor=cast.cns_a,
        patient=cast.patient,
        point_of_pathway="01",
        trigger="diagnosis",
        offer_status="03",
        event_date=timezone.localdate(),
    )
    assessments.submit(made.assessment.passcodes.get())
    response = cns.post(f"/hna/assessments/{made.assessment.pk}/reissue/", follow=True)
    html = response.content.decode()
    assert "No passcode was reissued. The patient has already sent this assessment" in html
    assert made.assessment.passcodes.count() == 1
