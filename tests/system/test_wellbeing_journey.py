"""Journey (issue 13 item 8): a service admin schedules a 3-place session through the admin pages (a
bad submit first); three patients each sign in and book it; a fourth joins the waiting list; one of
the three cancels from My bookings and the fourth is promoted and emailed; the admin's page shows it
full with the people booked; the reminders the day before reach the three booked, once each. Axe
runs on every page (tests/system/conftest.py's every-page check, and a check where the journey stops)."""

import datetime
import re

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from portal.outbox import services as outbox
from portal.outbox.models import Notification
from tests.factories import PatientFactory, UserFactory
from tests.system.conftest import DESKTOP, NARROWEST, PHONE, assert_fits
from tests.system.test_hna_journey import heading, sign_in
from wellbeing.models import Booking, BookingStatus, Session
from wellbeing.services import reminders

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.system, pytest.mark.long(seconds=40)]
TITLE = "Eating well during treatment"
PLACE = "Maggie's Centre, St James's Hospital, Leeds"


@pytest.fixture
def patients(cast):
    """Four patients with accounts: the cast's, and three more of the same team."""
    people = [cast.patient]
    for n in range(3):
        patient = PatientFactory(registered_practice=cast.practice_a, care_teams=[cast.team_a])
        patient.user = UserFactory(
            email=f"wellbeing.{n}@example.com", first_name=patient.given_name, last_name=patient.family_name
        )
        patient.save()
        people.append(patient)
    return people


def fill_in_the_session(page, day: datetime.date, *, place: str):
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Physiotherapy, occupational therapy and dietetics").check()
    page.get_by_label("Yes, the date and time are set").check()
    date = page.get_by_role("group", name="Date", exact=True)
    date.get_by_label("Day").fill(str(day.day))
    date.get_by_label("Month").fill(str(day.month))
    date.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time").fill("14:30")
    page.get_by_label("End time").fill("16:00")
    page.get_by_label("In person", exact=True).check()
    page.get_by_label("Place (in person)").fill(place)
    page.get_by_label("Places", exact=True).fill("3")
    page.get_by_role("button", name="Schedule").click()


def admin_schedules_the_session(admin, live_server, cast, assert_accessible) -> Session:
    day = timezone.localdate() + datetime.timedelta(days=4)
    sign_in(admin, live_server, cast, cast.admin, assert_accessible)
    expect(heading(admin)).to_have_text("Wellbeing services admin")
    admin.get_by_role("link", name="Schedule a session").click()
    expect(heading(admin)).to_have_text("Schedule a session")
    assert_accessible(admin)

    # An in-person session with nowhere given comes back with the error on that field, nothing lost
    fill_in_the_session(admin, day, place="")
    expect(admin.locator(".nhsuk-error-summary")).to_contain_text("Enter where the session is")
    expect(admin).to_have_title(re.compile(r"^Error: "))
    expect(admin.get_by_label("Title", exact=True)).to_have_value(TITLE)
    assert_accessible(admin)
    assert not Session.objects.exists()

    fill_in_the_session(admin, day, place=PLACE)
    expect(heading(admin)).to_have_text(TITLE)
    expect(admin.get_by_role("main")).to_contain_text(f"The session is scheduled: {TITLE}.")
    expect(admin.get_by_role("main")).to_contain_text("3 of 3 places left; 0 on the waiting list")
    expect(admin.get_by_role("main")).to_contain_text("No one has booked yet.")
    assert_accessible(admin)
    session = Session.objects.get()
    starts = timezone.localtime(session.starts_at)
    assert (starts.date(), starts.hour, starts.minute, session.capacity) == (day, 14, 30, 3)
    assert (session.online, session.place) == (False, PLACE)
    return session


def patient_signs_in(browser, live_server, patient):
    """Each patient on their own phone (a browser context of their own)."""
    page = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(patient.user.email)
    page.get_by_label("Password").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(heading(page)).to_contain_text("My care")
    return page


def patient_books(page, live_server, assert_accessible, *, first=False):
    """The list, the session, "Book my place". The every-page check runs axe on each page; the first
    patient's pages are also checked here, where the journey stops, and at 320 px wide."""
    check = assert_accessible if first else lambda page: None
    page.goto(live_server.url + "/wellbeing/sessions/")
    expect(heading(page)).to_have_text("Wellbeing sessions")
    check(page)
    page.get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_role("main")).to_contain_text(PLACE)
    check(page)
    if first:
        assert_fits(page, NARROWEST, PHONE)  # the summary list and the booking form, on a small phone
    page.get_by_role("button", name="Book my place").click()
    expect(page.get_by_role("button", name="Cancel my place")).to_be_visible()
    check(page)


