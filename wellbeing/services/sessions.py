"""Scheduling wellbeing sessions (issue 13 item 3, ADR 0042): the service admins' work. Sessions are
not patient records, so the policy table has no row for them: policy.is_service_admin decides.

A series is made at once (the same session every week or fortnight); an edit may not take capacity
below the places already held; cancelling tells everyone booked or waiting, once each."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from portal.access import policy
from portal.audit.models import Action
from portal.audit.services import record
from wellbeing.models import ACTIVE, Booking, BookingStatus, Session, SessionStatus, new_series
from wellbeing.services.bookings import promote, tell_all

EDITABLE = (
    "title", "category", "description", "starts_at", "ends_at", "tbc_month", "online", "joining_link", "place",
    "capacity", "facilitator", "who_for", "booking_closes_at",
)  # fmt: skip
MOST_IN_A_SERIES = 52


def _require_admin(actor):
    if not policy.is_service_admin(actor):
        raise PermissionDenied("Only a service admin can schedule wellbeing sessions")


def check(fields: dict) -> dict:
    """The rules a session's fields must meet, each error naming its field."""
    errors = {}
    starts, ends, month = fields.get("starts_at"), fields.get("ends_at"), fields.get("tbc_month")
    if starts is None and month is None:
        errors["starts_at"] = "Enter the date and time, or choose 'to be confirmed' and the month"
    if starts is not None and ends is not None and ends <= starts:
        errors["ends_at"] = "The end time must be after the start time"
    if (fields.get("capacity") or 0) < 1:
        errors["capacity"] = "Enter how many places there are, 1 or more"
    if fields.get("online") and not fields.get("joining_link"):
        errors["joining_link"] = "Enter the joining link for an online session"
    if not fields.get("online") and not fields.get("place"):
        errors["place"] = "Enter where the session is"
    closes = fields.get("booking_closes_at")
    if closes is not None and starts is not None and closes > starts:
        errors["booking_closes_at"] = "Booking must close before the session starts"
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def schedule(*, actor, every_days: int = 0, count: int = 1, topics=(), **fields) -> list[Session]:
    """One session, or a series of `count` every `every_days` days (7: weekly), made together.
    `topics` (Topics, ADR 0043) are set on each: what "Suggested for you" matches on."""
    _require_admin(actor)
    check(fields)
    if not 1 <= count <= MOST_IN_A_SERIES:
        raise ValidationError({"count": f"A series can have 1 to {MOST_IN_A_SERIES} sessions"})
    if count > 1 and (every_days < 1 or fields.get("starts_at") is None):
        raise ValidationError({"every_days": "A series needs a start date and how often it repeats"})
    series = new_series() if count > 1 else None
    made = []
    for n in range(count):
        shift = datetime.timedelta(days=every_days * n)
        moved = {
            key: (value + shift if key in ("starts_at", "ends_at", "booking_closes_at") and value else value)
            for key, value in fields.items()
        }
        session = Session.objects.create(series=series, created_by=actor, **moved)
        if topics:
            session.topics.set(topics)
        record(Action.CREATE, actor=actor, obj=session)
        made.append(session)
    return made


@transaction.atomic
def edit(session, *, actor, topics=None, **changes) -> Session:
    """Change a session. Capacity below the places already held is refused, naming how many.
    `topics` (a list of Topics; None leaves them) is kept apart from EDITABLE: it is a relation."""
    _require_admin(actor)
    locked = Session.objects.select_for_update().get(pk=session.pk)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    fields = {name: getattr(locked, name) for name in EDITABLE} | changes
    check(fields)
    taken = locked.places_taken()
    if fields["capacity"] < taken:
        raise ValidationError(
            {"capacity": f"{taken} places are already booked: cancel bookings first, or keep {taken} places or more"}
        )
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save()
    if topics is not None:
        locked.topics.set(topics)
    record(Action.UPDATE, actor=actor, obj=locked)
    if "capacity" in changes:
        promote(locked)  # more places: the waiting list moves up
    return locked


@transaction.atomic
def cancel(session, *, actor) -> int:
    """Cancel a session and tell everyone booked, asking or waiting; how many were told. Twice: none."""
    _require_admin(actor)
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if locked.status == SessionStatus.CANCELLED:
        return 0
    now = timezone.now()
    Session.objects.filter(pk=locked.pk).update(status=SessionStatus.CANCELLED, cancelled_at=now, updated_at=now)
    record(Action.UPDATE, actor=actor, obj=locked)
    affected = list(Booking.objects.filter(session=locked, status__in=ACTIVE).select_related("patient"))
    Booking.objects.filter(pk__in=[b.pk for b in affected]).update(
        status=BookingStatus.CANCELLED, cancelled_at=now, updated_at=now
    )
    for booking in affected:
        booking.session = locked  # the words say it was cancelled, with its date
    return tell_all(affected, "wellbeing.session_cancelled")
