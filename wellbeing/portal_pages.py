"""What wellbeing shows on other apps' pages through portal.people.hub's hooks: "Suggested for you"
on a patient's My care, and the same suggestions beside a care and support plan for the staff who
build it (issue 13 item 5). Most relevant first (keep_order), so not newest first."""

from django.utils import timezone

from portal.people.hub import Entry, Section
from wellbeing import suggestions
from wellbeing.services.bookings import when_text


def _entries(found) -> list[Entry]:
    now = timezone.now()
    entries = [
        Entry(s.title, f"/wellbeing/sessions/{s.pk}/", "Session", "nhsuk-tag--blue", now, s, when_text(s))
        for s in found.sessions
    ]
    entries += [
        Entry(r.title, f"/wellbeing/resources/{r.pk}/", "Information", "nhsuk-tag--green", now, r, r.summary)
        for r in found.resources
    ]
    entries += [
        Entry(s.name, f"/wellbeing/directory/{s.pk}/", "Service", "nhsuk-tag--purple", now, s, s.offers)
        for s in found.services
    ]
    return entries


def _section(patient, user, *, title, intro) -> list[Section]:
    found = suggestions.for_patient(patient, user)
    if not found:
        return []
    about = ", ".join(c.lower() for c in found.concerns[:3])
    return [
        Section(
            title=title,
            entries=_entries(found),
            empty="",
            keep_order=True,
            intro=intro.format(about=about),
            read=[found.assessment] if found.assessment is not None else [],
        )
    ]


def my_care_sections(user) -> list[Section]:
    return _section(
        user.patient,
        user,
        title="Suggested for you",
        intro="Because your last needs assessment mentioned {about}: sessions, information and services that may help.",
    )


def care_plan_sections(patient, user) -> list[Section]:
    return _section(
        patient,
        user,
        title="Sessions, information and services for these concerns",
        intro="Matched to the concerns of the latest assessment ({about}): to signpost to in the plan.",
    )
