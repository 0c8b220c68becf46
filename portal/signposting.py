"""Signposting picks for any form that records where a person was pointed for help: a care plan
item (hna) and a cancer care review (care_reviews). The library and directory belong to wellbeing,
and apps do not import each other (ADR 0023), so this asks the app registry for the app that offers
`signposting_choices(concern_codes)` and `signposting_lines(picked)`; with none installed there is
nothing to pick and free text stays."""

from django.apps import apps


def _source():
    return next((c for c in apps.get_app_configs() if hasattr(c, "signposting_choices")), None)


def choices(concern_codes=()) -> list[tuple[str, str]]:
    """[(value, label)] matched to these concern codes (HNA item codes), or every live entry."""
    source = _source()
    return source.signposting_choices([c for c in concern_codes if c]) if source else []


def merged(text: str, picked) -> str:
    """The free text with each picked entry's line (its name and link or contact) added once, after
    what was there: a snapshot of what the person was given, kept if the entry later changes."""
    source = _source()
    have = (text or "").splitlines()
    new = [line for line in (source.signposting_lines(list(picked)) if source and picked else []) if line not in have]
    return "\n".join([*have, *new]).strip()
