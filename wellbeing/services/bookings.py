"""Booking a wellbeing session (issue 13 item 4, ADR 0042).

Capacity is never exceeded, even under many requests at once: every change to a session's bookings
takes the session's row lock first (SELECT ... FOR UPDATE), then counts the places held (booked and
requested) and decides. The lock queues concurrent bookers; each sees the places the one before it
took. A patient has one active booking a session (a partial unique constraint backs the check).

Who may book is the policy table's WELLBEING_BOOKING row: a patient for themselves (self), a service
admin for anyone (all). Anyone without an account asks for a place (`request_place`): it holds the
places until an admin confirms or declines. A cancellation promotes the first on the waiting list
whose places fit, and tells them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.access import policy
from portal.access.kinds import RecordKind
from portal.audit.models import Action
from portal.audit.services import record
from portal.outbox.services import queue_notifications
from wellbeing.models import ACTIVE, HOLDING, Booking, BookingStatus, Session, SessionStatus

MAX_CARERS = 3


class BookingRefused(ValidationError):
    """A booking that cannot be made, with the words to show the person."""


def _locked(session) -> Session:
    return Session.objects.select_for_update().get(pk=session.pk)


def check_open(session, now=None) -> None:
    """Refuse a cancelled, past or closed session, each with its own words."""
    now = now or timezone.now()
    if session.status == SessionStatus.CANCELLED:
        raise BookingRefused("This session has been cancelled, so it cannot be booked")
    if session.starts_at is not None and session.starts_at <= now:
        raise BookingRefused("This session has already started or taken place, so it cannot be booked")
    if session.booking_closes_at is not None and session.booking_closes_at <= now:
        raise BookingRefused("Booking for this session has closed")


def _check_carers(carers: int) -> int:
    if not 0 <= carers <= MAX_CARERS:
        raise BookingRefused(f"You can bring up to {MAX_CARERS} carers or family members")
    return carers


def places_left(session) -> int:
    return max(0, session.capacity - session.places_taken())


def _status_for(session, places: int) -> str:
    return BookingStatus.BOOKED if session.places_taken() + places <= session.capacity else BookingStatus.WAITING


@transaction.atomic
def book(session, *, actor, patient, carers: int = 0) -> Booking:
    """A place for `patient` (and carers), or a place on the waiting list when it is full."""
    policy.require_for_patient(actor, RecordKind.WELLBEING_BOOKING, patient, "change")
    locked = _locked(session)
    check_open(locked)
    places = 1 + _check_carers(carers)
    if Booking.objects.filter(session=locked, patient=patient, status__in=ACTIVE).exists():
        raise BookingRefused("You are already booked on this session (or on its waiting list)")
    status = _status_for(locked, places)
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                session=locked, patient=patient, carers=carers, places=places, status=status, booked_by=actor
            )
    except IntegrityError as clash:  # the constraint behind the check above
        raise BookingRefused("You are already booked on this session (or on its waiting list)") from clash
    record(Action.CREATE, actor=actor, patient=patient, obj=booking)
    return booking


@transaction.atomic
def request_place(session, *, name: str, email: str = "", phone: str = "", carers: int = 0) -> Booking:
    """Someone without an account asks for a place: held (or waiting) until an admin confirms."""
    if not name.strip():
        raise BookingRefused("Enter your name")
    if not (email.strip() or phone.strip()):
        raise BookingRefused("Enter an email address or a phone number, so we can confirm your place")
    locked = _locked(session)
    check_open(locked)
    places = 1 + _check_carers(carers)
    full = _status_for(locked, places) == BookingStatus.WAITING
    booking = Booking.objects.create(
        session=locked,
        name=name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        carers=carers,
        places=places,
        status=BookingStatus.WAITING if full else BookingStatus.REQUESTED,
    )
    record(Action.CREATE, system_actor="wellbeing-request", obj=booking)
    return booking


@transaction.atomic
def confirm(booking, *, actor) -> Booking:
    """A service admin confirms a request: it was holding its places already."""
    policy.require(actor, booking, "change")
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.status != BookingStatus.REQUESTED:
        raise BookingRefused("Only a request waiting for confirmation can be confirmed")
    Booking.objects.filter(pk=locked.pk).update(status=BookingStatus.BOOKED, updated_at=timezone.now())
    locked.refresh_from_db()
    record(Action.UPDATE, actor=actor, patient=locked.patient, obj=locked)
    tell_all([locked], "wellbeing.booked")
    return locked


@transaction.atomic
def cancel(booking, *, actor) -> Booking:
    """The patient (or an admin) cancels; the first on the waiting list whose places fit is promoted
    and told. Cancelling twice changes nothing more."""
    policy.require(actor, booking, "change")
    session = _locked(booking.session)
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.status == BookingStatus.CANCELLED:
        return locked
    freed = locked.status in HOLDING
    Booking.objects.filter(pk=locked.pk).update(
        status=BookingStatus.CANCELLED, cancelled_at=timezone.now(), updated_at=timezone.now()
    )
    locked.refresh_from_db()
    record(Action.UPDATE, actor=actor, patient=locked.patient, obj=locked)
    if freed:
        promote(session)
    return locked


@transaction.atomic
def record_attendance(booking, *, actor, attended: bool, now=None) -> Booking:
    """A service admin records whether a booked person came, once the session has started. Not the
    patient, though the table lets them change their own booking: attendance is the admin's record."""
    if not policy.is_service_admin(actor):
        raise PermissionDenied("Only a service admin records attendance")
    policy.require(actor, booking, "change")
    locked = Booking.objects.select_for_update().select_related("session").get(pk=booking.pk)
    session = locked.session
    if locked.status != BookingStatus.BOOKED:
        raise BookingRefused("Attendance is recorded only for people with a booked place")
    if session.starts_at is None or session.starts_at > (now or timezone.now()):
        raise BookingRefused("Attendance can be recorded once the session has started")
    Booking.objects.filter(pk=locked.pk).update(attended=attended, updated_at=timezone.now())
    locked.attended = attended
    record(Action.UPDATE, actor=actor, patient=locked.patient, obj=locked)
    return locked


