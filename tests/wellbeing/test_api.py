"""/api/v1/wellbeing/sessions/ and /api/v1/wellbeing/bookings/ (issue 13 item 7): sessions for any
API client, with places left and no joining link; bookings scoped by the policy table (the patient's
own, all for service admins, none for care teams, practices or auditors), each one shown audited,
and the joining link only on a booked place."""

import pytest

from portal.audit.models import AuditEvent
from tests.factories import PatientFactory
from tests.wellbeing.factories import make_session
from wellbeing.services import bookings

pytestmark = pytest.mark.django_db
SESSIONS = "/api/v1/wellbeing/sessions/"
BOOKINGS = "/api/v1/wellbeing/bookings/"
LINK = "https://teams.example.nhs.uk/meet/fatigue"


def test_sessions_show_places_left_and_no_one_booked(cast, api_as):
    session = make_session(capacity=3)
    bookings.book(session, actor=cast.admin, patient=cast.patient, carers=1)
    api = api_as(cast.gp_a)
    listed = api.get(SESSIONS)
    assert listed.status_code == 200
    body = listed.json()
    assert body["count"] == 1 and body["results"][0]["places_left"] == 1
    assert LINK not in listed.content.decode() and cast.patient.nhs_number not in listed.content.decode()
    one = api.get(f"{SESSIONS}{session.pk}/").json()
    assert one["title"] == "Managing fatigue" and "joining_link" not in one
    assert api.get(f"{SESSIONS}not-an-id/").status_code == 404


def test_sessions_need_a_token(client):
    make_session()
    assert client.get(SESSIONS).status_code in (401, 403)


@pytest.mark.parametrize(
    ("who", "sees"),
    [("admin", {"mine", "theirs", "request"}), ("patient_user", {"mine"}), ("cns_a", set()), ("gp_a", set()),
     ("auditor", set())],
)  # fmt: skip
def test_bookings_are_scoped_by_the_policy_table(cast, api_as, who, sees):
    session = make_session(capacity=5)
    made = {
        "mine": bookings.book(session, actor=cast.admin, patient=cast.patient),
        "theirs": bookings.book(session, actor=cast.admin, patient=PatientFactory(care_teams=[cast.team_a])),
        "request": bookings.request_place(session, name="Jo Bloggs", phone="0113 496 0000"),
    }
    api = api_as(getattr(cast, who))
    listed = {row["id"] for row in api.get(BOOKINGS).json()["results"]}
    assert listed == {str(made[name].pk) for name in sees}
    for name, booking in made.items():
        assert api.get(f"{BOOKINGS}{booking.pk}/").status_code == (200 if name in sees else 404), name


def test_each_booking_shown_is_audited_and_the_link_only_when_booked(cast, api_as):
    full = make_session(capacity=1, title="Small group")
    booked = bookings.book(full, actor=cast.admin, patient=cast.patient)
    other = PatientFactory()
    waiting = bookings.book(full, actor=cast.admin, patient=other)
    api = api_as(cast.admin)
    rows = {row["id"]: row for row in api.get(BOOKINGS).json()["results"]}
    assert rows[str(booked.pk)]["joining_link"] == LINK and rows[str(waiting.pk)]["joining_link"] is None
    assert rows[str(booked.pk)]["session"]["places_left"] == 0
    events = AuditEvent.objects.filter(action="view", object_type="wellbeing.booking")
    assert {(e.patient_id, e.object_id) for e in events} == {
        (cast.patient.pk, str(booked.pk)),
        (other.pk, str(waiting.pk)),
    }
