"""The daily follow-up sweep (issue 11, ADR 0029): reminders and test requests, check-ins, the
worklist safety net, and discharge at the end of a patient-initiated window.

Safe to run twice, or twice at once, and to be stopped anywhere:
- work is taken in chunks of `chunk` rows, read once per pass through a server-side cursor in id
  order (memory stays flat, and a row skipped because another run holds it is not asked for again
  by this run; sweep_pages says why not keyset paging);
- each chunk is one transaction: a crash loses only that chunk's work, and the next run redoes it;
- rows are claimed with SELECT ... FOR NO KEY UPDATE SKIP LOCKED (NO KEY: inserting a row that
  refers to a claimed one, a history row or a letter, must not wait for the claim);
- each thing done once (a reminder, a check-in, a letter, a message) is first inserted under a
  unique constraint (ON CONFLICT DO NOTHING), so only the run whose insert went in does the work.
"""

import datetime
import logging
import uuid
from collections import Counter

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, DateField, Exists, F, Func, IntegerField, Max, OuterRef, Q, Value, When
from django.utils import timezone

from followup.models import (
    CheckIn,
    CheckInSend,
    ConcernStatus,
    FollowupLetter,
    Pathway,
    PathwayKind,
    PathwayStatus,
    ProtocolVersion,
    Result,
    SurveillanceTest,
    TestReminder,
    TestStatus,
    TestType,
)
from followup.services import sweep_items, sweep_pages
from followup.services.history import change_pathway_status, change_tests_status
from followup.services.sweep_notify import tell_patient, tell_patients, tell_practice, tell_practices
from portal.audit.models import Action
from portal.audit.services import record_many, who

logger = logging.getLogger(__name__)

SYSTEM_ACTOR = "followup-sweep"
CHUNK = 1000
REMINDABLE = (TestStatus.SCHEDULED, TestStatus.REQUESTED)


def run(today: datetime.date | None = None, chunk: int = CHUNK) -> dict:
    """Every part of the sweep, in order; returns how many of each thing it did."""
    today = today or timezone.localdate()
    done = Counter()
    done["reminders"] = send_reminders(today, chunk)
    done["checkins"] = send_checkins(today, chunk)
    done["discharged"] = discharge_ended_windows(today, chunk)
    done.update(sweep_items.run(today, chunk))
    logger.info("follow-up sweep %s: %s", today, dict(done))
    return dict(done)


def _chunks(queryset, chunk, pager=None):
    """The queryset's rows in chunks, each chunk locked (rows another run holds are skipped) and
    handed out inside its own transaction, which commits when the caller asks for the next chunk.
    `pager`: a cheaper query giving a superset of the ids (one table, on its own index), so that
    each page does not join the whole of the tables the full filter needs."""
    pager = queryset if pager is None else pager
    for rows in sweep_pages.pages(pager.order_by().values_list("pk"), chunk):
        with transaction.atomic():
            locked = list(
                queryset.filter(pk__in=[pk for (pk,) in rows])
                .select_for_update(skip_locked=True, of=("self",), no_key=True)
                .order_by("pk")
            )
            yield locked


# Reminders and requests (issue 11 item 3) ------------------------------------------------------


def _days_from(today, field):
    """today + the number of days in `field` (a date, in SQL: date + integer)."""
    return Func(Value(today), F(field), arg_joiner=" + ", template="(%(expressions)s)", output_field=DateField())


def _lead(today):
    """The reminder due today, in SQL, from the pathway's protocol version: the nearest lead the
    test is within (a run missed for a week sends the second reminder, not a late first one as
    well); none after the due date. Second 0: no second reminder."""
    version = "pathway__protocol_version__"
    return Case(
        When(
            Q(
                **{f"{version}second_reminder_days__gt": 0},
                due_date__lte=_days_from(today, f"{version}second_reminder_days"),
            ),
            then=F(f"{version}second_reminder_days"),
        ),
        When(due_date__lte=_days_from(today, f"{version}first_reminder_days"), then=F(f"{version}first_reminder_days")),
        default=None,
        output_field=IntegerField(),
    )


def send_reminders(today, chunk=CHUNK) -> int:
    longest = ProtocolVersion.objects.aggregate(days=Max("first_reminder_days"))["days"] or 0
    in_window = SurveillanceTest.objects.filter(
        status__in=REMINDABLE, due_date__gte=today, due_date__lte=today + datetime.timedelta(days=longest)
    )
    sent_already = TestReminder.objects.filter(test=OuterRef("pk"), lead_days=OuterRef("lead"))
    # Most days most of the window was reminded on an earlier day: the query leaves those out, so
    # the run neither locks nor re-claims them. The claim below still decides.
    due = (
        in_window.filter(pathway__status=PathwayStatus.ACTIVE, pathway__patient__date_of_death__isnull=True)
        # A window that has ended is for discharge, not for asking for more tests.
        .exclude(pathway__kind=PathwayKind.PATIENT_INITIATED, pathway__pifu_end__lt=today)
        .annotate(lead=_lead(today))
        .filter(lead__isnull=False)
        .exclude(Exists(sent_already))
    )
    sent = 0
    for tests in _chunks(due, chunk):
        sent += _remind(tests, today)
    return sent