def promote(session) -> list[Booking]:
    """Inside the caller's lock on the session: move waiting bookings up, first come first served,
    while their places fit (one that does not fit waits; a smaller one behind it may go)."""
    promoted = []
    left = session.capacity - session.places_taken()
    for waiting in Booking.objects.filter(session=session, status=BookingStatus.WAITING).select_related("patient"):
        if waiting.places > left:
            continue
        status = BookingStatus.BOOKED if waiting.patient_id else BookingStatus.REQUESTED
        Booking.objects.filter(pk=waiting.pk).update(status=status, updated_at=timezone.now())
        waiting.status = status
        left -= waiting.places
        record(Action.UPDATE, system_actor="wellbeing-waiting-list", patient=waiting.patient, obj=waiting)
        tell_all([waiting], "wellbeing.promoted")
        promoted.append(waiting)
    return promoted


def message(booking, template: str, **extra) -> dict | None:
    """The outbox row that emails this booking's person (the patient's address, or the one given
    with a request), once per booking and template; None for a phone-only request (the admin
    list shows who to call)."""
    patient = booking.patient
    email = patient.email if patient is not None else booking.email
    if not email:
        return None
    session = booking.session
    return {
        "recipient": email,
        "channel": "email",
        "template": template,
        "patient": patient,
        "idempotency_key": f"{template}:{booking.pk}",
        "context": {
            "name": patient.given_name if patient is not None else booking.name,
            "title": session.title,
            "when": when_text(session),
            **extra,
        },
    }


def tell_all(bookings_, template: str, **extra) -> int:
    """Email each of these bookings' people; how many messages were written."""
    rows = [row for row in (message(b, template, **extra) for b in bookings_) if row is not None]
    queue_notifications(rows)
    return len(rows)


def when_text(session) -> str:
    return when_words(timezone.localtime(session.starts_at) if session.starts_at else None, session.tbc_month)


def when_words(local, tbc_month) -> str:
    """A local start time (or none, and the month it is to be confirmed in) in words."""
    if local is None:
        return f"{tbc_month:%B %Y} (date to be confirmed)"
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"
