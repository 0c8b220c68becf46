"""50 booking requests at once for 10 places, on PostgreSQL with a connection each (issue 13 item 4):
exactly 10 are booked and 40 wait; the session's row lock queues them."""

import threading

import pytest
from django.db import connection

from tests.factories import PatientFactory
from tests.wellbeing.factories import make_session
from wellbeing.models import Booking, BookingStatus
from wellbeing.services import bookings

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_at_once_book_exactly_ten_places(cast):
    session = make_session(capacity=10)
    people = [PatientFactory(email=f"c{i}@example.com") for i in range(50)]
    start, errors = threading.Barrier(50), []

    def book(patient):
        try:
            start.wait()
            bookings.book(session, actor=cast.admin, patient=patient)
        except Exception as failure:  # noqa: BLE001 - reported below
            errors.append(repr(failure))
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    statuses = list(Booking.objects.filter(session=session).values_list("status", flat=True))
    assert statuses.count(BookingStatus.BOOKED) == 10 and statuses.count(BookingStatus.WAITING) == 40
    assert session.places_taken() == 10
