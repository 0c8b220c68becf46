"""Scheduling sessions (issue 13 item 3) and the reminders the day before (item 4), with bad input."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.outbox.models import Notification
from tests.factories import PatientFactory
from tests.wellbeing.factories import make_session
from wellbeing.models import Booking, BookingStatus, Category, Session, SessionStatus
from wellbeing.services import bookings, reminders, sessions

pytestmark = pytest.mark.django_db
MONDAY = (timezone.now() + datetime.timedelta(days=30)).replace(hour=14, minute=0, second=0, microsecond=0)


def fields(**changes):
    return {
        "title": "Coping with anxiety",
        "category": Category.PSYCHOLOGY,
        "starts_at": MONDAY,
        "ends_at": MONDAY + datetime.timedelta(hours=1),
        "online": True,
        "joining_link": "https://teams.example.nhs.uk/meet/anxiety",
        "capacity": 8,
        **changes,
    }


def test_a_weekly_series_is_made_at_once(cast):
    made = sessions.schedule(actor=cast.admin, every_days=7, count=4, **fields())
    assert [s.starts_at for s in made] == [MONDAY + datetime.timedelta(weeks=n) for n in range(4)]
    assert len({s.series for s in made}) == 1 and made[0].series is not None


def test_only_a_service_admin_schedules(cast):
    for actor in (cast.cns_a, cast.gp_a, cast.patient_user, cast.auditor):
        with pytest.raises(PermissionDenied):
            sessions.schedule(actor=actor, **fields())
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"ends_at": MONDAY - datetime.timedelta(minutes=30)}, "ends_at", "end time must be after the start"),
        ({"starts_at": None, "ends_at": None}, "starts_at", "to be confirmed"),
        ({"capacity": 0}, "capacity", "1 or more"),
        ({"joining_link": ""}, "joining_link", "joining link"),
        ({"online": False, "joining_link": ""}, "place", "where the session is"),
        ({"booking_closes_at": MONDAY + datetime.timedelta(hours=2)}, "booking_closes_at", "close before"),
    ],
)
def test_each_bad_field_gets_its_own_message(cast, change, field, words):
    with pytest.raises(ValidationError) as refused:
        sessions.schedule(actor=cast.admin, **fields(**change))
    assert words in " ".join(refused.value.message_dict[field])


def test_a_to_be_confirmed_session_has_a_month_instead(cast):
    (made,) = sessions.schedule(
        actor=cast.admin, **fields(starts_at=None, ends_at=None, tbc_month=datetime.date(2027, 3, 1))
    )
    assert made.starts_at is None and bookings.when_text(made) == "March 2027 (date to be confirmed)"


def test_capacity_below_places_taken_is_refused_and_more_promotes_the_waiting_list(cast):
    session = make_session(capacity=2)
    a, b = PatientFactory(), PatientFactory(email="b@example.com")
    bookings.book(session, actor=cast.admin, patient=a, carers=1)
    waiting = bookings.book(session, actor=cast.admin, patient=b)
    with pytest.raises(ValidationError, match="2 places are already booked"):
        sessions.edit(session, actor=cast.admin, capacity=1)
    sessions.edit(session, actor=cast.admin, capacity=3)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.BOOKED


def test_cancelling_a_session_tells_everyone_once(cast):
    session = make_session(capacity=1)
    bookings.book(session, actor=cast.patient_user, patient=cast.patient)
    bookings.book(session, actor=cast.admin, patient=PatientFactory(email="w@example.com"))
    bookings.request_place(session, name="Jo", phone="0113 496 0000")  # phone only: the admin calls
    assert sessions.cancel(session, actor=cast.admin) == 2
    assert sessions.cancel(session, actor=cast.admin) == 0
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.CANCELLED}
    assert Notification.objects.filter(template="wellbeing.session_cancelled").count() == 2


def test_the_reminder_goes_the_day_before_once_and_only_to_people_booked(cast):
    starts = timezone.now() + datetime.timedelta(days=2)
    session = make_session(capacity=1, starts_at=starts)
    bookings.book(session, actor=cast.patient_user, patient=cast.patient)
    bookings.book(session, actor=cast.admin, patient=PatientFactory(email="w@example.com"))  # waiting
    assert reminders.run(now=starts - datetime.timedelta(hours=30)) == 0  # too early
    assert reminders.run(now=starts - datetime.timedelta(hours=23)) == 1
    assert reminders.run(now=starts - datetime.timedelta(hours=22)) == 0  # never twice
    sent = Notification.objects.get(template="wellbeing.reminder")
    assert sent.recipient == cast.patient.email and "teams.example.nhs.uk" in sent.context["secret_where"]
