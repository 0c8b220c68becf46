"""The service admin's wellbeing pages (issue 13 items 3, 4, 6): schedule one session or a series
through the form, each bad input a message on its field with what was typed kept; the list with
places left, waiting list and requests; a session's bookings with confirm, cancel (which promotes
the waiting list) and attendance; edit and cancel. No one but a service admin reaches them."""

import datetime
import re

import pytest
from django.utils import timezone

from portal.audit.models import AuditEvent
from portal.outbox.models import Notification
from tests.factories import PatientFactory
from tests.wellbeing.factories import make_session
from wellbeing.models import Booking, BookingStatus, Session, SessionStatus
from wellbeing.services import bookings

pytestmark = pytest.mark.django_db


def _form(**changes) -> dict:
    day = timezone.localdate() + datetime.timedelta(days=14)
    data = {
        "title": "Sleep well",
        "category": "therapies",
        "description": "Better nights after treatment",
        "date_known": "yes",
        "date_day": str(day.day),
        "date_month": str(day.month),
        "date_year": str(day.year),
        "starts": "14:00",
        "ends": "3:30pm",
        "tbc_month": "",
        "online": "no",
        "joining_link": "",
        "place": "Macmillan centre, room 2",
        "capacity": "8",
        "facilitator": "Occupational therapy",
        "who_for": "Anyone with sleep problems",
        "closes_hours": "24",
        "repeat": "0",
        "count": "1",
    }
    return data | changes


@pytest.fixture
def admin(client, cast):
    client.force_login(cast.admin)
    return client


def test_an_admin_schedules_a_session_from_the_form(admin, cast):
    done = admin.post("/wellbeing/admin/sessions/new/", _form(), follow=True)
    assert done.status_code == 200 and "The session is scheduled" in done.content.decode()
    session = Session.objects.get(title="Sleep well")
    starts = timezone.localtime(session.starts_at)
    assert (starts.hour, starts.minute) == (14, 0)
    assert timezone.localtime(session.ends_at).time() == datetime.time(15, 30)
    assert session.starts_at - session.booking_closes_at == datetime.timedelta(hours=24)
    assert not session.online and session.place == "Macmillan centre, room 2" and session.capacity == 8


def test_a_series_is_made_at_once_a_week_apart(admin):
    admin.post("/wellbeing/admin/sessions/new/", _form(repeat="7", count="4"))
    made = list(Session.objects.filter(title="Sleep well").order_by("starts_at"))
    assert len(made) == 4 and len({s.series for s in made}) == 1
    assert made[3].starts_at - made[0].starts_at == datetime.timedelta(days=21)


def test_a_to_be_confirmed_session_takes_a_month(admin):
    page = admin.get("/wellbeing/admin/sessions/new/").content.decode()
    month = timezone.localdate().replace(day=1)
    assert f'value="{month.isoformat()}"' in page
    admin.post("/wellbeing/admin/sessions/new/", _form(date_known="no", tbc_month=month.isoformat(), date_day=""))
    session = Session.objects.get(title="Sleep well")
    assert session.starts_at is None and session.tbc_month == month


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"ends": "13:00"}, "The end time must be after the start time"),
        ({"starts": "25:00"}, "Start time must be a real time"),
        ({"starts": "teatime"}, "Start time must be a time, like 14:30"),
        ({"starts": ""}, "Enter the start time"),
        ({"date_day": "", "date_month": "", "date_year": ""}, "Enter the date of the session"),
        ({"date_known": "no", "tbc_month": ""}, "Choose the month the session will be in"),
        ({"capacity": "0"}, "Places must be between 1 and 500"),
        ({"place": ""}, "Enter where the session is"),
        ({"online": "yes", "joining_link": ""}, "Enter the joining link for an online session"),
        ({"closes_hours": "-2"}, "must be between 0 and 672"),
        ({"repeat": "7", "count": "60"}, "How many sessions in the series must be between 1 and 52"),
        ({"title": ""}, "Enter the title of the session"),
    ],
)
def test_bad_input_is_a_message_on_its_field_and_keeps_what_was_typed(admin, changes, words):
    response = admin.post("/wellbeing/admin/sessions/new/", _form(**changes))
    page = response.content.decode()
    assert response.status_code == 400 and words in page, page[:3000]
    assert "There is a problem" in page and "Macmillan centre, room 2" in page or "place" in changes
    assert not Session.objects.filter(title="Sleep well").exists()


def test_the_list_shows_places_left_waiting_and_requests(admin, cast):
    session = make_session(capacity=2, title="Coping with worry")
    bookings.book(session, actor=cast.admin, patient=cast.patient)
    bookings.request_place(session, name="Jo Bloggs", phone="0113 496 0000")
    bookings.book(session, actor=cast.admin, patient=PatientFactory())
    page = admin.get("/wellbeing/admin/sessions/").content.decode()
    row = page[page.index("Coping with worry") :][:600]
    assert "0 of 2" in row and ">1<" in row.replace(" ", ""), row


