"""Reminders the day before (issue 13 item 4; Celery beat, hourly, ADR 0042): everyone booked on a
session that starts in the next 24 hours gets one email. Never twice: each booking is claimed by a
compare-and-set on `reminded_at` before its message is written, in the same transaction, and the
outbox's idempotency key is the booking. Two runs at once split the bookings between them."""

import datetime

from django.db import transaction
from django.utils import timezone

from wellbeing.models import Booking, BookingStatus, SessionStatus
from wellbeing.services.bookings import tell_all

AHEAD = datetime.timedelta(hours=24)


def due(now):
    return Booking.objects.filter(
        status=BookingStatus.BOOKED,
        reminded_at__isnull=True,
        session__status=SessionStatus.SCHEDULED,
        session__starts_at__gt=now,
        session__starts_at__lte=now + AHEAD,
    )


@transaction.atomic
def run(now=None) -> int:
    """Remind every booking due one; how many this run reminded."""
    now = now or timezone.now()
    # Locked until this transaction ends, and skipped by a run at the same moment: ours alone.
    ids = list(due(now).select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True))
    Booking.objects.filter(pk__in=ids).update(reminded_at=now, updated_at=now)
    for booking in Booking.objects.filter(pk__in=ids).select_related("session", "patient"):
        session = booking.session
        # Only people booked are told how to join (the public pages never show the link).
        tell_all(
            [booking], "wellbeing.reminder", secret_where=session.joining_link if session.online else session.place
        )
    return len(ids)
