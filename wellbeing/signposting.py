"""Signposting picked from the wellbeing resource library and services directory (issue 13 items 1
and 2): a care plan item's form, and a cancer care review's, offer the live entries whose topics
answer the concerns in hand (a topic's `concern_codes`, data), or every live entry when no topic
answers them. Other apps reach this through `portal.signposting` (WellbeingConfig's hooks), never
by import. A pick is written into
the item's signposting text as a line with its link or contact: a snapshot of what the person was
given, so a locked plan still says it after the library entry changes or is retired, and the PDF,
API, FHIR and amend-as-a-new-version carry it with no new field. Free text stays beside the picks."""

from django.db.models import Q

from wellbeing.models import Resource, SupportService

MOST = 40  # a list a nurse can scan; the search pages hold the rest


def _matching(model, codes: list[str]):
    live = model.objects.filter(retired_at__isnull=True)
    if codes:
        matched = live.filter(topics__concern_codes__overlap=codes).distinct()
        if matched.exists():
            return matched
    return live


def line_for(entry) -> str:
    """How a pick reads in the plan: its name and where to find it."""
    if isinstance(entry, Resource):
        where = entry.url or f"ask your care team for “{entry.title}”"
        return f"{entry.title}: {where}"
    contact = ", ".join(filter(None, [entry.phone, entry.email, entry.website]))
    return f"{entry.name}: {contact}"


def choices(concern_codes: list[str]) -> list[tuple[str, str]]:
    """[(value, label)] for a form: resources first, then services."""
    resources = _matching(Resource, concern_codes).order_by("title")[:MOST]
    services = _matching(SupportService, concern_codes).order_by("name")[:MOST]
    return [(f"resource:{r.pk}", f"Information: {r.title}") for r in resources] + [
        (f"service:{s.pk}", f"Service: {s.name}") for s in services
    ]


def lines(picked: list[str]) -> list[str]:
    """The text lines for the picked values (unknown or retired ones are dropped)."""
    ids = {"resource": [], "service": []}
    for value in picked:
        kind, _, pk = value.partition(":")
        if kind in ids:
            ids[kind].append(pk)
    found = list(Resource.objects.filter(Q(pk__in=ids["resource"]), retired_at__isnull=True).order_by("title"))
    found += list(SupportService.objects.filter(pk__in=ids["service"], retired_at__isnull=True).order_by("name"))
    return [line_for(entry) for entry in found]
