"""HNA reports and the COSD export for one care team (the team of the role in use).

Every figure is aggregated in SQL, so a report costs the same few queries whatever the volume;
the export reads assessments in keyset pages of CHUNK rows, so its memory stays flat."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Aggregate, Avg, Count, DateTimeField, F, FloatField, Func, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from hna.models import Assessment, CarePlan, ConcernAnswer, ConcernItem, OfferStatus
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.audit.models import Action
from portal.audit.services import record, record_many, who
from portal.ui.csv_cells import safe_cell

MONTHS = 12
TOP_CONCERNS = 10
CHUNK = 500
COMPLETED = (Assessment.Status.SUBMITTED, Assessment.Status.REVIEWED)
# COSD staff role codes for the role that set the assessment up; anything else is "08 other".
COSD_STAFF_ROLE = {"cns": "01", "support_worker": "04", "clinician": "06"}
OTHER_STAFF_ROLE = "08"
EXPORT_COLUMNS = [
    "event_date",
    "offer_status",
    "point_of_pathway",
    "staff_role",
    "organisation_code",
    "nhs_number",
    "status",
    "submitted_date",
    "distress_score",
]
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).


class Median(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class EpochSeconds(Func):
    template = "EXTRACT(EPOCH FROM (%(expressions)s))"
    output_field = FloatField()


@dataclass
class MonthRow:
    month: date
    offered: dict[str, int] = field(default_factory=dict)  # COSD offer status code -> count
    completed: int = 0

    @property
    def offered_total(self) -> int:
        return sum(self.offered.values())


@dataclass
class ConcernRow:
    code: str
    text: str
    ticked: int
    mean_score: float | None
    percent: int  # of completed assessments in the period that ticked it


@dataclass
class TeamReport:
    team: object
    since: date
    months: list[MonthRow]
    median_days_to_plan: float | None
    plans_counted: int
    top_concerns: list[ConcernRow]

    @property
    def completed_total(self) -> int:
        return sum(m.completed for m in self.months)

    @property
    def offered_totals(self) -> dict[str, int]:
        return {code: sum(m.offered.get(code, 0) for m in self.months) for code in OfferStatus.values}


def team_assessments(user):
    """The assessments of the user's own care team (and patients they may see); care-team roles only."""
    team = policy.care_team_of(user, RecordKind.HNA, "read")
    if team is None:
        raise PermissionDenied("HNA reports are for care-team staff")
    return Assessment.objects.visible_to(user).filter(team_id=team.pk), team