def test_schedule_book_wait_cancel_promote_and_remind(live_server, browser, cast, patients, assert_accessible):
    admin = browser.new_context(viewport=DESKTOP).new_page()
    first, second, third, fourth = patients

    # Given a service admin schedules a 3-place session in person, four days ahead
    session = admin_schedules_the_session(admin, live_server, cast, assert_accessible)

    # When three patients each sign in, find it in the list and book it
    phones = {}
    for n, patient in enumerate((first, second, third)):
        phones[patient] = phone = patient_signs_in(browser, live_server, patient)
        patient_books(phone, live_server, assert_accessible, first=n == 0)
        expect(phone.get_by_role("main")).to_contain_text(f"Your place on {TITLE} is booked.")
        expect(phone.get_by_role("main")).to_contain_text("You are booked on this session.")
    booked = Booking.objects.filter(session=session, status=BookingStatus.BOOKED)
    assert set(booked.values_list("patient", flat=True)) == {first.pk, second.pk, third.pk}

    # Then a fourth, booking the same way, is on the waiting list, not booked
    phones[fourth] = phone = patient_signs_in(browser, live_server, fourth)
    patient_books(phone, live_server, assert_accessible)
    expect(phone.get_by_role("main")).to_contain_text("The session is full: you are on the waiting list.")
    expect(phone.get_by_role("main")).to_contain_text("You are on the waiting list. We will email you")
    assert_accessible(phone)
    assert Booking.objects.get(patient=fourth).status == BookingStatus.WAITING
    assert booked.count() == 3

    # When the first opens My bookings, goes to the session and cancels their place
    phone = phones[first]
    phone.goto(live_server.url + "/wellbeing/my-bookings/")
    expect(heading(phone)).to_have_text("My bookings")
    expect(phone.get_by_role("main")).to_contain_text("Booked")
    assert_accessible(phone)
    phone.get_by_role("link", name=TITLE).click()
    phone.get_by_role("button", name="Cancel my place").click()
    expect(heading(phone)).to_have_text("My bookings")
    expect(phone.get_by_role("main")).to_contain_text("Your place has been cancelled.")
    expect(phone.get_by_role("main")).to_contain_text("You have no sessions booked.")
    assert_accessible(phone)

    # Then the fourth is booked: their My bookings and the session page say so
    phone = phones[fourth]
    phone.goto(live_server.url + "/wellbeing/my-bookings/")
    expect(phone.get_by_role("main")).to_contain_text(TITLE)
    expect(phone.get_by_role("main").locator(".nhsuk-tag")).to_have_text("Booked")
    assert_accessible(phone)
    phone.get_by_role("link", name=TITLE).click()
    expect(phone.get_by_role("main")).to_contain_text("You are booked on this session.")
    assert_accessible(phone)

    # And they are emailed, once: the outbox row, then the email the sender sends
    promoted = Notification.objects.filter(template="wellbeing.promoted")
    assert list(promoted.values_list("recipient", "patient")) == [(fourth.email, fourth.pk)]
    outbox.send_pending()
    assert Notification.objects.get(template="wellbeing.promoted").status == Notification.Status.SENT
    sent = [m for m in mail.outbox if m.to == [fourth.email]]
    assert len(sent) == 1 and TITLE in sent[0].subject and "it is now yours" in sent[0].body

    # And the admin's page shows the session full, with the three booked and the one who cancelled
    admin.reload()
    main = admin.get_by_role("main")
    expect(main).to_contain_text("0 of 3 places left; 0 on the waiting list")
    rows = admin.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(3)
    for patient in (second, third, fourth):
        expect(rows.filter(has_text=patient.full_name)).to_contain_text("Booked")
    expect(admin.get_by_role("heading", name="Cancelled")).to_be_visible()
    expect(admin.get_by_role("list").filter(has_text=first.full_name)).to_be_visible()
    assert_accessible(admin)

    # When the reminders run the evening before (the hourly beat task's body), 20 hours ahead
    evening_before = session.starts_at - datetime.timedelta(hours=20)
    day_before = timezone.localtime(session.starts_at).date() - datetime.timedelta(days=1)
    assert timezone.localtime(evening_before).date() == day_before
    assert reminders.run(now=session.starts_at - datetime.timedelta(hours=25)) == 0  # not yet: 25 hours before
    assert reminders.run(now=evening_before) == 3

    # Then each of the three booked has one reminder, the one who cancelled none; a second run adds none
    reminded = Notification.objects.filter(template="wellbeing.reminder")
    assert sorted(reminded.values_list("recipient", flat=True)) == sorted(p.email for p in (second, third, fourth))
    assert all(n.context["secret_where"] == PLACE for n in reminded)
    assert reminders.run(now=evening_before + datetime.timedelta(hours=1)) == 0
    assert reminded.count() == 3
    assert not Notification.objects.filter(patient=first).exists()
    assert len(browser.check.checked) > 20  # the every-page check watched this journey's pages too
