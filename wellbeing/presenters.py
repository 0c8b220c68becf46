"""What the wellbeing pages show of a session: words, not model fields. No one's name or contact
on any public page; the joining link only to someone booked."""

from django.db.models import Q
from django.utils import timezone

from portal.ui.presenters import format_date
from wellbeing.models import Category, Session, SessionStatus
from wellbeing.services.bookings import BookingRefused, check_open, places_left, when_text


def upcoming(category: str = ""):
    """Scheduled sessions still to come (dated, or to be confirmed this month or later), soonest first."""
    now = timezone.now()
    month = timezone.localdate().replace(day=1)
    query = Session.objects.filter(status=SessionStatus.SCHEDULED).filter(
        Q(starts_at__gt=now) | Q(starts_at__isnull=True, tbc_month__gte=month)
    )
    return query.filter(category=category) if category in Category.values else query


def month_of(session) -> str:
    if session.starts_at is None:
        return f"{session.tbc_month:%B %Y}"
    return f"{timezone.localtime(session.starts_at):%B %Y}"


def by_month(sessions) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = {}
    for session in sessions:
        groups.setdefault(month_of(session), []).append(card(session))
    return list(groups.items())


def card(session) -> dict:
    return {
        "href": f"/wellbeing/sessions/{session.pk}/",
        "title": session.title,
        "category": session.get_category_display(),
        "when": when_text(session),
        "how": "Online" if session.online else session.place,
        "who_for": session.who_for,
    }


def bookable(session) -> str:
    """ "" when it can be booked now, else why not (in words)."""
    try:
        check_open(session)
    except BookingRefused as refused:
        return " ".join(refused.messages)
    return ""


def details(session, booking=None, *, admin=False) -> list[dict]:
    """Summary list rows for the session page; where to join only for someone booked (and the
    admin who runs it)."""
    rows = [
        ("What it is", session.get_category_display()),
        ("When", when_text(session)),
        ("Who it is for", session.who_for or "Anyone affected by cancer, and their carers"),
        ("Run by", session.facilitator or "The wellbeing team"),
        ("Places left", str(places_left(session))),
    ]
    if session.booking_closes_at:
        rows.append(("Booking closes", format_date(session.booking_closes_at)))
    if not session.online:
        rows.append(("Where", session.place))
    elif admin or (booking is not None and booking.status == "booked"):
        rows.append(("How to join", session.joining_link))
    else:
        rows.append(("Where", "Online: the joining link is sent to people booked"))
    return [{"key": {"text": k}, "value": {"text": v}} for k, v in rows]
