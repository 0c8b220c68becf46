"""The sweep's safety net (issue 11 item 4): worklist items for what has waited too long, and
closing them once their cause is gone. raise_item never makes a second open item for a source (its
partial unique index decides, even for two runs at once); items below are raised once per source,
except "no next step", which comes back while the pathway still has none (ADR 0029)."""

import datetime
from collections import Counter

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone

from followup.models import (
    OPEN_PATHWAY_STATUSES,
    CheckIn,
    Concern,
    ConcernStatus,
    Pathway,
    PathwayKind,
    Result,
    SurveillanceTest,
    TestStatus,
)
from followup.services import sweep_pages
from followup.working_days import working_days_between
from portal.worklist.models import OPEN_STATUSES, Kind, Priority, WorkItem
from portal.worklist.services import close_for_sources, raise_items

SYSTEM_ACTOR = "followup-sweep"
OPEN_CONCERN = (ConcernStatus.OPEN, ConcernStatus.TRIAGED)
AWAITING_RESULT = (TestStatus.SCHEDULED, TestStatus.REQUESTED, TestStatus.MISSED)


def _before_working_days(today, n) -> datetime.date:
    """The latest day from which more than `n` working days have passed by today."""
    day = today
    while working_days_between(day, today) <= n:
        day -= datetime.timedelta(days=1)
    return day


def _fmt(day) -> str:
    return f"{day:%-d %B %Y}"


def late_tests(today):
    return SurveillanceTest.objects.filter(
        status__in=AWAITING_RESULT, due_date__lte=today - datetime.timedelta(days=settings.FOLLOWUP_NO_RESULT_DAYS)
    )


def no_result(today):
    return (
        late_tests(today)
        .filter(pathway__status__in=OPEN_PATHWAY_STATUSES)
        .exclude(Exists(Result.objects.filter(test=OuterRef("pk"))))
    )


def result_to_review(today):
    cutoff = _before_working_days(today, settings.FOLLOWUP_REVIEW_WORKING_DAYS)
    return Result.objects.filter(test__isnull=False, reviewed_at__isnull=True, received_at__date__lte=cutoff)


def result_to_tell(today):
    cutoff = _before_working_days(today, settings.FOLLOWUP_TELL_WORKING_DAYS)
    return Result.objects.filter(test__isnull=False, told_at__isnull=True, reviewed_at__date__lte=cutoff)


def checkin_unanswered(today):
    return CheckIn.objects.filter(answered_at__isnull=True, due_by__lt=today, pathway__status__in=OPEN_PATHWAY_STATUSES)


def concern_overdue(today):
    return Concern.objects.filter(status=ConcernStatus.OPEN, triaged_at__isnull=True, respond_by__lt=timezone.now())


def no_next_step(today):
    """Open pathways with nothing ahead: no test still to come, no open concern, no open item for the
    patient with the team, and (patient-initiated) no window still running."""
    future_test = SurveillanceTest.objects.filter(
        pathway=OuterRef("pk"), status__in=(TestStatus.SCHEDULED, TestStatus.REQUESTED), due_date__gte=today
    )
    open_concern = Concern.objects.filter(pathway=OuterRef("pk"), status__in=OPEN_CONCERN)
    open_item = WorkItem.objects.filter(
        patient=OuterRef("patient"), team=OuterRef("team"), status__in=OPEN_STATUSES
    ).exclude(kind=Kind.NO_NEXT_STEP)
    window_running = Q(kind=PathwayKind.PATIENT_INITIATED, pifu_end__gte=today)
    return (
        Pathway.objects.filter(status__in=OPEN_PATHWAY_STATUSES)
        .exclude(window_running)
        .exclude(Exists(future_test))
        .exclude(Exists(open_concern))
        .exclude(Exists(open_item))
    )


def _test_item(test):
    return {
        "patient": test.pathway.patient,
        "team": test.pathway.team,
        "title": f"No result for {test.test_type.name} due {_fmt(test.due_date)}",
    }


def _result_item(verb):
    def describe(result):
        test = result.test
        title = f"{verb} {test.test_type.name} result"
        return {"patient": test.pathway.patient, "team": test.pathway.team, "title": title}

    return describe


