"""The survey's results for staff (issue 12 item 7, ADR 0039): invitations, responses, response rate
and mean scores by tumour site, trust, age band, sex, ethnic category and deprivation decile, each
mean beside what people of the same age and sex score (the current reference set).

Aggregate only: no names, and no group of fewer than MIN_GROUP people is shown as a number or a mean
(nor one other group, where a single hidden count could be worked out from the total). Every figure
is summed in SQL, one query for invitations and one for responses per grouping, by group, age band
and sex; Python only combines those few rows (the reference mean is weighted by the age and sex mix).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Case, CharField, Count, F, FloatField, OuterRef, Subquery, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from portal.people.models import EthnicCategory, StatedGender, TumourSite
from portal.reporting import MIN_GROUP, age_band, decile_label, hidden, postcode_key
from qol_survey.demo_instruments import CANCER_30_SCALES
from qol_survey.models import AGE_BANDS, Invitation, PostcodeDeprivation, ReferenceSet, Response

__all__ = ["MIN_GROUP", "hidden"]  # the shared small-number rule (portal.reporting), used from here too
NOT_RECORDED = "Not recorded"
SCALE_NAMES = {code: name for code, name, _kind, _items in CANCER_30_SCALES}


@dataclass(frozen=True)
class Measure:
    instrument: str
    code: str
    name: str
    top: int  # the highest score, for a chart's axis
    higher_is_better: bool = True

    @property
    def key(self) -> str:
        return self.code


def _scale(code, better=True):
    return Measure("cancer-30", code, SCALE_NAMES[code], 100, better)


MEASURES = (
    _scale("QL"),
    _scale("PF"),
    _scale("RF"),
    _scale("EF"),
    _scale("SF"),
    _scale("FA", better=False),
    _scale("PA", better=False),
    Measure("health-profile-5d", "index", "Health profile index", 1),
    Measure("health-profile-5d", "health_today", "Health today", 100),
)


def age_band_of(invited_on: str):
    return age_band(invited_on, "patient__date_of_birth", AGE_BANDS)


def decile_of():
    key = postcode_key(OuterRef("patient__postcode"))
    return Subquery(PostcodeDeprivation.objects.filter(postcode=key).values("decile")[:1])


@dataclass(frozen=True)
class Grouping:
    key: str
    title: str  # "Tumour site"
    expression: object  # (invited_on path) -> an expression over Invitation or Response
    labels: dict = field(default_factory=dict)  # raw value -> words; the order rows are shown in
    describe: object = None  # raw value -> words, where `labels` is not a fixed list


GROUPINGS = (
    Grouping("tumour_site", "Tumour site", lambda _on: F("diagnosis__tumour_site"), dict(TumourSite.choices)),
    Grouping("trust", "Trust", lambda _on: F("team__organisation__name"), describe=lambda raw: raw or "No care team"),
    Grouping("age_band", "Age band", age_band_of, {label: label for label, *_ in AGE_BANDS}),
    Grouping("sex", "Sex (stated gender)", lambda _on: F("patient__sex"), dict(StatedGender.choices)),
    Grouping(
        "ethnic_category", "Ethnic category", lambda _on: F("patient__ethnic_category"), dict(EthnicCategory.choices)
    ),
    Grouping("deprivation", "Deprivation decile", lambda _on: decile_of(), describe=decile_label),
)
BY_KEY = {g.key: g for g in GROUPINGS}


@dataclass
class Cell:
    mean: float | None  # None: fewer than MIN_GROUP scored
    expected: float | None  # the reference mean for this group's age and sex mix


@dataclass
class Row:
    label: str
    invitations: int | None  # None: fewer than MIN_GROUP (or hidden so a small one cannot be worked out)
    responses: int | None
    cells: list[Cell]

    @property
    def rate(self) -> float | None:
        if self.invitations and self.responses is not None:
            return self.responses / self.invitations
        return None


@dataclass
class Table:
    grouping: Grouping
    rows: list[Row]
    total: Row
    reference: str  # the reference set's name, or "" when none is loaded

    @property
    def suppressed(self) -> bool:
        return any(row.responses is None or row.invitations is None for row in self.rows)


@dataclass
class _Sums:
    responses: int = 0
    sums: list = field(default_factory=lambda: [0.0] * len(MEASURES))
    counts: list = field(default_factory=lambda: [0] * len(MEASURES))
    expected: list = field(default_factory=lambda: [0.0] * len(MEASURES))
    expected_counts: list = field(default_factory=lambda: [0] * len(MEASURES))

    def add(self, row, reference):
        self.responses += row["n"]
        for i, measure in enumerate(MEASURES):
            count = row[f"count_{i}"]
            if not count:
                continue
            self.sums[i] += row[f"mean_{i}"] * count
            self.counts[i] += count
            ref = reference.get((measure.instrument, measure.code, row["band"], row["ref_sex"]))
            if ref is None:
                ref = reference.get((measure.instrument, measure.code, row["band"], ""))
            if ref is not None:
                self.expected[i] += ref * count
                self.expected_counts[i] += count

    def cells(self, shown: bool) -> list[Cell]:
        cells = []
        for i in range(len(MEASURES)):
            enough = shown and self.counts[i] >= MIN_GROUP
            mean = self.sums[i] / self.counts[i] if enough else None
            # Compared only where every score counted has a reference value for its age and sex.
            complete = enough and self.expected_counts[i] == self.counts[i]
            cells.append(Cell(mean, self.expected[i] / self.counts[i] if complete else None))
        return cells


def reference_means(reference_set) -> dict:
    if reference_set is None:
        return {}
    values = reference_set.values.values_list("instrument", "measure", "age_band", "sex", "mean")
    return {(i, m, b, s): float(mean) for i, m, b, s, mean in values}


def scoped(since: date | None = None, until: date | None = None):
    """Every invitation and response (the dashboard is aggregate, across trusts), by invitation date."""
    invitations, responses = Invitation.objects.all(), Response.objects.all()  # unscoped-ok: aggregates only
    if since:
        invitations, responses = (
            invitations.filter(invited_on__gte=since),
            responses.filter(invitation__invited_on__gte=since),
        )
    if until:
        invitations, responses = (
            invitations.filter(invited_on__lte=until),
            responses.filter(invitation__invited_on__lte=until),
        )
    return invitations, responses


def _response_rows(grouping, responses):
    ref_sex = Case(
        When(patient__sex__in=[StatedGender.MALE, StatedGender.FEMALE], then=F("patient__sex")),
        default=Value(""),
        output_field=CharField(),
    )
    aggregates = {"n": Count("pk")}
    for i, measure in enumerate(MEASURES):
        value = Cast(KT(f"scores__{measure.instrument}__{measure.code}"), FloatField())
        aggregates[f"mean_{i}"] = Avg(value)
        aggregates[f"count_{i}"] = Count(value)
    on = "invitation__invited_on"
    annotated = responses.annotate(group=grouping.expression(on), band=age_band_of(on), ref_sex=ref_sex)
    return annotated.values("group", "band", "ref_sex").annotate(**aggregates).order_by()


def _label(grouping, raw) -> str:
    if grouping.describe is not None:
        return grouping.describe(raw)
    return grouping.labels.get(raw) or NOT_RECORDED


def _order(grouping, raw):
    if grouping.labels:
        keys = list(grouping.labels)
        return (0, keys.index(raw), "") if raw in keys else (1, 0, "")
    return (0 if raw not in (None, "") else 1, 0, str(raw))


def table(grouping: Grouping, *, since=None, until=None, reference_set=None) -> Table:
    invitations, responses = scoped(since, until)
    reference_set = reference_set if reference_set is not None else ReferenceSet.current()
    reference = reference_means(reference_set)
    invited = dict(
        invitations.annotate(group=grouping.expression("invited_on"))
        .values_list("group")
        .annotate(n=Count("pk"))
        .order_by()
    )
    sums, total = defaultdict(_Sums), _Sums()
    for row in _response_rows(grouping, responses):
        sums[row["group"]].add(row, reference)
        total.add(row, reference)
    groups = sorted(set(invited) | set(sums), key=lambda raw: _order(grouping, raw))
    hide_invited = hidden({g: invited.get(g, 0) for g in groups})
    hide_responses = hidden({g: sums[g].responses for g in groups})
    rows = []
    for raw in groups:
        shown = raw not in hide_responses
        rows.append(
            Row(
                label=_label(grouping, raw),
                invitations=None if raw in hide_invited else invited.get(raw, 0),
                responses=sums[raw].responses if shown else None,
                cells=sums[raw].cells(shown),
            )
        )
    invited_total = sum(invited.values())
    total_shown = not 0 < total.responses < MIN_GROUP
    total_row = Row(
        label="All",
        invitations=None if 0 < invited_total < MIN_GROUP else invited_total,
        responses=total.responses if total_shown else None,
        cells=total.cells(total_shown),
    )
    return Table(grouping, rows, total_row, str(reference_set) if reference_set else "")


def tables(*, since=None, until=None) -> list[Table]:
    reference_set = ReferenceSet.current()
    return [table(g, since=since, until=until, reference_set=reference_set) for g in GROUPINGS]
