"""What the wellbeing pages show of a session: words, not model fields. No one's name or contact
on any public page; the joining link only to someone booked."""

from django.db.models import Q
from django.utils import timezone

from portal.ui.presenters import format_date
from wellbeing.models import Category, Session, SessionStatus
from wellbeing.services.bookings import BookingRefused, check_open, places_left, when_text, when_words


def upcoming(category: str = ""):
    """Scheduled sessions still to come (dated, or to be confirmed this month or later), soonest first."""
    now = timezone.now()
    month = timezone.localdate().replace(day=1)
    query = Session.objects.filter(status=SessionStatus.SCHEDULED).filter(
        Q(starts_at__gt=now) | Q(starts_at__isnull=True, tbc_month__gte=month)
    )
    return query.filter(category=category) if category in Category.values else query


LIST_FIELDS = ("id", "title", "category", "starts_at", "tbc_month", "online", "place", "who_for")
CATEGORY_WORDS = dict(Category.choices)


def by_month(sessions) -> list[tuple[str, list[dict]]]:
    """Cards grouped by month. The public list may hold hundreds (the bench has 500): rows, not model
    instances, and each start converted to local time once, halve its time (ADR 0042's benchmark)."""
    groups: dict[str, list[dict]] = {}
    for row in sessions.values(*LIST_FIELDS):
        local = timezone.localtime(row["starts_at"]) if row["starts_at"] else None
        groups.setdefault(f"{local or row['tbc_month']:%B %Y}", []).append(
            {
                "href": f"/wellbeing/sessions/{row['id']}/",
                "title": row["title"],
                "category": CATEGORY_WORDS.get(row["category"], row["category"]),
                "when": when_words(local, row["tbc_month"]),
                "how": "Online" if row["online"] else row["place"],
                "who_for": row["who_for"],
            }
        )
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
