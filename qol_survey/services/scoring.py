"""Scoring (ADR 0033), the one place the portal and `manage.py qol_score` both call.

Cancer-30 scales, per the published scoring manual: the raw score RS is the mean of the scale's
answered items; range is the item scale's highest minus lowest answer (3 for 1-4 items, 6 for 1-7);
functional scales score (1 - (RS - 1) / range) x 100, symptom scales and global health
((RS - 1) / range) x 100. A scale is scored when at least half its items are answered, else None.
Scores keep full precision; rounding is for display only.

Health profile: the index is the value set's value for the five answers' health state (None if any
is missing), and the 0-100 "health today" answer is given back as it is.

An answer outside its item's scale, not a whole number, or for an item the instrument does not have
raises AnswerError naming the item: a wrong answer is never scored as a missing one."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from qol_survey.models import Instrument, Item, ItemPart, ScaleKind, ValueSet


class AnswerError(ValueError):
    def __init__(self, item: str, message: str):
        self.item = item
        super().__init__(f"item {item}: {message}")


class NotLoaded(LookupError):
    """No published instrument with that code, or no value set: a setup problem, not a bad answer."""


@dataclass(frozen=True)
class ItemDef:
    code: str
    lowest: int
    highest: int
    part: str


@dataclass(frozen=True)
class ScaleDef:
    code: str
    kind: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Definition:
    code: str
    version: str
    items: dict[str, ItemDef]
    scales: tuple[ScaleDef, ...]


def definition(code: str, version: str | None = None) -> Definition:
    """What scoring needs of an instrument, read once: the newest published version unless named."""
    query = Instrument.objects.filter(code=code)
    instrument = query.filter(version=version).first() if version else Instrument.current(code)
    if instrument is None:
        raise NotLoaded(f"no published instrument {code!r}" + (f" version {version!r}" if version else ""))
    items = {i.code: ItemDef(i.code, i.lowest, i.highest, i.part) for i in instrument.items.order_by("position")}
    # Three queries in all: each scale's items come ordered in the prefetch, not a query a scale.
    ordered = Prefetch("items", queryset=Item.objects.order_by("position"))
    scales = tuple(
        ScaleDef(s.code, s.kind, tuple(i.code for i in s.items.all()))
        for s in instrument.scales.order_by("position").prefetch_related(ordered)
    )
    return Definition(instrument.code, instrument.version, items, scales)


def check_answers(answers: dict, definition: Definition) -> dict[str, int]:
    """The answers given (None and absent both mean not answered), each checked against its item."""
    given = {}
    for code, answer in answers.items():
        item = definition.items.get(code)
        if item is None:
            raise AnswerError(code, f"is not an item of {definition.code} (its items are {_item_range(definition)})")
        if answer is None:
            continue
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise AnswerError(code, f"answer {answer!r} is not a whole number from {item.lowest} to {item.highest}")
        if not item.lowest <= answer <= item.highest:
            raise AnswerError(code, f"answer {answer} is outside {item.lowest} to {item.highest}")
        given[code] = answer
    return given


def _item_range(definition: Definition) -> str:
    codes = list(definition.items)
    return ", ".join(codes) if len(codes) <= 6 else f"{codes[0]} to {codes[-1]}"


def scale_score(scale: ScaleDef, given: dict[str, int], definition: Definition) -> float | None:
    answered = [given[code] for code in scale.items if code in given]
    if len(answered) * 2 < len(scale.items):  # the half rule: at least half the items answered
        return None
    first = definition.items[scale.items[0]]
    span = first.highest - first.lowest
    raw = sum(answered) / len(answered)
    if scale.kind == ScaleKind.FUNCTIONAL:
        return (1 - (raw - 1) / span) * 100
    return ((raw - 1) / span) * 100


def score_cancer_30(answers: dict, definition: Definition) -> dict[str, float | None]:
    """Each scale's score 0-100 (None where fewer than half its items were answered), by scale code."""
    given = check_answers(answers, definition)
    return {scale.code: scale_score(scale, given, definition) for scale in definition.scales}


@dataclass(frozen=True)
class ProfileScore:
    state: str | None  # e.g. "11213"; None when a dimension is unanswered
    index: Decimal | None
    health_today: int | None


def score_profile(answers: dict, definition: Definition, value_set: ValueSet | None = None) -> ProfileScore:
    given = check_answers(answers, definition)
    dimensions = [item.code for item in definition.items.values() if item.part == ItemPart.DIMENSION]
    today = next((item.code for item in definition.items.values() if item.part == ItemPart.HEALTH_TODAY), None)
    health_today = given.get(today) if today else None
    if any(code not in given for code in dimensions):
        return ProfileScore(None, None, health_today)
    state = "".join(str(given[code]) for code in dimensions)
    value_set = value_set or ValueSet.current()
    if value_set is None:
        raise NotLoaded("no value set is loaded: load one with manage.py qol_load_value_set")
    row = value_set.rows.filter(state=state).first()
    return ProfileScore(state, row.index if row else None, health_today)


def score(answers: dict, definition: Definition, value_set: ValueSet | None = None) -> dict:
    """Either instrument's scores as plain data: the cancer-30's scales, or the profile's index and
    health today (the index as a float at full stored precision)."""
    if definition.code == "health-profile-5d":
        result = score_profile(answers, definition, value_set)
        index = float(result.index) if result.index is not None else None
        return {"state": result.state, "index": index, "health_today": result.health_today}
    return score_cancer_30(answers, definition)
