"""Booking wellbeing sessions (issue 13 item 4): places, carers, the waiting list and its promotion,
requests without an account, and each bad input's own message."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from portal.outbox.models import Notification
from tests.factories import PatientFactory
from tests.wellbeing.factories import make_session
from wellbeing.models import Booking, BookingStatus, SessionStatus
from wellbeing.services import bookings

pytestmark = pytest.mark.django_db


def patients(n):
    return [PatientFactory(email=f"p{i}@example.com") for i in range(n)]


def test_places_fill_then_the_waiting_list_and_carers_count(cast):
    session = make_session(capacity=3)
    first = bookings.book(session, actor=cast.patient_user, patient=cast.patient, carers=1)
    a, b, c = patients(3)
    second = bookings.book(session, actor=cast.admin, patient=a)
    third = bookings.book(session, actor=cast.admin, patient=b)
    assert [first.status, second.status, third.status] == ["booked", "booked", "waiting"]
    assert session.places_taken() == 3 and bookings.places_left(session) == 0
    fourth = bookings.book(session, actor=cast.admin, patient=c)
    assert fourth.status == BookingStatus.WAITING


def test_a_cancellation_promotes_the_first_waiting_and_tells_them(cast):
    session = make_session(capacity=2)
    a, b, c = patients(3)
    mine = bookings.book(session, actor=cast.patient_user, patient=cast.patient)
    bookings.book(session, actor=cast.admin, patient=a)
    waiting_b = bookings.book(session, actor=cast.admin, patient=b)
    waiting_c = bookings.book(session, actor=cast.admin, patient=c)
    bookings.cancel(mine, actor=cast.patient_user)
    waiting_b.refresh_from_db(), waiting_c.refresh_from_db()
    assert waiting_b.status == BookingStatus.BOOKED and waiting_c.status == BookingStatus.WAITING
    told = Notification.objects.get(idempotency_key=f"wellbeing.promoted:{waiting_b.pk}")
    assert told.recipient == b.email and told.context["title"] == "Managing fatigue"
    bookings.cancel(mine, actor=cast.patient_user)  # twice: nothing more
    assert Booking.objects.filter(status=BookingStatus.BOOKED).count() == 2


def test_a_waiting_booking_that_does_not_fit_lets_a_smaller_one_behind_it_go(cast):
    session = make_session(capacity=2)
    a, b, c = patients(3)
    first = bookings.book(session, actor=cast.admin, patient=a)
    bookings.book(session, actor=cast.admin, patient=b)
    big = bookings.book(session, actor=cast.admin, patient=c, carers=2)
    small = bookings.book(session, actor=cast.patient_user, patient=cast.patient)
    bookings.cancel(first, actor=cast.admin)
    big.refresh_from_db(), small.refresh_from_db()
    assert big.status == BookingStatus.WAITING and small.status == BookingStatus.BOOKED


def test_a_request_without_an_account_holds_places_until_an_admin_confirms(cast):
    session = make_session(capacity=2)
    asked = bookings.request_place(session, name="Jo Bloggs", phone="0113 496 0000", carers=1)
    assert asked.status == BookingStatus.REQUESTED and bookings.places_left(session) == 0
    assert bookings.book(session, actor=cast.patient_user, patient=cast.patient).status == BookingStatus.WAITING
    with pytest.raises(PermissionDenied):
        bookings.confirm(asked, actor=cast.patient_user)
    assert bookings.confirm(asked, actor=cast.admin).status == BookingStatus.BOOKED


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"status": SessionStatus.CANCELLED}, "has been cancelled"),
        ({"starts_at": timezone.now() - datetime.timedelta(hours=1)}, "already started or taken place"),
        ({"booking_closes_at": timezone.now() - datetime.timedelta(minutes=1)}, "Booking for this session has closed"),
    ],
)
def test_a_cancelled_past_or_closed_session_cannot_be_booked(cast, change, words):
    session = make_session()
    for field, value in change.items():
        setattr(session, field, value)
    session.ends_at = None
    session.save()
    with pytest.raises(bookings.BookingRefused, match=words):
        bookings.book(session, actor=cast.patient_user, patient=cast.patient)
    assert not Booking.objects.exists()


def test_booking_twice_and_bad_requests_are_refused_with_their_own_words(cast):
    session = make_session()
    bookings.book(session, actor=cast.patient_user, patient=cast.patient)
    with pytest.raises(bookings.BookingRefused, match="already booked"):
        bookings.book(session, actor=cast.patient_user, patient=cast.patient)
    with pytest.raises(bookings.BookingRefused, match="up to 3 carers"):
        bookings.book(make_session(), actor=cast.patient_user, patient=cast.patient, carers=4)
    with pytest.raises(bookings.BookingRefused, match="Enter your name"):
        bookings.request_place(session, name=" ", email="a@example.com")
    with pytest.raises(bookings.BookingRefused, match="email address or a phone number"):
        bookings.request_place(session, name="Jo")


def test_a_patient_cannot_book_for_someone_else(cast):
    other = PatientFactory()
    with pytest.raises(PermissionDenied):
        bookings.book(make_session(), actor=cast.patient_user, patient=other)
    with pytest.raises(PermissionDenied):
        bookings.book(make_session(), actor=cast.cns_a, patient=cast.patient)
