"""Sessions: idle and absolute limits, "Your sessions" (list and end), sign-out and disabling
end sessions (django-qsessions rows)."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from qsessions.models import Session

from portal.access.sessions import end_sessions, session_ref
from tests.access.conftest import LOGOUT, code_now, page_text, sign_in
from tests.conftest import give_totp
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1"
)


def signed_in_client(user, user_agent=CHROME_WINDOWS, ip="127.0.0.1") -> Client:
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    client.force_login(user)
    client.get("/")  # one request through the middleware records the device and IP
    return client


def is_signed_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# Idle and absolute limits


def test_fifteen_idle_minutes_sign_you_out(client, cast):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(cast.cns_a)
        assert client.get("/").status_code == 200
        traveller.shift(dt.timedelta(minutes=15, seconds=-1))
        assert client.get("/").status_code == 200  # just inside; activity renews the 15 minutes
        traveller.shift(dt.timedelta(minutes=15, seconds=-1))
        assert client.get("/").status_code == 200
        traveller.shift(dt.timedelta(minutes=15, seconds=1))
        assert is_signed_out(client.get("/"))  # just outside


def test_twelve_hours_after_sign_in_you_are_signed_out_however_active(client, cast):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(cast.cns_a)
        key = client.session.session_key
        for _ in range(72):  # a request every 10 minutes: never idle, up to exactly 12 hours
            traveller.shift(dt.timedelta(minutes=10))
            assert client.get("/").status_code == 200
        traveller.shift(dt.timedelta(seconds=1))  # just outside
        response = client.get("/role/")
        assert is_signed_out(response)
        assert response["Location"] == "/accounts/login/?next=/role/"
        assert not Session.objects.filter(session_key=key).exists()
        login_page = page_text(client.get(response["Location"]))
        assert "You have been signed out because you have been signed in for 12 hours" in login_page
        assert is_signed_out(client.get("/"))


def test_the_twelve_hours_start_at_each_sign_in(client, cast):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(cast.cns_a)
        traveller.shift(dt.timedelta(hours=11, minutes=55))
        client.force_login(cast.cns_a)  # a fresh sign-in
        traveller.shift(dt.timedelta(minutes=10))
        assert client.get("/").status_code == 200


def test_a_real_sign_in_starts_the_clock(client, cast):
    secret = give_totp(cast.patient_user)
    with time_machine.travel(START, tick=False):
        sign_in(client, cast.patient_user)
        client.post("/accounts/2fa/authenticate/", {"code": code_now(secret)})
        assert client.session["access.signed_in_at"] == START.timestamp()


def test_a_session_from_before_the_limit_starts_its_clock_at_its_next_request(client, cast):
    """A session with no sign-in time (made before the limit existed) is not signed out: its 12
    hours start at its next request, and run out 12 hours after that."""
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(cast.cns_a)
        session = client.session
        del session["access.signed_in_at"]
        session.save()
        traveller.shift(dt.timedelta(minutes=10))
        assert client.get("/").status_code == 200  # kept, clock started now
        assert client.session["access.signed_in_at"] == (START + dt.timedelta(minutes=10)).timestamp()
        for _ in range(72):
            traveller.shift(dt.timedelta(minutes=10))
            assert client.get("/").status_code == 200
        traveller.shift(dt.timedelta(seconds=1))
        assert is_signed_out(client.get("/role/"))


# Your sessions


def test_your_sessions_lists_only_your_own_and_marks_this_device(cast):
    laptop = signed_in_client(cast.cns_a, CHROME_WINDOWS, "10.0.0.5")
    signed_in_client(cast.cns_a, SAFARI_IPHONE, "10.0.0.9")
    signed_in_client(cast.cns_b, CHROME_WINDOWS, "10.0.0.77")

    response = laptop.get("/account/sessions/")
    assert response.status_code == 200
    text = page_text(response)
    assert "Your sessions" in text
    assert "Chrome on Windows (this device)" in text
    assert "Mobile Safari on iOS" in text
    assert "10.0.0.5" in text and "10.0.0.9" in text
    assert "10.0.0.77" not in text  # cns_b's session is not listed
    assert "Last active" in text
    # Session keys are bearer secrets: the page never shows one.
    html = response.content.decode()
    for key in Session.objects.values_list("session_key", flat=True):
        assert key not in html


def test_ending_another_of_your_sessions_signs_that_device_out(cast):
    laptop = signed_in_client(cast.cns_a, CHROME_WINDOWS)
    phone = signed_in_client(cast.cns_a, SAFARI_IPHONE)
    phone_key = phone.session.session_key

    response = laptop.post("/account/sessions/end/", {"session": session_ref(phone_key)})
    assert response.status_code == 302 and response["Location"] == "/account/sessions/"
    assert "You have signed out of that device" in page_text(laptop.get("/account/sessions/"))
    assert not Session.objects.filter(session_key=phone_key).exists()
    assert is_signed_out(phone.get("/"))
    assert laptop.get("/").status_code == 200


def test_someone_elses_session_is_not_found(cast):
    mine = signed_in_client(cast.cns_a)
    theirs = signed_in_client(cast.cns_b)
    their_key = theirs.session.session_key

    assert mine.post("/account/sessions/end/", {"session": session_ref(their_key)}).status_code == 404
    assert mine.post("/account/sessions/end/", {"session": their_key}).status_code == 404
    assert mine.post("/account/sessions/end/", {}).status_code == 404
    assert theirs.get("/").status_code == 200


def test_ending_this_device_signs_you_out(cast):
    laptop = signed_in_client(cast.cns_a)
    key = laptop.session.session_key
    response = laptop.post("/account/sessions/end/", {"session": session_ref(key)})
    assert is_signed_out(response)
    assert not Session.objects.filter(session_key=key).exists()


def test_sign_out_of_all_other_devices(cast):
    laptop = signed_in_client(cast.cns_a)
    others = [signed_in_client(cast.cns_a, SAFARI_IPHONE) for _ in range(2)]
    colleague = signed_in_client(cast.cns_b)

    response = laptop.post("/account/sessions/end-others/")
    assert response.status_code == 302
    assert "You have signed out of 2 other devices" in page_text(laptop.get("/account/sessions/"))
    assert all(is_signed_out(other.get("/")) for other in others)
    assert laptop.get("/").status_code == 200
    assert colleague.get("/").status_code == 200
    assert Session.objects.filter(user=cast.cns_a).count() == 1


def test_ending_sessions_needs_a_post_and_a_sign_in(client, cast):
    assert is_signed_out(client.get("/account/sessions/"))
    laptop = signed_in_client(cast.cns_a)
    assert laptop.get("/account/sessions/end/").status_code == 405
    assert laptop.get("/account/sessions/end-others/").status_code == 405


def test_patients_see_their_sessions_too(cast):
    client = signed_in_client(cast.patient_user)
    assert "(this device)" in page_text(client.get("/account/sessions/"))


# Signing out and disabling end sessions


def test_signing_out_deletes_the_session_row(client, cast):
    secret = give_totp(cast.patient_user)
    sign_in(client, cast.patient_user)
    client.post("/accounts/2fa/authenticate/", {"code": code_now(secret)})
    key = client.session.session_key
    assert Session.objects.filter(session_key=key, user=cast.patient_user).exists()
    client.post(LOGOUT)
    assert not Session.objects.filter(session_key=key).exists()


def test_disabling_a_user_in_admin_ends_all_their_sessions(cast):
    admin = UserFactory(is_staff=True, is_superuser=True)
    give_totp(admin)
    admin_client = signed_in_client(admin)
    victim_devices = [signed_in_client(cast.cns_b), signed_in_client(cast.cns_b, SAFARI_IPHONE)]
    assignment = cast.cns_b.role_assignments.get()

    response = admin_client.post(
        f"/admin/people/user/{cast.cns_b.pk}/change/",
        {
            "email": cast.cns_b.email,
            "first_name": cast.cns_b.first_name,
            "last_name": cast.cns_b.last_name,
            # is_active left out: the checkbox is unticked
            "role_assignments-TOTAL_FORMS": "1",
            "role_assignments-INITIAL_FORMS": "1",
            "role_assignments-MIN_NUM_FORMS": "0",
            "role_assignments-MAX_NUM_FORMS": "1000",
            "role_assignments-0-id": str(assignment.pk),
            "role_assignments-0-user": str(cast.cns_b.pk),
            "role_assignments-0-role": assignment.role,
            "role_assignments-0-organisation": str(assignment.organisation_id),
            "role_assignments-0-team": str(assignment.team_id),
        },
    )
    assert response.status_code == 302, re.findall(r'class="errorlist[^>]*>(.*?)</ul>', response.content.decode())
    cast.cns_b.refresh_from_db()
    assert cast.cns_b.is_active is False
    assert not Session.objects.filter(user=cast.cns_b).exists()
    for device in victim_devices:
        assert is_signed_out(device.get("/"))
    assert admin_client.get("/admin/").status_code == 200


def test_saving_an_active_user_in_admin_leaves_their_sessions(cast):
    signed_in_client(cast.cns_b)
    assert end_sessions(cast.patient_user) == 0
    assert Session.objects.filter(user=cast.cns_b).count() == 1


def test_qsessions_admin_lets_service_admins_end_sessions(cast):
    admin = UserFactory(is_staff=True, is_superuser=True)
    give_totp(admin)
    admin_client = signed_in_client(admin)
    victim = signed_in_client(cast.cns_b)
    key = victim.session.session_key

    assert admin_client.get("/admin/qsessions/session/").status_code == 200
    response = admin_client.post(
        "/admin/qsessions/session/", {"action": "delete_selected", "_selected_action": [key], "post": "yes"}
    )
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert is_signed_out(victim.get("/"))
