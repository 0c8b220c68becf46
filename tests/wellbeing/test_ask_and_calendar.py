"""Asking for a place without an account (issue 13 item 4): the form on the session page, each bad
input a message with what was typed kept, held until an admin confirms, throttled per address; and
the session's calendar file (RFC 5545), with the joining link only for someone booked."""

import datetime

import pytest
from django.utils import timezone

from tests.wellbeing.factories import make_session
from wellbeing.calendar import session_ics
from wellbeing.models import Booking, BookingStatus
from wellbeing.services import bookings
from wellbeing.views import ASKING

pytestmark = pytest.mark.django_db
LINK = "https://teams.example.nhs.uk/meet/fatigue"


def test_anyone_asks_for_a_place_and_it_waits_for_an_admin(client):
    session = make_session(capacity=3)
    page = client.get(f"/wellbeing/sessions/{session.pk}/").content.decode()
    assert "Ask for a place" in page and 'name="phone"' in page
    done = client.post(
        f"/wellbeing/sessions/{session.pk}/ask/",
        {"name": "Jo Bloggs", "email": "jo@example.com", "phone": "", "carers": "1"},
        follow=True,
    )
    assert "We have your request" in done.content.decode()
    asked = Booking.objects.get(name="Jo Bloggs")
    assert asked.status == BookingStatus.REQUESTED and asked.places == 2 and asked.patient is None
    assert LINK not in done.content.decode()  # held, not booked: no joining link yet


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"name": "", "email": "jo@example.com"}, "Enter your name"),
        ({"name": "Jo Bloggs", "email": "", "phone": ""}, "Enter an email address or a phone number"),
        ({"name": "Jo Bloggs", "email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"name": "Jo Bloggs", "email": "jo@example.com", "carers": "9"}, "Select how many carers"),
    ],
)
def test_bad_input_says_what_is_wrong_and_keeps_what_was_typed(client, data, words):
    session = make_session()
    response = client.post(f"/wellbeing/sessions/{session.pk}/ask/", {"phone": "", "carers": "0"} | data)
    page = response.content.decode()
    assert response.status_code == 400 and words in page and "There is a problem" in page
    if data["name"]:
        assert 'value="Jo Bloggs"' in page
    assert not Booking.objects.exists()


def test_a_closed_or_cancelled_session_refuses_a_request_in_words(client, cast):
    session = make_session(starts_at=timezone.now() - datetime.timedelta(hours=1))
    response = client.post(f"/wellbeing/sessions/{session.pk}/ask/", {"name": "Jo", "phone": "0113 496 0000"})
    assert response.status_code == 400 and "already started or taken place" in response.content.decode()
    assert not Booking.objects.exists()


def test_asking_is_throttled_per_address(client):
    session = make_session(capacity=50)
    for n in range(ASKING.limit):
        client.post(f"/wellbeing/sessions/{session.pk}/ask/", {"name": f"Person {n}", "phone": "0113 496 0000"})
    refused = client.post(f"/wellbeing/sessions/{session.pk}/ask/", {"name": "One more", "phone": "0113 496 0000"})
    assert refused.status_code == 429 and "Please call the wellbeing team" in refused.content.decode()
    assert Booking.objects.count() == ASKING.limit


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_the_calendar_file_is_rfc_5545_with_the_link_only_for_someone_booked(client, cast):
    session = make_session(capacity=3, title="Managing fatigue; energy, and rest", description="A long " * 30)
    response = client.get(f"/wellbeing/sessions/{session.pk}/calendar.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    raw = response.content.decode()
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n")), "lines are folded at 75 octets"
    lines = _unfold(raw)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "SUMMARY:Managing fatigue\\; energy\\, and rest" in lines
    start = next(line for line in lines if line.startswith("DTSTART:"))
    assert start == f"DTSTART:{session.starts_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}"
    assert LINK not in raw

    bookings.book(session, actor=cast.patient_user, patient=cast.patient)
    client.force_login(cast.patient_user)
    booked = client.get(f"/wellbeing/sessions/{session.pk}/calendar.ics").content.decode()
    assert f"LOCATION:{LINK}" in _unfold(booked)


def test_a_session_with_no_date_has_no_calendar_file(client):
    session = make_session(starts_at=None, tbc_month=timezone.localdate().replace(day=1))
    assert session_ics(session, booked=False) == ""
    assert client.get(f"/wellbeing/sessions/{session.pk}/calendar.ics").status_code == 404
    assert "calendar.ics" not in client.get(f"/wellbeing/sessions/{session.pk}/").content.decode()


def test_a_multibyte_title_is_folded_between_characters():
    from tests.wellbeing.factories import make_session as made

    session = made(title="Café " * 40)
    text = session_ics(session, booked=False)
    for line in text.split("\r\n"):
        line.encode().decode()  # each folded line is whole UTF-8
        assert len(line.encode()) <= 75
