"""The patient page is the hub: each domain app lists its records about the patient there.

`portal` imports no domain app, so the page asks Django's app registry: every AppConfig that has a
`patient_sections(patient, user)` method returns the sections it has to show (ADR 0023). The app
reads through `visible_to(user)` and leaves out a section the user's role may not read at all; the
hub puts each section's entries newest first, and the view writes one access-log event per record
shown. The GP practice's home asks the same way, `practice_home_sections(user)`: counts first, then
a few named records (ADR 0049)."""

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from django.apps import apps


@dataclass(frozen=True)
class Entry:
    """One record in a section: what it is, its status tag, and where it opens."""

    title: str
    url: str
    status: str
    status_class: str  # an nhsuk-tag modifier, like "nhsuk-tag--green"
    when: datetime.datetime  # orders the section, newest first
    record: object  # the model instance shown (the access log names it)
    detail: str = ""  # a line under the title: dates, team, version


@dataclass
class Section:
    title: str
    entries: list[Entry]
    empty: str  # said when there is nothing yet, like "No care and support plans yet."
    # Links to start something new, for those who may: [(text, href)].
    actions: list[tuple[str, str]] = field(default_factory=list)
    # Entries in the order the app gave (most relevant first), not newest first: suggestions.
    keep_order: bool = False
    intro: str = ""  # a sentence under the title
    # Records read to build the section but not listed in it (the HNA suggestions come from): the
    # access log names them too.
    read: list = field(default_factory=list)


def patient_sections(patient, user) -> list[Section]:
    """Every installed app's sections, in INSTALLED_APPS order, each newest first."""
    return _ask("patient_sections", patient, user)


def care_plan_sections(patient, user) -> list[Section]:
    """What apps show beside a care and support plan: an AppConfig's `care_plan_sections(patient,
    user)`, the same shape as `patient_sections`, so the plan page imports no other app (ADR 0038)."""
    return _ask("care_plan_sections", patient, user)


def my_care_sections(user) -> list[Section]:
    """What apps show on a patient's own My care page: an AppConfig's `my_care_sections(user)`."""
    patient = getattr(user, "patient", None)
    return [] if patient is None else _ask("my_care_sections", patient, user)


def _ask(hook: str, patient, user) -> list[Section]:
    sections = []
    for config in apps.get_app_configs():
        provide = getattr(config, hook, None)
        if callable(provide):
            sections.extend(provide(user) if hook == "my_care_sections" else provide(patient, user))
    for found in sections:
        if not found.keep_order:
            found.entries = sorted(found.entries, key=lambda entry: entry.when, reverse=True)
    return sections


def shown_records(patient, sections) -> list[tuple]:
    """(patient, record) pairs for the access log: the patient record, then every entry shown."""
    shown = [(patient, entry.record) for s in sections for entry in s.entries]
    return [(patient, None), *shown, *((patient, record) for s in sections for record in s.read)]


# The GP practice's home (ADR 0049): counts first, from every app that has work for the practice.


class Count(NamedTuple):
    """One number on the practice's home: what it counts, and the page that lists them ("" if none)."""

    label: str
    number: int
    href: str = ""


@dataclass(frozen=True)
class HomeEntry:
    """One named record in a home section's short list; it names a patient, so the access log has it."""

    title: str
    url: str
    patient: object
    record: object
    detail: str = ""


@dataclass
class HomeSection:
    title: str
    counts: list[Count]
    link: tuple[str, str] | None = None  # (text, href): the page the practice works this from
    entries: list[HomeEntry] = field(default_factory=list)  # the first few, most pressing first
    entries_title: str = ""
    more: int = 0  # how many there are beyond the entries listed
    # The page's order, lowest first (ties keep INSTALLED_APPS order): what came in from the hospital,
    # then what the practice owes its patients, then what it follows, then what the hospital asked.
    position: int = 0


def practice_home_sections(user) -> list[HomeSection]:
    """What every installed app has for the practice's home: an AppConfig's `practice_home_sections(user)`,
    counted through `visible_to(user)` in a fixed number of queries however many patients."""
    sections = []
    for config in apps.get_app_configs():
        provide = getattr(config, "practice_home_sections", None)
        if callable(provide):
            sections.extend(provide(user))
    return sorted(sections, key=lambda s: s.position)


def home_records(sections) -> list[tuple]:
    """(patient, record) pairs for the access log: every record the home names (counts name no one),
    once each, though a summary asking two actions is listed twice."""
    shown = {}
    for entry in (entry for s in sections for entry in s.entries):
        shown.setdefault((entry.record._meta.label, entry.record.pk), (entry.patient, entry.record))
    return list(shown.values())


# The follow-up tests planned for a patient (ADR 0054): the treatment summary lists them in its plan.


def surveillance_plan(patient, team, user) -> dict | None:
    """The first app's answer to `surveillance_plan(patient, team, user)`: {"pathway": its name or None,
    "rows": [plain dicts, one per test], "set_url": where this user may choose one, or ""}. None when
    no installed app plans follow-up tests."""
    for config in apps.get_app_configs():
        provide = getattr(config, "surveillance_plan", None)
        if callable(provide):
            return provide(patient, team, user)
    return None
