"""The follow-up tests planned for a patient with one care team, as plain rows another app can show
and keep (the treatment summary's plan, issue 15 item 6, ADR 0054): one row per test, from the tests
on the patient's open pathway (moved, added and cancelled ones as they now are), not the protocol
alone. Read through `visible_to(user)`: a user who may not read follow-up gets nothing."""

from followup.models import OPEN_PATHWAY_STATUSES, Pathway, SurveillanceTest, TestStatus, TestType
from followup.path_queries import WAITING, may_stratify

# Who arranges each test, by where it is taken (TestType.where_taken).
ARRANGED_BY = {TestType.WhereTaken.GP: "GP practice", TestType.WhereTaken.HOSPITAL: "Hospital team"}
NEXT_DATES = 5  # the next few dates listed of each test (the rest are "until" its last)


def interval(months: int | None) -> str:
    """ "yearly", "every 6 months", "monthly"."""
    if not months:
        return ""
    if months % 12 == 0:
        years = months // 12
        return "yearly" if years == 1 else f"every {years} years"
    return "monthly" if months == 1 else f"every {months} months"


def _row(test_type, tests) -> dict:
    waiting = [t for t in tests if t.status in WAITING]
    # The protocol's steps for this test in order: "every 6 months, then yearly" (CEA after bowel cancer).
    steps = sorted({t.step for t in tests if t.step_id}, key=lambda step: step.start_months)
    every = steps[0].every_months if len(steps) == 1 else None
    upcoming = waiting[0] if waiting else None
    return {
        "test": test_type.name,
        "code": test_type.code,
        "interval": ", then ".join(dict.fromkeys(interval(step.every_months) for step in steps)),
        "every_months": every,
        "next_due": upcoming.due_date.isoformat() if upcoming else None,
        "dates": [t.due_date.isoformat() for t in waiting[:NEXT_DATES]],
        "until": tests[-1].due_date.isoformat(),
        "arranged_by": ARRANGED_BY.get(test_type.where_taken, ""),
        "status": upcoming.get_status_display() if upcoming else "No more tests planned",
    }


def surveillance_plan(patient, team, user) -> dict:
    """{"pathway": its name or None, "rows": [...], "set_url": where to choose one (if this user may)}.
    Each row: test, code, interval (empty for tests added by hand), every_months (None unless one
    regular step), next_due, dates (the next few, ISO), until, arranged_by, status; soonest first."""
    pathway = (
        Pathway.objects.visible_to(user)
        .filter(patient=patient, team=team, status__in=OPEN_PATHWAY_STATUSES)
        .select_related("protocol_version__protocol")
        .first()
    )
    if pathway is None:
        may = may_stratify(user, patient)
        return {"pathway": None, "rows": [], "set_url": f"/follow-up/patients/{patient.pk}/stratify/" if may else ""}
    tests = (
        SurveillanceTest.objects.visible_to(user)
        .filter(pathway=pathway)
        .exclude(status=TestStatus.CANCELLED)
        .select_related("test_type", "step")
        .order_by("due_date")
    )
    by_type: dict = {}
    for test in tests:
        by_type.setdefault(test.test_type, []).append(test)
    rows = [_row(test_type, found) for test_type, found in by_type.items()]
    rows.sort(key=lambda row: (row["next_due"] is None, row["next_due"] or "", row["test"]))
    name = f"{pathway.get_kind_display()} follow-up ({pathway.protocol_version.protocol.name})"
    return {"pathway": name, "pathway_id": str(pathway.pk), "rows": rows, "set_url": ""}
