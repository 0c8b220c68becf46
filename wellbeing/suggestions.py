""" "Suggested for you" (issue 13 item 5): the upcoming sessions, resources and services that match the
concerns of a patient's latest holistic needs assessment, by topic tags kept as data (a Topic's
`concern_codes`; ADR 0043). Fatigue scored 8 finds the fatigue session; worry finds "Coping with
worry and anxiety". The patient sees them on My care; staff see the same beside the care plan.

The assessment is read through `Assessment.objects.visible_to(user)`, so the policy table decides
here as on every page: a patient sees suggestions from their own HNA, the care team from the
patient's, and anyone else (a service admin, a practice) gets none. Sessions, resources and
services are reference data: no one's record is in them."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from hna.models import Assessment, ConcernAnswer
from portal.people.models import Diagnosis
from wellbeing.models import Session, SessionStatus
from wellbeing.services import library

DONE = (Assessment.Status.SUBMITTED, Assessment.Status.REVIEWED)
MOST = 3  # of each kind: a short list a person reads, not a catalogue


@dataclass
class Suggestions:
    concerns: list[str] = field(default_factory=list)  # the concerns they answer, highest score first
    assessment: object = None  # the HNA read (the access log names it)
    sessions: list = field(default_factory=list)
    resources: list = field(default_factory=list)
    services: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.sessions or self.resources or self.services)


def latest_assessment(patient, user):
    """The patient's latest finished HNA that the user may see, or None."""
    return (
        Assessment.objects.visible_to(user)
        .filter(patient=patient, status__in=DONE)
        .order_by("-submitted_at")
        .only("pk", "patient_id")
        .first()
    )


def latest_concerns(assessment) -> list[tuple[str, str]]:
    """(item code, item text) of an HNA's ticked concerns, highest score first."""
    answers = (
        ConcernAnswer.objects.filter(assessment=assessment, ticked=True)
        .select_related("item")
        .order_by("-score", "item__position")
    )
    return [(a.item.code, a.item.text) for a in answers]


def upcoming_sessions(topic_ids):
    now = timezone.now()
    month = timezone.localdate().replace(day=1)
    return (
        Session.objects.filter(status=SessionStatus.SCHEDULED, topics__in=topic_ids)
        .filter(Q(starts_at__gt=now) | Q(starts_at__isnull=True, tbc_month__gte=month))
        .filter(Q(booking_closes_at__isnull=True) | Q(booking_closes_at__gt=now))
        .distinct()
    )


def _ranked(rows, order: dict) -> list:
    """Each row's best topic rank (its highest-scored concern) first, soonest or by title after."""
    return sorted(rows, key=lambda row: min((order.get(t.pk, 99) for t in row.topics.all()), default=99))


def _next_of_each_series(sessions) -> list:
    """A weekly series is one suggestion, its next session, not four rows of the same title."""
    seen, kept = set(), []
    for session in sessions:
        if session.series is None or session.series not in seen:
            kept.append(session)
            seen.add(session.series)
    return kept


def for_patient(patient, user, *, most: int = MOST) -> Suggestions:
    assessment = latest_assessment(patient, user)
    concerns = latest_concerns(assessment) if assessment is not None else []
    if not concerns:
        return Suggestions()
    codes = [code for code, _ in concerns]
    topics = library.topics_for_concerns(codes)
    if not topics:
        return Suggestions(concerns=[text for _, text in concerns], assessment=assessment)
    # A topic ranks by the highest-scored concern it answers.
    order = {t.pk: min(codes.index(c) for c in t.concern_codes if c in codes) for t in topics}
    ids = list(order)
    latest = Diagnosis.objects.visible_to(user).filter(patient=patient).order_by("-date_of_diagnosis").first()
    site = latest.tumour_site if latest is not None else ""  # resources for their cancer, or for all
    sessions = _next_of_each_series(_ranked(upcoming_sessions(ids).prefetch_related("topics"), order))
    resources = _ranked(library.resources_for_topics(ids, site=site).prefetch_related("topics"), order)
    services = _ranked(library.services_for_topics(ids).prefetch_related("topics"), order)
    return Suggestions(
        concerns=[text for _, text in concerns],
        assessment=assessment,
        sessions=sessions[:most],
        resources=resources[:most],
        services=services[:most],
    )
