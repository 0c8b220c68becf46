"""The follow-up and surveillance tests in a summary's plan (issue 15 item 6, ADR 0054): asked of
the follow-up app through the hub (`surveillance_plan`), live while the version is a draft, and kept
on the version at sign-off (`SummaryVersion.surveillance_plan`), so what the GP was sent never
changes when the pathway does."""

import datetime

from portal.people import hub
from portal.ui.presenters import format_date

NO_PATHWAY = "No follow-up pathway is set for this patient yet"
NO_PATHWAY_SIGNED = "No follow-up pathway was set when this summary was signed off"
NO_TESTS = "No follow-up tests are planned on the pathway"
SNAPSHOT_KEYS = ("test", "code", "interval", "every_months", "next_due", "dates", "until", "arranged_by", "status")


def live_plan(version, user) -> dict | None:
    """The patient's follow-up plan with the summary's team now, as this user may read it."""
    summary = version.summary
    return hub.surveillance_plan(summary.patient, summary.team, user)


def snapshot(plan: dict | None) -> dict | None:
    """What is kept at sign-off: the pathway's name and the rows, nothing about who was looking."""
    if plan is None:
        return None
    rows = [{key: row.get(key) for key in SNAPSHOT_KEYS} for row in plan.get("rows", [])]
    return {"pathway": plan.get("pathway"), "rows": rows}


def _date(iso: str | None) -> str:
    return format_date(datetime.date.fromisoformat(iso)) if iso else ""


def line(row: dict) -> str:
    """ "Mammogram: yearly, next due 12 March 2027, until 2031; arranged by the hospital team"."""
    parts = [row["interval"]] if row.get("interval") else []
    if row.get("next_due"):
        parts.append(f"next due {_date(row['next_due'])}")
        if row.get("until") and row["until"] != row["next_due"]:
            parts.append(f"until {row['until'][:4]}")
    else:
        parts.append(row.get("status") or "no more tests planned")
    text = f"{row['test']}: {', '.join(parts)}"
    by = row.get("arranged_by") or ""
    by = by if by[:2].isupper() else by[:1].lower() + by[1:]  # "Hospital team", but "GP practice" as it is
    return text + (f"; arranged by the {by}" if by else "")


def lines(plan: dict | None, *, signed: bool) -> list[str] | str | None:
    """The plan as the summary shows it: a line per test, or why there are none; None to show nothing
    (a version signed before plans were kept, or no follow-up app)."""
    if plan is None:
        return None
    if not plan.get("pathway"):
        return NO_PATHWAY_SIGNED if signed else NO_PATHWAY
    return [line(row) for row in plan.get("rows", [])] or NO_TESTS