PASSES = [
    # kind, source type, cause, what to select with it, describe, raised once per source
    (Kind.NO_RESULT, "followup.test", no_result, ("pathway__patient", "pathway__team", "test_type"), _test_item, True),
    (
        Kind.RESULT_TO_REVIEW,
        "followup.result",
        result_to_review,
        ("test__pathway__patient", "test__pathway__team", "test__test_type"),
        _result_item("Review"),
        True,
    ),
    (
        Kind.RESULT_TO_TELL,
        "followup.result",
        result_to_tell,
        ("test__pathway__patient", "test__pathway__team", "test__test_type"),
        _result_item("Tell the patient their"),
        True,
    ),
    (
        Kind.CHECKIN_UNANSWERED,
        "followup.checkin",
        checkin_unanswered,
        ("pathway__patient", "pathway__team"),
        lambda c: {
            "patient": c.pathway.patient,
            "team": c.pathway.team,
            "title": f"Check-in of {_fmt(c.sent_at)} unanswered",
        },
        True,
    ),
    (
        Kind.CONCERN_OVERDUE,
        "followup.concern",
        concern_overdue,
        ("pathway__patient", "pathway__team"),
        lambda c: {
            "patient": c.pathway.patient,
            "team": c.pathway.team,
            "title": "Concern not triaged in time",
            "priority": Priority.URGENT,
        },
        True,
    ),
    (
        Kind.NO_NEXT_STEP,
        "followup.pathway",
        no_next_step,
        ("patient", "team"),
        lambda p: {"patient": p.patient, "team": p.team, "title": "Follow-up with no next step planned"},
        False,
    ),
]


# Cheaper superset queries to page over (one table, its own index), for causes that join big tables.
PAGERS = {Kind.NO_RESULT: late_tests}


def run(today, chunk) -> Counter:
    done = Counter()
    for kind, source_type, cause, related, describe, once in PASSES:
        done[f"closed_{kind}"] = _close_gone(kind, source_type, cause(today), chunk)
        due = cause(today).select_related(*related)
        pager = PAGERS[kind](today) if kind in PAGERS else due
        done[kind.value] = _raise_all(kind, source_type, due, describe, chunk, pager, once)
    return done


def _raise_all(kind, source_type, due, describe, chunk, pager, once) -> int:
    raised = 0
    for rows in sweep_pages.pages(pager.order_by().values_list("pk"), chunk):
        ids = [pk for (pk,) in rows]
        if once:  # raised before, whatever became of it: one indexed lookup per page, not a join per row
            seen = set(
                WorkItem.objects.filter(
                    kind=kind, source_type=source_type, source_id__in=[str(pk) for pk in ids]
                ).values_list("source_id", flat=True)
            )
            ids = [pk for pk in ids if str(pk) not in seen]
        specs = []
        for row in due.filter(pk__in=ids).order_by("pk") if ids else ():
            fields = describe(row)
            link = f"/patients/{fields['patient'].pk}/"
            specs.append({"kind": kind, "source_type": source_type, "source_id": row.pk, "link": link} | fields)
        raised += len(raise_items(specs, system_actor=SYSTEM_ACTOR))
    return raised


def _close_gone(kind, source_type, cause, chunk) -> int:
    """Open items of this kind whose cause is gone (the result came, was reviewed, the patient
    answered...): done, by the sweep. An item someone is working stays theirs only while needed.
    One query finds them (NOT IN a hashed list of the cause's ids); most days it finds few."""
    closed = 0
    items = WorkItem.objects.filter(kind=kind, source_type=source_type, status__in=OPEN_STATUSES)
    if not items.exists():  # most kinds, most days: no need to work out the cause at all
        return 0
    still = cause.order_by().annotate(source_key=Cast("pk", CharField())).values("source_key")
    gone = items.exclude(source_id__in=still)
    for rows in sweep_pages.pages(gone.order_by().values_list("source_id"), chunk):
        closed += close_for_sources(
            kind=kind,
            source_type=source_type,
            source_ids=[source_id for (source_id,) in rows],
            system_actor=SYSTEM_ACTOR,
        )
    return closed