def _month_starts(today: date) -> list[date]:
    """The first day of this month and of the 11 before it, oldest first."""
    months, year, month = [], today.year, today.month
    for _ in range(MONTHS):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def team_report(user, today: date | None = None) -> TeamReport:
    assessments, team = team_assessments(user)
    months = _month_starts(today or timezone.localdate())
    since = months[0]
    since_dt = timezone.make_aware(datetime(since.year, since.month, 1))
    rows = {m: MonthRow(m) for m in months}

    offered = (
        assessments.filter(event_date__gte=since)
        .annotate(month=TruncMonth("event_date"))
        .values_list("month", "offer_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for month, status, n in offered:
        if month in rows:
            rows[month].offered[status] = n

    completed = assessments.filter(status__in=COMPLETED, submitted_at__gte=since_dt)
    by_month = completed.annotate(month=TruncMonth("submitted_at")).values_list("month").annotate(n=Count("pk"))
    for month, n in by_month.order_by():
        key = timezone.localtime(month).date() if isinstance(month, datetime) else month
        if key in rows:
            rows[key].completed = n

    median, counted = _median_days_to_plan(completed)
    report = TeamReport(team, since, list(rows.values()), median, counted, [])
    report.top_concerns = _top_concerns(completed, report.completed_total)
    return report


def _median_days_to_plan(completed):
    """Median days from submission to the first care plan agreed and locked for the assessment."""
    first_locked = (
        CarePlan.objects.filter(assessment=OuterRef("pk"), locked_at__isnull=False)
        .order_by("locked_at")
        .values("locked_at")[:1]
    )
    result = (
        completed.annotate(first_locked=Subquery(first_locked, output_field=DateTimeField()))
        .filter(first_locked__isnull=False)
        .aggregate(median=Median(EpochSeconds(F("first_locked") - F("submitted_at")) / 86400.0), n=Count("pk"))
    )
    median = result["median"]
    return (round(median, 1) if median is not None else None), result["n"]


def _top_concerns(completed, completed_total: int) -> list[ConcernRow]:
    """The concerns ticked most often (by stable item code, across checklist versions), with the
    mean score; the wording shown is the newest version's."""
    top = list(
        ConcernAnswer.objects.filter(assessment__in=completed.values("pk"), ticked=True)
        .values_list("item__code")
        .annotate(n=Count("pk"), mean=Avg("score"))
        .order_by("-n", "item__code")[:TOP_CONCERNS]
    )
    wording = {}
    newest_first = ConcernItem.objects.filter(code__in=[code for code, _, _ in top]).order_by(
        "code", "-category__version__number"
    )
    for code, text in newest_first.values_list("code", "text"):
        wording.setdefault(code, text)
    return [
        ConcernRow(
            code=code,
            text=wording.get(code, code),
            ticked=n,
            mean_score=round(mean, 1) if mean is not None else None,
            percent=round(100 * n / completed_total) if completed_total else 0,
        )
        for code, n, mean in top
    ]


def concern_codes() -> list[str]:
    """One column per checklist item code: the newest version's order, then retired codes."""
    ordered = ConcernItem.objects.order_by("-category__version__number", "category__position", "position", "code")
    return list(dict.fromkeys(ordered.values_list("code", flat=True)))


def export_rows(user, *, request) -> Iterator[list[str]]:
    """The team's assessments with the COSD fields and concern scores, header first. Permission
    is checked now (not when the first row is read); the rows come from a generator.

    Audit: one EXPORT event naming the team, then one per exported assessment (with its patient,
    so each patient's access history shows the export), written before that page of rows leaves."""
    assessments, team = team_assessments(user)
    return _rows(assessments.select_related("patient", "team__organisation"), team, request)


def _rows(assessments, team, request):
    codes = concern_codes()
    yield [safe_cell(c) for c in EXPORT_COLUMNS + codes]
    who_fields = who(request=request)
    record(Action.EXPORT, request=request, obj=team)
    ordered = assessments.order_by("created_at", "pk")
    last = None
    while True:
        page = ordered
        if last is not None:
            page = page.filter(Q(created_at__gt=last.created_at) | Q(created_at=last.created_at, pk__gt=last.pk))
        batch = list(page[:CHUNK])
        if not batch:
            return
        scores = defaultdict(dict)
        answers = ConcernAnswer.objects.filter(assessment__in=[a.pk for a in batch], ticked=True)
        for assessment_id, code, score in answers.values_list("assessment_id", "item__code", "score"):
            scores[assessment_id][code] = score
        _audit_page(who_fields, batch)
        for assessment in batch:
            yield [safe_cell(v) for v in _cells(assessment)] + [
                safe_cell(scores[assessment.pk].get(code)) for code in codes
            ]
        if len(batch) < CHUNK:
            return
        last = batch[-1]


def _cells(a) -> list:
    return [
        a.event_date.isoformat(),
        a.offer_status,
        a.point_of_pathway,
        COSD_STAFF_ROLE.get(a.staff_role, OTHER_STAFF_ROLE),
        a.team.organisation.ods_code,
        a.patient.nhs_number,
        a.status,
        timezone.localtime(a.submitted_at).date().isoformat() if a.submitted_at else "",
        a.distress_score,
    ]


def _audit_page(who_fields: dict, batch) -> None:
    # One EXPORT row per assessment (with its patient), sharing the export's who/when/where.
    record_many(Action.EXPORT, [(a.patient, a) for a in batch], who_fields=who_fields)
