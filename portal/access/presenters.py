"""Display of the "Your sessions" page: device, place and times in plain words."""

from dataclasses import dataclass

from portal.access.sessions import session_ref
from portal.ui.presenters import format_date


def describe_device(session) -> str:
    """ "Chrome on Windows", from the user agent the browser sent."""
    info = session.device_info
    if info is None:
        return "Unknown device"
    browser = info.user_agent.family if info.user_agent and info.user_agent.family != "Other" else None
    system = info.os.family if info.os and info.os.family != "Other" else None
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown device"


@dataclass(frozen=True)
class SessionRow:
    ref: str
    device: str
    ip: str
    signed_in: str
    last_active: str
    is_current: bool


def session_rows(sessions, current_key: str | None) -> list[SessionRow]:
    rows = [
        SessionRow(
            ref=session_ref(s.session_key),
            device=describe_device(s),
            ip=s.ip or "Not known",
            signed_in=format_date(s.created_at),
            last_active=format_date(s.updated_at),
            is_current=s.session_key == current_key,
        )
        for s in sessions
    ]
    # This device first, then the others by last activity.
    return sorted(rows, key=lambda r: not r.is_current)
