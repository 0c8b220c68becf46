"""Aggregate reporting that every report shares (ADR 0039, moved here by ADR 0055): the small-number
rule and the SQL that puts a person in an age band. Counts below MIN_GROUP are never shown (a count
of 0 identifies no one), and where exactly one group in a set is hidden, the next smallest is hidden
too, so the set's total cannot give the small one away."""

from django.db.models import Case, CharField, F, Func, IntegerField, Value, When
from django.db.models.functions import Replace, Upper
from django.db.models.lookups import GreaterThanOrEqual

MIN_GROUP = 10
HIDDEN = "fewer than 10"


def hidden(counts: dict) -> set:
    """The groups whose count is not shown: fewer than MIN_GROUP (a count of 0 identifies no one),
    and where exactly one is hidden, the next smallest too, so the total cannot give it away."""
    small = {key for key, n in counts.items() if 0 < n < MIN_GROUP}
    if len(small) == 1:
        rest = sorted((n, str(key), key) for key, n in counts.items() if key not in small and n > 0)
        if rest:
            small.add(rest[0][2])
    return small


def total_hidden(total: int) -> bool:
    """A total is a group of its own: hidden when it is small (and not 0)."""
    return 0 < total < MIN_GROUP


class Age(Func):
    """Whole years between two dates: age on the day of an event."""

    template = "EXTRACT(YEAR FROM AGE(%(expressions)s))::integer"
    output_field = IntegerField()


def age_band(on, date_of_birth, bands):
    """The label of the band (label, lowest age, highest age or None) the age on `on` falls in, or ""
    (younger than every band). `on` and `date_of_birth` are expressions or field paths."""
    on = F(on) if isinstance(on, str) else on
    age = Age(on, F(date_of_birth))
    whens = [When(GreaterThanOrEqual(age, low), then=Value(label)) for label, low, _high in reversed(bands)]
    return Case(*whens, default=Value(""), output_field=CharField())


def postcode_key(postcode):
    """A postcode as the deprivation table keys it: upper case, no spaces (`postcode`: an expression,
    such as OuterRef("patient__postcode") in a subquery)."""
    return Replace(Upper(postcode), Value(" "), Value(""))


def decile_label(decile) -> str:
    """A deprivation decile as reports print it (the QoL dashboard, the alliance report); None is
    a postcode the deprivation table does not have."""
    ends = {1: " (most deprived)", 10: " (least deprived)"}
    return f"Decile {decile}{ends.get(decile, '')}" if decile else "Postcode not in the deprivation table"
