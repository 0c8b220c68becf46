"""Wellbeing data for the benchmarks (issue 13), in its own process against the bench database (the
harness sets DJANGO_SETTINGS_MODULE and DATABASE_URL):

- `python -m tests.bench.seed_wellbeing sessions --series 20 --weekly 25`: 500 upcoming sessions,
  scheduled by a service admin through wellbeing.services.sessions.schedule (weekly series, as the
  admins make them), for the public list.
- `... booking --patients 50 --sessions 4 --capacity 10`: that many sessions of 10 places and 50
  patients with accounts, each signed in (a session cookie per patient), for the booking bursts.
- `... outcome <session id> ...`: how each session's bookings stand, read back from the database.

Each prints JSON on its last line."""

import argparse
import datetime
import json
import time
from collections import Counter

import django

ODS_CODE = "RWB"  # not the other seeds' trusts: all may run against one database
PRACTICE_ODS = "W90001"
ADMIN_EMAIL = "admin.wellbeing.bench@example.com"
NHS_NUMBER_BASE = 900_000  # the other seeds use 500_000 and 700_000 upwards
TITLES = (
    "Managing fatigue", "Eating well during treatment", "Sleep and cancer", "Coping with worry",
    "Gentle exercise", "Living with lymphoedema", "Mindfulness for beginners", "Returning to work",
    "Looking after your skin", "Managing breathlessness", "Money and benefits", "Talking to children",
    "Tai chi", "Walking group", "Nutrition after surgery", "Pelvic floor health", "Carers' circle",
    "Relaxation and breathing", "Scanxiety", "Body image and confidence",
)  # fmt: skip


def service_admin():
    """The bench service admin (with an authenticator app, as staff have), made once per database:
    every subcommand runs in a process of its own and finds the one the first made."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from portal.people.models import Role, RoleAssignment, User
    from tests.factories import TrustFactory, UserFactory

    trust = TrustFactory(ods_code=ODS_CODE, name="Wellbeing Bench Trust")
    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    if admin is None:
        admin = UserFactory(email=ADMIN_EMAIL)
        TOTP.activate(admin, generate_totp_secret())
    RoleAssignment.objects.get_or_create(user=admin, role=Role.SERVICE_ADMIN, organisation=trust)
    return admin


def _fields(title: str, category: str, starts: datetime.datetime, online: bool, capacity: int) -> dict:
    where = {"joining_link": "https://teams.example.nhs.uk/meet/bench"} if online else {"place": "Maggie's Leeds"}
    return {
        "title": title,
        "category": category,
        "description": "A group session for people affected by cancer and the people who care for them.",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=1, minutes=30),
        "online": online,
        "capacity": capacity,
        "facilitator": "The wellbeing team",
        **where,
    }


def sessions(series: int, weekly: int) -> dict:
    """`series` weekly series of `weekly` sessions each, every one a title of its own, starting
    tomorrow at staggered times: series * weekly sessions spread over weekly weeks."""
    from django.utils import timezone

    from wellbeing.models import Category
    from wellbeing.presenters import upcoming
    from wellbeing.services.sessions import schedule

    if series > len(TITLES):
        raise SystemExit(f"at most {len(TITLES)} series (one title each)")
    admin = service_admin()
    categories = Category.values
    tomorrow = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + datetime.timedelta(days=1)
    started = time.perf_counter()
    made = 0
    for n, title in enumerate(TITLES[:series]):
        starts = tomorrow + datetime.timedelta(days=n % 7, hours=n % 6)
        fields = _fields(title, categories[n % len(categories)], starts, online=n % 2 == 0, capacity=12)
        made += len(schedule(actor=admin, every_days=7, count=weekly, **fields))
    return {
        "sessions": made,
        "titles": list(TITLES[:series]),
        "per_title": weekly,
        "upcoming": upcoming().count(),  # with any other seed's sessions: what the page should list
        "seed_seconds": round(time.perf_counter() - started, 1),
    }


def booking(patients: int, count: int, capacity: int) -> dict:
    """`count` sessions of `capacity` places (one per burst of bookings), and `patients` patients
    with accounts, each with a signed-in session cookie (as after signing in with a password:
    patients have no second factor)."""
    from django.conf import settings
    from django.utils import timezone

    from portal.people.demo import demo_nhs_number
    from tests.bench.seed import session_cookie
    from tests.factories import PatientFactory, PracticeFactory, UserFactory
    from wellbeing.models import Category
    from wellbeing.services.sessions import schedule

    admin = service_admin()
    practice = PracticeFactory(ods_code=PRACTICE_ODS, name="Wellbeing Bench Practice")
    starts = timezone.now() + datetime.timedelta(days=3)
    made = [
        schedule(
            actor=admin, **_fields(f"Booking burst {i}", Category.THERAPIES, starts, online=True, capacity=capacity)
        )[0]
        for i in range(count)
    ]
    cookies, cookie_name = [], None
    for i in range(patients):
        user = UserFactory(email=f"patient.wellbeing.{i}@example.com")
        PatientFactory(
            user=user,
            registered_practice=practice,
            nhs_number=demo_nhs_number(NHS_NUMBER_BASE + i),
            email=user.email,
            given_name=user.first_name,
        )
        signed_in = session_cookie(user)
        cookie_name = signed_in["cookie_name"]
        cookies.append(signed_in["cookie_value"])
    return {
        "sessions": [str(s.pk) for s in made],
        "capacity": capacity,
        "cookie_name": cookie_name,
        "cookies": cookies,
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
    }


def outcome(session_ids: list[str]) -> dict:
    """Per session: bookings by status, places taken, and whether each patient has one booking."""
    from wellbeing.models import Booking, Session

    answer = {}
    for pk in session_ids:
        session = Session.objects.get(pk=pk)
        rows = list(Booking.objects.filter(session=session).values_list("status", "patient_id"))
        answer[pk] = {
            "statuses": dict(Counter(status for status, _ in rows)),
            "places_taken": session.places_taken(),
            "capacity": session.capacity,
            "patients": len({patient for _, patient in rows}),
            "bookings": len(rows),
        }
    return answer


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    listed = sub.add_parser("sessions")
    listed.add_argument("--series", type=int, default=20)
    listed.add_argument("--weekly", type=int, default=25)
    burst = sub.add_parser("booking")
    burst.add_argument("--patients", type=int, default=50)
    burst.add_argument("--sessions", type=int, default=1)
    burst.add_argument("--capacity", type=int, default=10)
    sub.add_parser("outcome").add_argument("session_ids", nargs="+")
    args = parser.parse_args()
    django.setup()
    if args.command == "sessions":
        answer = sessions(args.series, args.weekly)
    elif args.command == "booking":
        answer = booking(args.patients, args.sessions, args.capacity)
    else:
        answer = outcome(args.session_ids)
    print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