def test_the_list_is_soonest_first_with_to_be_confirmed_last(admin):
    make_session(title="Third", days_ahead=9)
    make_session(title="First", days_ahead=2)
    make_session(title="Later", starts_at=None, tbc_month=timezone.localdate().replace(day=1))
    make_session(title="Second", days_ahead=5)
    page = admin.get("/wellbeing/admin/sessions/").content.decode()
    assert [t for t in re.findall(r'">(First|Second|Third|Later)</a>', page)] == ["First", "Second", "Third", "Later"]


def test_a_session_page_lists_bookings_and_its_actions_work(admin, cast, mailoutbox):
    session = make_session(capacity=2, title="Coping with worry")
    mine = bookings.book(session, actor=cast.admin, patient=cast.patient)
    asked = bookings.request_place(session, name="Jo Bloggs", email="jo@example.com")
    waiting = bookings.book(session, actor=cast.admin, patient=PatientFactory(email="next@example.com"))
    page = admin.get(f"/wellbeing/admin/sessions/{session.pk}/").content.decode()
    assert cast.patient.full_name in page and "Jo Bloggs" in page and "jo@example.com" in page
    assert "https://teams.example.nhs.uk/meet/fatigue" in page  # the admin sees the joining link
    assert AuditEvent.objects.filter(object_id=str(mine.pk), action="view").exists()

    admin.post(f"/wellbeing/admin/bookings/{asked.pk}/confirm/")
    asked.refresh_from_db()
    assert asked.status == BookingStatus.BOOKED
    assert Notification.objects.filter(template="wellbeing.booked", recipient="jo@example.com").exists()

    admin.post(f"/wellbeing/admin/bookings/{mine.pk}/cancel/")
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.BOOKED  # promoted into the freed place
    assert Notification.objects.filter(template="wellbeing.promoted", recipient="next@example.com").exists()

    refused = admin.post(f"/wellbeing/admin/bookings/{waiting.pk}/attended/", follow=True).content.decode()
    assert "once the session has started" in refused
    assert Booking.objects.get(pk=waiting.pk).attended is None
    assert admin.post(f"/wellbeing/admin/bookings/{waiting.pk}/dance/").status_code == 404


def test_attendance_is_recorded_once_the_session_has_started(admin, cast):
    session = make_session(capacity=3)
    booking = bookings.book(session, actor=cast.admin, patient=cast.patient)
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    page = admin.get(f"/wellbeing/admin/sessions/{session.pk}/").content.decode()
    assert "Did not attend" in page
    admin.post(f"/wellbeing/admin/bookings/{booking.pk}/absent/")
    assert Booking.objects.get(pk=booking.pk).attended is False
    admin.post(f"/wellbeing/admin/bookings/{booking.pk}/attended/")
    assert Booking.objects.get(pk=booking.pk).attended is True


def test_edit_refuses_capacity_below_the_places_taken(admin, cast):
    session = make_session(capacity=3, online=False, joining_link="", place="Room 1")
    bookings.book(session, actor=cast.admin, patient=cast.patient, carers=1)
    edit = f"/wellbeing/admin/sessions/{session.pk}/edit/"
    form = admin.get(edit).content.decode()
    assert 'value="Room 1"' in form and "How many sessions in the series" not in form
    day = timezone.localtime(session.starts_at)
    data = _form(title=session.title, capacity="1", place="Room 1", closes_hours="")
    data |= {"date_day": str(day.day), "date_month": str(day.month), "date_year": str(day.year)}
    data["starts"], data["ends"] = f"{day:%H:%M}", ""
    refused = admin.post(edit, data)
    assert refused.status_code == 400 and "2 places are already booked" in refused.content.decode()
    admin.post(edit, data | {"capacity": "6"})
    assert Session.objects.get(pk=session.pk).capacity == 6


def test_cancelling_a_session_asks_first_then_tells_everyone(admin, cast):
    session = make_session(capacity=3)
    bookings.book(session, actor=cast.admin, patient=cast.patient)
    url = f"/wellbeing/admin/sessions/{session.pk}/cancel/"
    assert "1 person is booked" in admin.get(url).content.decode()
    assert Session.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED
    done = admin.post(url, follow=True).content.decode()
    assert "The session is cancelled. 1 person was emailed." in done
    assert Session.objects.get(pk=session.pk).status == SessionStatus.CANCELLED
    assert Notification.objects.filter(template="wellbeing.session_cancelled").count() == 1


@pytest.mark.parametrize("who", ["patient_user", "cns_a", "gp_a", "auditor", None])
def test_no_one_but_a_service_admin_reaches_the_admin_pages(client, cast, who):
    session = make_session()
    booking = bookings.book(session, actor=cast.admin, patient=cast.patient)
    if who:
        client.force_login(getattr(cast, who))
    for url in (
        "/wellbeing/admin/sessions/",
        "/wellbeing/admin/sessions/new/",
        f"/wellbeing/admin/sessions/{session.pk}/",
        f"/wellbeing/admin/sessions/{session.pk}/edit/",
        f"/wellbeing/admin/sessions/{session.pk}/cancel/",
    ):
        assert client.get(url).status_code == (404 if who else 302), url
    for action in ("confirm", "cancel", "attended"):
        assert client.post(f"/wellbeing/admin/bookings/{booking.pk}/{action}/").status_code == (404 if who else 302)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED
    assert Session.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED
