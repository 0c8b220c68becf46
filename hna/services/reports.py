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

from hna import cosd
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
# The COSD export: one row per event. event_date is the date of the offer status in the row
# (COSD's event date); offered_date is when the HNA was offered or the plan version started.
HNA, PCSP = "HNA", "PCSP"
AGREED = (CarePlan.Status.LOCKED, CarePlan.Status.SUPERSEDED)
EXPORT_COLUMNS = [
    "record_type",
    "event_date",
    "offer_status",
    "offered_date",
    "point_of_pathway",
    "staff_role",
    "organisation_code",
    "nhs_number",
    "status",
    "plan_version",
    "submitted_date",
    "distress_score",
    # Local, not a COSD data item (ADR 0053): how the HNA was completed; blank on plan rows.
    "completion_method",
]


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
    """The team's COSD events, header first: a row per HNA (its offer status as it is now, with the
    date of that status, and the concern scores), then a row per care plan event (ADR 0050).
    Permission and the COSD codes are checked now, not when the first row is read: a code not in
    the COSD lists is refused (UnknownCosdCode, naming the field and the code) before any row leaves.

    Audit: one EXPORT event naming the team, then one per exported assessment or plan version (with
    its patient, so each patient's access history shows the export), written before that page leaves."""
    assessments, team = team_assessments(user)
    plans = (
        CarePlan.objects.visible_to(user)
        .filter(team_id=team.pk)
        .filter(Q(status__in=AGREED) | Q(status=CarePlan.Status.DRAFT, version=1))
    )
    _refuse_unknown_codes(assessments, plans)
    return _rows(
        assessments.select_related("patient", "team__organisation"),
        plans.select_related("patient", "team__organisation", "assessment"),
        team,
        request,
    )


def _refuse_unknown_codes(assessments, plans) -> None:
    """Stored codes outside the COSD lists (data from before a list changed, or written around the
    services) would be rejected by the registry: refuse the export, naming the first one found."""
    checks = (
        (assessments, "point_of_pathway", cosd.POINT_OF_PATHWAY),
        (assessments, "cosd_staff_role", cosd.STAFF_ROLE),
        (plans, "cosd_staff_role", cosd.STAFF_ROLE),
    )
    for queryset, name, codes in checks:
        unknown = queryset.exclude(**{f"{name}__in": codes.codes}).values_list(name, flat=True).first()
        if unknown is not None:
            codes.require(unknown)


def _pages(queryset):
    """The queryset in keyset pages of CHUNK rows (created_at, pk), so memory stays flat."""
    ordered = queryset.order_by("created_at", "pk")
    last = None
    while True:
        page = ordered
        if last is not None:
            page = page.filter(Q(created_at__gt=last.created_at) | Q(created_at=last.created_at, pk__gt=last.pk))
        batch = list(page[:CHUNK])
        if batch:
            yield batch
        if len(batch) < CHUNK:
            return
        last = batch[-1]


def _rows(assessments, plans, team, request):
    codes = concern_codes()
    yield [safe_cell(c) for c in EXPORT_COLUMNS + codes]
    who_fields = who(request=request)
    record(Action.EXPORT, request=request, obj=team)
    for batch in _pages(assessments):
        scores = defaultdict(dict)
        answers = ConcernAnswer.objects.filter(assessment__in=[a.pk for a in batch], ticked=True)
        for assessment_id, code, score in answers.values_list("assessment_id", "item__code", "score"):
            scores[assessment_id][code] = score
        _audit_page(who_fields, batch)
        for assessment in batch:
            yield [safe_cell(v) for v in _assessment_cells(assessment)] + [
                safe_cell(scores[assessment.pk].get(code)) for code in codes
            ]
    blank_scores = [""] * len(codes)
    for batch in _pages(plans):
        _audit_page(who_fields, batch)
        for plan in batch:
            yield [safe_cell(v) for v in _plan_cells(plan)] + blank_scores


def _day(moment) -> str:
    return timezone.localdate(moment).isoformat() if moment else ""


def _assessment_cells(a) -> list:
    return [
        HNA,
        a.offer_status_date.isoformat(),
        a.offer_status,
        a.event_date.isoformat(),
        a.point_of_pathway,
        a.cosd_staff_role,
        a.team.organisation.ods_code,
        a.patient.nhs_number,
        a.status,
        "",
        _day(a.submitted_at),
        a.distress_score,
        a.entry_mode,
    ]


def _plan_cells(plan) -> list:
    """An agreed version is COSD's "offered and accepted" on the day it was agreed; a first version
    still in draft is an offer the patient is still deciding on, dated the day it was started."""
    agreed = plan.status in AGREED
    return [
        PCSP,
        _day(plan.locked_at if agreed else plan.created_at),
        OfferStatus.ACCEPTED if agreed else OfferStatus.OFFERED_UNDECIDED,
        _day(plan.created_at),
        plan.assessment.point_of_pathway,
        plan.cosd_staff_role,
        plan.team.organisation.ods_code,
        plan.patient.nhs_number,
        plan.status,
        plan.version,
        "",
        "",
        "",
    ]


def _audit_page(who_fields: dict, batch) -> None:
    # One EXPORT row per assessment or plan version (with its patient), sharing the export's who/when/where.
    record_many(Action.EXPORT, [(a.patient, a) for a in batch], who_fields=who_fields)
