"""An iCalendar file (RFC 5545) for one session, so a person can put it in their phone's calendar.
Written by hand (a dozen lines, no new dependency): CRLF line ends, text escaped, long lines folded
at 75 octets, times in UTC. The joining link goes in only for someone booked, as on the page."""

import datetime

from django.conf import settings
from django.utils import timezone


def _escape(text: str) -> str:
    for raw, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\r\n", "\\n"), ("\n", "\\n")):
        text = text.replace(raw, escaped)
    return text


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets are split, each continuation starting with a space; never inside a
    UTF-8 character."""
    out, current = [], ""
    for char in line:
        limit = 75 if not out else 74  # a continuation's leading space counts
        if len((current + char).encode()) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return [out[0], *(f" {part}" for part in out[1:])]


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def session_ics(session, *, booked: bool, now=None) -> str:
    """The file's text, or "" for a session with no date yet (nothing to put in a calendar)."""
    if session.starts_at is None:
        return ""
    ends = session.ends_at or session.starts_at + datetime.timedelta(hours=1)
    page = f"{settings.PORTAL_BASE_URL}/wellbeing/sessions/{session.pk}/"
    if session.online:
        where = session.joining_link if booked else "Online (the joining link is sent to people booked)"
    else:
        where = session.place
    run_by = f"Run by {session.facilitator}" if session.facilitator else ""
    description = "\n".join(filter(None, [session.description, run_by, page]))
    fields = [
        ("BEGIN", "VCALENDAR"),
        ("VERSION", "2.0"),
        ("PRODID", "-//Personalised Cancer Care Portal//Wellbeing sessions//EN"),
        ("METHOD", "PUBLISH"),
        ("BEGIN", "VEVENT"),
        ("UID", f"wellbeing-session-{session.pk}@cancer-care-portal"),
        ("DTSTAMP", _utc(now or timezone.now())),
        ("DTSTART", _utc(session.starts_at)),
        ("DTEND", _utc(ends)),
        ("SUMMARY", _escape(session.title)),
        ("LOCATION", _escape(where)),
        ("DESCRIPTION", _escape(description)),
        ("STATUS", "CANCELLED" if session.status == "cancelled" else "CONFIRMED"),
        ("BEGIN", "VALARM"),
        ("ACTION", "DISPLAY"),
        ("DESCRIPTION", _escape(f"Tomorrow: {session.title}")),
        ("TRIGGER", "-P1D"),
        ("END", "VALARM"),
        ("END", "VEVENT"),
        ("END", "VCALENDAR"),
    ]
    lines = [folded for name, value in fields for folded in _fold(f"{name}:{value}")]
    return "\r\n".join(lines) + "\r\n"
