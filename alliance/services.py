"""The cancer alliance's coverage report (issue 15 item 7, ADR 0055): per care team and month, how
many HNAs were offered and completed, care plans agreed, treatment summaries due and sent within 6
weeks of the end of treatment, and cancer care reviews done, each split by age band, sex, ethnic
category or deprivation decile.

Aggregate only: no patient is named or counted alone. Counts below MIN_GROUP are hidden, and the
second-smallest group beside a single hidden one too (portal.reporting.hidden), within each team,
month and measure, where the month's total is shown. One query per measure whatever the number of
patients (the summaries due and sent share one): grouped and counted in SQL.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Count, DateField, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone

from care_reviews.models import Kind as ReviewKind
from care_reviews.models import Outcome as ReviewOutcome
from care_reviews.models import Review
from hna.models import Assessment, CarePlan, OfferStatus
from portal.people.models import CareTeam, Diagnosis, EthnicCategory, StatedGender
from portal.reporting import age_band, decile_label, hidden, postcode_key, total_hidden
from qol_survey.models import AGE_BANDS, PostcodeDeprivation
from treatment_summaries.models import SummaryVersion

SENT_WITHIN = timedelta(days=42)  # "within 6 weeks of the end of treatment": day 42 in, day 43 out
NOT_RECORDED = "Not recorded"


@dataclass(frozen=True)
class Measure:
    key: str
    title: str
    about: str  # the ADR's definition, in the page's words


MEASURES = (
    Measure("hna_offered", "HNAs offered", "assessments offered, by the date of the offer"),
    Measure("hna_completed", "HNAs completed", "assessments the patient sent, by the day they sent it"),
    Measure("plans", "Care plans agreed", "first versions of care plans agreed and locked, by that day"),
    Measure("summaries_due", "Treatment summaries due", "diagnoses whose treatment ended that month"),
    Measure(
        "summaries_sent",
        "Summaries sent within 6 weeks",
        "of those, a summary sent within 42 days of the end of treatment",
    ),
    Measure("reviews", "Cancer care reviews", "cancer care reviews completed, by the day of the review"),
)
MEASURE_KEYS = [m.key for m in MEASURES]


@dataclass(frozen=True)
class Split:
    key: str
    title: str
    labels: dict = field(default_factory=dict)  # raw value -> words, in the order rows are shown

    def label(self, raw) -> str:
        if self.key == "deprivation":
            return decile_label(raw)
        return self.labels.get(raw) or NOT_RECORDED

    def order(self, raw):
        keys = list(self.labels)
        if self.key == "deprivation":
            return (0, raw) if raw else (1, 0)
        return (0, keys.index(raw)) if raw in keys else (1, 0)


SPLITS = (
    Split("none", "No split (team totals)"),
    Split("age_band", "Age band", {label: label for label, *_ in AGE_BANDS}),
    Split("sex", "Sex (stated gender)", dict(StatedGender.choices)),
    Split("ethnic_category", "Ethnic category", dict(EthnicCategory.choices)),
    Split("deprivation", "Deprivation decile"),
)
SPLIT_KEYS = {s.key: s for s in SPLITS}


def _split_expression(split: Split, anchor):
    if split.key == "age_band":
        return age_band(anchor, "patient__date_of_birth", AGE_BANDS)  # age on the day of the event
    if split.key == "sex":
        return F("patient__sex")
    if split.key == "ethnic_category":
        return F("patient__ethnic_category")
    if split.key == "deprivation":
        key = postcode_key(OuterRef("patient__postcode"))
        return Subquery(PostcodeDeprivation.objects.filter(postcode=key).values("decile")[:1])
    return Value("")


def _bounds(first: date, last: date):
    """[start, end) as local dates and aware datetimes, for date and datetime anchors."""
    end = last + relativedelta(months=1)
    aware = [timezone.make_aware(datetime(d.year, d.month, d.day)) for d in (first, end)]
    return (first, end), aware


def _sources(first: date, last: date):
    """(measure keys, queryset, team path, anchor path) for each query; every queryset is unscoped:
    the report counts, and shows no record (ADR 0055)."""
    days, moments = _bounds(first, last)
    offered = Assessment.objects.exclude(offer_status=OfferStatus.NOT_OFFERED)  # unscoped-ok: counts only
    completed = Assessment.objects.filter(  # unscoped-ok: counts only
        status__in=(Assessment.Status.SUBMITTED, Assessment.Status.REVIEWED)
    )
    plans = CarePlan.objects.filter(version=1, locked_at__isnull=False)  # unscoped-ok: counts only
    sent_in_time = SummaryVersion.objects.filter(  # unscoped-ok: counts only
        summary__diagnosis=OuterRef("pk"),
        sent_at__isnull=False,
        sent_at__date__lte=OuterRef("end_of_treatment_date") + Value(SENT_WITHIN),
    )
    due = Diagnosis.objects.filter(end_of_treatment_date__isnull=False)  # unscoped-ok: counts only
    reviews = Review.objects.filter(  # unscoped-ok: counts only
        kind=ReviewKind.REVIEW, outcome=ReviewOutcome.COMPLETED
    )
    return [
        (("hna_offered",), offered.filter(event_date__gte=days[0], event_date__lt=days[1]), "team", "event_date"),
        (
            ("hna_completed",),
            completed.filter(submitted_at__gte=moments[0], submitted_at__lt=moments[1]),
            "team",
            "submitted_at",
        ),
        (("plans",), plans.filter(locked_at__gte=moments[0], locked_at__lt=moments[1]), "team", "locked_at"),
        (
            ("summaries_due", "summaries_sent"),
            due.filter(end_of_treatment_date__gte=days[0], end_of_treatment_date__lt=days[1]).annotate(
                in_time=Exists(sent_in_time)
            ),
            "patient__care_teams",  # a diagnosis has no team: each of the patient's teams counts it
            "end_of_treatment_date",
        ),
        (
            ("reviews",),
            reviews.filter(reviewed_on__gte=days[0], reviewed_on__lt=days[1]),
            "patient__care_teams",  # reviews are the practice's; each of the patient's teams counts it
            "reviewed_on",
        ),
    ]


def _month(value) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date().replace(day=1)
    return value.replace(day=1)


@dataclass
class GroupRow:
    label: str
    counts: dict  # measure key -> int, or None where hidden


@dataclass
class MonthBlock:
    month: date
    total: GroupRow
    groups: list[GroupRow]

    @property
    def label(self) -> str:
        return f"{self.month:%B %Y}"


@dataclass
class TeamBlock:
    team: CareTeam
    months: list[MonthBlock]

    @property
    def name(self) -> str:
        return f"{self.team.name}, {self.team.organisation.name}"


@dataclass
class Report:
    split: Split
    first: date
    last: date
    teams: list[TeamBlock]

    @property
    def suppressed(self) -> bool:
        return any(None in row.counts.values() for t in self.teams for m in t.months for row in [m.total, *m.groups])


def months_between(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month += relativedelta(months=1)
    return months


def _raw_counts(first: date, last: date, split: Split) -> dict:
    """{(team id, month): {group: {measure key: count}}} from one grouped query per source."""
    counts: dict = {}
    for keys, queryset, team_path, anchor in _sources(first, last):
        aggregates = {"n": Count("pk")}
        if len(keys) == 2:
            aggregates["n2"] = Count("pk", filter=Q(in_time=True))
        month = TruncMonth(anchor, output_field=DateField()) if anchor.endswith("_at") else TruncMonth(anchor)
        rows = (
            queryset.annotate(team_ref=F(team_path), month=month, group=_split_expression(split, anchor))
            .filter(team_ref__isnull=False)
            .values("team_ref", "month", "group")
            .annotate(**aggregates)
            .order_by()
        )
        for row in rows:
            cell = counts.setdefault((row["team_ref"], _month(row["month"])), {}).setdefault(row["group"], {})
            cell[keys[0]] = row["n"]
            if len(keys) == 2:
                cell[keys[1]] = row["n2"]
    return counts


def _month_block(month: date, split: Split, cells: dict) -> MonthBlock:
    """The month's total and groups for one team, with the small-number rule per measure."""
    totals = {key: sum(c.get(key, 0) for c in cells.values()) for key in MEASURE_KEYS}
    total = GroupRow("All", {k: None if total_hidden(n) else n for k, n in totals.items()})
    groups = []
    if split.key != "none":
        hide = {key: hidden({g: c.get(key, 0) for g, c in cells.items()}) for key in MEASURE_KEYS}
        for raw in sorted(cells, key=split.order):
            counts = {key: None if raw in hide[key] else cells[raw].get(key, 0) for key in MEASURE_KEYS}
            groups.append(GroupRow(split.label(raw), counts))
    return MonthBlock(month, total, groups)


def coverage(*, first: date, last: date, split: Split, team_ids=None) -> Report:
    """The report for the months first..last (each the 1st of a month), for the teams given or every
    team. A fixed number of queries: the teams, then one per source."""
    teams = CareTeam.objects.select_related("organisation").order_by("organisation__name", "name")
    if team_ids is not None:
        teams = teams.filter(pk__in=team_ids)
    teams = list(teams)
    raw = _raw_counts(first, last, split)
    blocks = []
    for team in teams:
        months = []
        for month in months_between(first, last):
            months.append(_month_block(month, split, raw.get((team.pk, month), {})))
        blocks.append(TeamBlock(team, months))
    return Report(split, first, last, blocks)