def _claim(table, columns, rows, conflict_target):
    """INSERT ... ON CONFLICT DO NOTHING RETURNING: the rows this run inserted (and so owns), as
    their 2nd and 3rd columns (the conflict target). "__now__" in a row stands for the time now."""
    if not rows:
        return []
    now = timezone.now()
    cols = ", ".join(columns)
    marks = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    params = [value if value != "__now__" else now for row in rows for value in row]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({cols}) VALUES {marks} ON CONFLICT ({conflict_target}) DO NOTHING "  # noqa: S608 - names are ours
            f"RETURNING {columns[1]}, {columns[2]}",
            params,
        )
        return cursor.fetchall()


def _remind(tests, today) -> int:
    """A chunk's reminders in a few queries: claim, messages and letters, requests with their
    history, the GP's blood requests, audit."""
    wanted = {test.pk: test.lead for test in tests if test.status in REMINDABLE}
    rows = [(uuid.uuid4(), pk, lead, "", "__now__", "__now__") for pk, lead in wanted.items()]
    owned = _claim(
        TestReminder._meta.db_table,
        ["id", "test_id", "lead_days", "channel", "created_at", "updated_at"],
        rows,
        "test_id, lead_days",
    )
    if not owned:
        return 0
    lead_of = dict(owned)
    ours = list(
        SurveillanceTest.objects.filter(pk__in=list(lead_of)).select_related(
            "test_type", "step", "pathway__team", "pathway__patient__registered_practice"
        )
    )
    messages = [(t.pathway, f"followup-reminder:{t.pk}:{lead_of[t.pk]}", _reminder_context(t)) for t in ours]
    channels = tell_patients(messages, template="followup.test_reminder", letter_kind=FollowupLetter.Kind.REMINDER)
    for channel in set(channels.values()):
        keys = {key for key, c in channels.items() if c == channel}
        TestReminder.objects.filter(
            test_id__in=[t.pk for t, (_, key, _) in zip(ours, messages, strict=True) if key in keys], channel=""
        ).update(channel=channel)
    _request([t for t in ours if t.status == TestStatus.SCHEDULED], lead_of, today)
    record_many(Action.UPDATE, [(t.pathway.patient, t) for t in ours], who_fields=who(system_actor=SYSTEM_ACTOR))
    return len(owned)


def _reminder_context(test) -> dict:
    return {
        "test": test.test_type.name,
        "due": f"{test.due_date:%-d %B %Y}",
        "at_gp": test.test_type.where_taken == TestType.WhereTaken.GP,
    }


def _request(tests, lead_of, today):
    """The first reminder is the request: the tests become requested, the GP is asked for blood
    taken at the surgery, and a step with a check-in (PSA) sends its questionnaire."""
    for lead in set(lead_of[t.pk] for t in tests):
        change_tests_status(
            [t for t in tests if lead_of[t.pk] == lead],
            TestStatus.REQUESTED,
            actor=None,
            reason=f"Requested: reminder {lead} days before",
            requested_at=timezone.now(),
        )
    at_gp = [t for t in tests if t.test_type.where_taken == TestType.WhereTaken.GP]
    tell_practices(
        [
            (
                t.pathway,
                f"followup-gp-request:{t.pk}",
                {**_reminder_context(t), "nhs_number": t.pathway.patient.nhs_number},
            )
            for t in at_gp
        ],
        template="followup.gp_blood_request",
        letter_kind=FollowupLetter.Kind.REMINDER,
    )
    for test in tests:
        if test.step is not None and test.step.with_checkin:
            _send_checkin(test.pathway, f"test:{test.pk}", today, test=test)


# Check-ins (issue 11 item 5) -------------------------------------------------------------------


def _period(pathway, today) -> int:
    """Which check-in period today is in: n whole `checkin_months` since the anchor date."""
    months = relativedelta(today, pathway.anchor_date)
    return (months.years * 12 + months.months) // pathway.checkin_months


