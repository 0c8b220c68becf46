"""Wellbeing demo stages for seed_demo (ADR 0023, ADR 0042): sessions in each category (one online,
one in person, one to be confirmed, one full with a waiting list, one cancelled), and the first demo
patient with an account booked on one and waiting on the full one. Made through the services as an
admin and the patient would; skipped when the sessions exist, so a second run makes nothing."""

import datetime

from django.utils import timezone

from portal.people.demo import Stage
from wellbeing import demo_library
from wellbeing.models import Category, Session
from wellbeing.services import bookings, sessions

days = datetime.timedelta


def _at(day_offset, hour):
    base = timezone.localtime() + days(days=day_offset)
    return base.replace(hour=hour, minute=0, second=0, microsecond=0)


def demo_stages(world) -> list:
    admin = world.user("admin.one")
    demo_library.make(admin)  # the resource library and services directory (ADR 0043)
    patient = world.patient(0)
    if not Session.objects.filter(title="Managing fatigue").exists():
        online = {"online": True, "joining_link": "https://teams.example.nhs.uk/meet/wellbeing-demo"}
        fatigue = sessions.schedule(
            actor=admin, every_days=7, count=4, title="Managing fatigue", category=Category.THERAPIES,
            description="Practical ways to save your energy and plan your day, with a physiotherapist.",
            starts_at=_at(5, 14), ends_at=_at(5, 15), capacity=12, facilitator="Riverside therapies team",
            who_for="Anyone with cancer-related fatigue, during or after treatment", **online,
            topics=demo_library.topics("fatigue"),
        )  # fmt: skip
        sessions.schedule(
            actor=admin, title="Coping with worry and anxiety", category=Category.PSYCHOLOGY,
            description="A clinical psychologist talks about worry after cancer, and what helps.",
            starts_at=_at(9, 10), ends_at=_at(9, 11, ), capacity=3, facilitator="Psychology service",
            online=False, place="Macmillan Information Centre, Riverside Hospital",
            topics=demo_library.topics("worry"),
        )  # fmt: skip
        sessions.schedule(
            actor=admin, title="Eating well during treatment", category=Category.THERAPIES,
            tbc_month=(timezone.localdate().replace(day=1) + days(days=40)).replace(day=1), capacity=15,
            facilitator="Dietetics", **online, topics=demo_library.topics("eating-well"),
        )  # fmt: skip
        sessions.schedule(
            actor=admin, title="Peripheral neuropathy: what to expect", category=Category.SACT,
            starts_at=_at(12, 13), ends_at=_at(12, 14), capacity=20, facilitator="Chemotherapy nurses", **online,
            topics=demo_library.topics("neuropathy"),
        )  # fmt: skip
        (cancelled,) = sessions.schedule(
            actor=admin, title="Talking with children about cancer", category=Category.PSYCHOLOGY,
            starts_at=_at(3, 18), ends_at=_at(3, 19), capacity=10, **online, topics=demo_library.topics("children"),
        )  # fmt: skip
        sessions.cancel(cancelled, actor=admin)
        full = Session.objects.get(title="Coping with worry and anxiety")
        for index in (2, 3, 4):
            bookings.book(full, actor=admin, patient=world.patient(index))
        bookings.book(fatigue[0], actor=patient.user, patient=patient, carers=1)
        bookings.book(full, actor=patient.user, patient=patient)
        bookings.request_place(fatigue[0], name="Sam Carter", phone="07700 900 999")
    return [
        Stage("Wellbeing: booked on 'Managing fatigue' with a carer; waiting for 'Coping with worry' (full)", patient),
    ]
