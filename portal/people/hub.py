"""The patient page is the hub: each domain app lists its records about the patient there.

`portal` imports no domain app, so the page asks Django's app registry: every AppConfig that has a
`patient_sections(patient, user)` method returns the sections it has to show (ADR 0023). The app
reads through `visible_to(user)` and leaves out a section the user's role may not read at all; the
hub puts each section's entries newest first, and the view writes one access-log event per record
shown."""

import datetime
from dataclasses import dataclass, field

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