def send_checkins(today, chunk=CHUNK) -> int:
    pathways = Pathway.objects.filter(
        status=PathwayStatus.ACTIVE,
        checkin_months__gt=0,
        anchor_date__lte=today - relativedelta(months=1),
        patient__date_of_death__isnull=True,
    ).exclude(kind=PathwayKind.PATIENT_INITIATED, pifu_end__lt=today)  # ended: for discharge
    sent = 0
    for batch in _chunks(pathways.select_related("patient", "team"), chunk):
        due = {p.pk: (p, f"m{n}") for p in batch if p.status == PathwayStatus.ACTIVE and (n := _period(p, today)) >= 1}
        # Most pathways had this period's check-in on an earlier day: one query finds them, so the
        # daily run does not insert (and roll back) a check-in per pathway. The claim still decides.
        done = set(
            CheckInSend.objects.filter(pathway__in=due, period__in={period for _, period in due.values()}).values_list(
                "pathway_id", "period"
            )
        )
        # A patient who had a questionnaire this period already (with a PSA test) is not sent a
        # second one in the same weeks: the period's regular check-in is skipped (ADR 0030).
        # (The day a check-in was sent, in the sweep's own days: due_by less the answering time.)
        answer_days = datetime.timedelta(days=settings.FOLLOWUP_CHECKIN_ANSWER_DAYS)
        last_due = dict(
            CheckIn.objects.filter(pathway__in=due)
            .values("pathway")
            .annotate(last=Max("due_by"))
            .values_list("pathway", "last")
        )
        for pk, (pathway, period) in due.items():
            started = pathway.anchor_date + relativedelta(months=_period(pathway, today) * pathway.checkin_months)
            had_one = pk in last_due and last_due[pk] - answer_days >= started
            if (pk, period) not in done and not had_one:
                sent += _send_checkin(pathway, period, today)
    return sent


def _send_checkin(pathway, period, today, test=None) -> int:
    now = timezone.now()
    with transaction.atomic():
        checkin = CheckIn.objects.create(
            pathway=pathway,
            test=test,
            sent_at=now,
            due_by=today + datetime.timedelta(days=settings.FOLLOWUP_CHECKIN_ANSWER_DAYS),
        )
        claim = [(checkin.pk, pathway.pk, period)]
        if not _claim(CheckInSend._meta.db_table, ["checkin_id", "pathway_id", "period"], claim, "pathway_id, period"):
            transaction.set_rollback(True)  # another run sent this period's check-in
            return 0
    tell_patient(
        pathway,
        template="followup.checkin",
        letter_kind=FollowupLetter.Kind.CHECKIN,
        key=f"followup-checkin:{pathway.pk}:{period}",
        context={"due_by": f"{checkin.due_by:%-d %B %Y}"},
    )
    record_many(Action.CREATE, [(pathway.patient, checkin)], who_fields=who(system_actor=SYSTEM_ACTOR))
    return 1


# Discharge at the end of a PIFU window (issue 11 item 7) ----------------------------------------


def discharge_ended_windows(today, chunk=CHUNK) -> int:
    # Not while anything is still in hand: an open concern, a test whose sample was asked for and
    # whose result is not back, or a result not yet reviewed or told (ADR 0029): the pathway waits,
    # so no result arrives for a patient the team has let go.
    in_hand = Result.objects.filter(test__pathway=OuterRef("pk")).filter(Q(reviewed_at=None) | Q(told_at=None))
    ended = (
        Pathway.objects.filter(kind=PathwayKind.PATIENT_INITIATED, status=PathwayStatus.ACTIVE, pifu_end__lt=today)
        .exclude(concerns__status__in=[ConcernStatus.OPEN, ConcernStatus.TRIAGED])
        .exclude(Exists(SurveillanceTest.objects.filter(pathway=OuterRef("pk"), status=TestStatus.REQUESTED)))
        .exclude(Exists(in_hand))
    )
    discharged = 0
    for batch in _chunks(ended.select_related("patient__registered_practice", "team"), chunk):
        for pathway in batch:
            if pathway.status == PathwayStatus.ACTIVE:  # re-read under the lock: another run may have done it
                _discharge(pathway)
                discharged += 1
    return discharged


def _discharge(pathway):
    reason = f"End of the patient-initiated follow-up window ({pathway.pifu_end:%-d %B %Y}): discharged to the GP"
    change_pathway_status(pathway, PathwayStatus.DISCHARGED, actor=None, reason=reason)
    change_tests_status(
        pathway.tests.filter(status=TestStatus.SCHEDULED),
        TestStatus.CANCELLED,
        actor=None,
        reason="Pathway discharged to the GP",
    )
    context = {"ended": f"{pathway.pifu_end:%-d %B %Y}"}
    tell_patient(
        pathway,
        template="followup.discharge",
        letter_kind=FollowupLetter.Kind.DISCHARGE,
        key=f"followup-discharge:{pathway.pk}",
        context=context,
    )
    tell_practice(
        pathway,
        template="followup.discharge_practice",
        letter_kind=FollowupLetter.Kind.DISCHARGE_PRACTICE,
        key=f"followup-discharge-practice:{pathway.pk}",
        context={**context, "nhs_number": pathway.patient.nhs_number},
    )
    record_many(Action.UPDATE, [(pathway.patient, pathway)], who_fields=who(system_actor=SYSTEM_ACTOR))
