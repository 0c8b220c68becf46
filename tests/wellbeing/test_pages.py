"""The wellbeing pages (issue 13 item 6): the public list and session page show no one's details and
no joining link; a patient books in two clicks (the page, then "Book my place"), sees the link once
booked, cancels, and reads "My bookings"; nobody else's booking can be cancelled."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import PatientFactory, UserFactory
from tests.wellbeing.factories import make_session
from wellbeing.models import Booking, BookingStatus
from wellbeing.services import bookings

pytestmark = pytest.mark.django_db
LINK = "https://teams.example.nhs.uk/meet/fatigue"


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_public_list_shows_upcoming_sessions_by_month_and_no_one_booked(client, cast):
    session = make_session(capacity=1)
    make_session(title="Long gone", starts_at=timezone.now() - datetime.timedelta(days=3))
    bookings.book(session, actor=cast.patient_user, patient=cast.patient)
    page = text(client.get("/wellbeing/sessions/"))
    assert "Managing fatigue" in page and "Long gone" not in page
    assert cast.patient.family_name not in page and LINK not in page
    assert "Managing fatigue" not in text(client.get("/wellbeing/sessions/?category=psychology"))


def test_a_patient_books_in_two_clicks_and_then_sees_how_to_join(client, cast):
    session = make_session(capacity=5)
    anonymous = text(client.get(f"/wellbeing/sessions/{session.pk}/"))
    assert LINK not in anonymous and "sign in</a> to book" in anonymous and "Ask for a place" in anonymous
    client.force_login(cast.patient_user)
    assert "Book my place" in text(client.get(f"/wellbeing/sessions/{session.pk}/"))
    done = text(client.post(f"/wellbeing/sessions/{session.pk}/book/", {"carers": "1"}, follow=True))
    assert "is booked" in done and LINK in done
    booking = Booking.objects.get(patient=cast.patient)
    assert booking.places == 2 and booking.status == BookingStatus.BOOKED
    again = text(client.post(f"/wellbeing/sessions/{session.pk}/book/", {"carers": "0"}, follow=True))
    assert Booking.objects.filter(patient=cast.patient).count() == 1 and "Cancel my place" in again
    assert "Managing fatigue" in text(client.get("/wellbeing/my-bookings/"))
    cancelled = text(client.post(f"/wellbeing/bookings/{booking.pk}/cancel/", follow=True))
    assert "has been cancelled" in cancelled and "You have no sessions booked" in cancelled


def test_a_full_session_puts_them_on_the_waiting_list_and_a_past_one_says_why(client, cast):
    session = make_session(capacity=1)
    bookings.book(session, actor=cast.admin, patient=PatientFactory())
    client.force_login(cast.patient_user)
    waiting = text(client.post(f"/wellbeing/sessions/{session.pk}/book/", {"carers": "0"}, follow=True))
    assert "waiting list" in waiting and LINK not in waiting
    past = make_session(starts_at=timezone.now() - datetime.timedelta(hours=2))
    assert "already started or taken place" in text(client.get(f"/wellbeing/sessions/{past.pk}/"))
    refused = text(client.post(f"/wellbeing/sessions/{past.pk}/book/", {"carers": "9"}, follow=True))
    assert "already started or taken place" in refused
    assert not Booking.objects.filter(session=past).exists()


def test_nobody_cancels_someone_elses_booking_and_staff_have_no_my_bookings(client, cast):
    other = PatientFactory()
    theirs = bookings.book(make_session(), actor=cast.admin, patient=other)
    client.force_login(cast.patient_user)
    assert client.post(f"/wellbeing/bookings/{theirs.pk}/cancel/").status_code == 404
    client.force_login(cast.cns_a)
    assert client.post(f"/wellbeing/bookings/{theirs.pk}/cancel/").status_code == 404
    assert client.get("/wellbeing/my-bookings/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == BookingStatus.BOOKED
    stranger = UserFactory(email="nobody@example.com")
    client.force_login(stranger)
    assert client.post(f"/wellbeing/sessions/{theirs.session_id}/book/").status_code == 404
