"""The weekly digest (issue 14 item 5; Celery beat, Monday morning, ADR 0048): each GP practice is
emailed the cancer care reviews that became due last week and every one that is overdue, worked out
by services.due for the practice itself, with no user.

Never twice for one practice and week: the outbox's idempotency key is the practice and the ISO
week, and each practice's message is written in a transaction of its own. A second beat in the same
week, two workers at once (the unique key decides; the loser writes nothing) or a run redelivered
after its worker was killed (practices done are found by their key and skipped) make no second
email. A practice with nothing to list gets none; one with no email address is logged and skipped.

The email follows the follow-up practice emails (ADR 0029): each patient by NHS number only, with
what is due and by when; no name, no diagnosis; no patient on the outbox row (it is about many)."""

import datetime
import logging
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from care_reviews.models import Kind, Review, ReviewRequest
from care_reviews.services.due import WINDOW_MONTHS, DueList, State, due_list_of
from portal.audit.models import Action
from portal.audit.services import record_many, who
from portal.outbox.models import Notification
from portal.outbox.services import queue_notifications
from portal.people.models import Diagnosis, Organisation
from portal.ui.presenters import format_date, format_nhs_number

logger = logging.getLogger(__name__)

SYSTEM_ACTOR = "care-reviews-digest"
TEMPLATE = "care_reviews.digest"
WHAT = {Kind.EARLY_CONTACT: "early contact", Kind.REVIEW: "cancer care review"}


@dataclass
class Entry:
    patient: object
    diagnosis: Diagnosis
    kind: str
    due_by: datetime.date

    def as_context(self) -> dict:
        return {
            "nhs_number": format_nhs_number(self.patient.nhs_number),
            "what": WHAT[self.kind],
            "due_by": format_date(self.due_by),
        }


@dataclass
class Digest:
    newly_due: list
    overdue: list

    def __bool__(self) -> bool:
        return bool(self.newly_due or self.overdue)


def week_of(today: datetime.date) -> tuple[datetime.date, str]:
    """The Monday of today's ISO week, and the week's name ("2026-W49") for the idempotency key."""
    year, week, weekday = today.isocalendar()
    return today - datetime.timedelta(days=weekday - 1), f"{year}-W{week:02d}"


def idempotency_key(practice, today) -> str:
    return f"care-review-digest:{practice.pk}:{week_of(today)[1]}"


def practice_due_list(practice, today=None) -> DueList:
    """The practice's due list as its GPs see it (the policy table's PRACTICE rule: patients
    registered there; reviews and requests held by the practice), less patients who have died."""
    registered = Q(patient__registered_practice=practice)
    return due_list_of(
        Diagnosis.objects.filter(registered, patient__date_of_death__isnull=True),
        Review.objects.filter(registered, practice=practice),
        ReviewRequest.objects.filter(registered, practice=practice),
        today,
    )


def digest_for(practice, today=None) -> Digest:
    """What the practice's email lists. Newly due: became due last week, Monday to Sunday (or is due
    now and its diagnosis was recorded last week, so a late-entered diagnosis is not missed); fixed
    by the week, so each step is newly due in exactly one digest whichever day the run happens.
    Overdue: every step still overdue, week after week, until it is done, declined, not contactable or missed."""
    today = today or timezone.localdate()
    monday, _ = week_of(today)
    since = monday - datetime.timedelta(days=7)
    newly_due, overdue = [], []
    for row in practice_due_list(practice, today).rows:
        recorded = timezone.localdate(row.diagnosis.created_at)
        for step in (row.early, row.review):
            entry = Entry(row.patient, row.diagnosis, step.kind, step.due_by)
            if step.state == State.OVERDUE:
                overdue.append(entry)
            elif step.state == State.DUE and (since <= step.opens < monday or since <= recorded < monday):
                newly_due.append(entry)
    return Digest(sorted(newly_due, key=_soonest), sorted(overdue, key=_soonest))


def _soonest(entry: Entry) -> tuple:
    return (entry.due_by, entry.patient.nhs_number, entry.kind)


def practices_to_consider(today):
    """GP practices with any patient diagnosed in the window: no other practice can have a step due."""
    since = today - relativedelta(months=WINDOW_MONTHS)
    diagnosed = Diagnosis.objects.filter(
        patient__registered_practice=OuterRef("pk"), date_of_diagnosis__gte=since, date_of_diagnosis__lte=today
    )
    return Organisation.objects.filter(Exists(diagnosed), kind=Organisation.Kind.GP_PRACTICE).order_by("pk")


def run(today=None) -> dict:
    """The beat task's work, callable without a broker; counts of what each practice came to."""
    today = today or timezone.localdate()
    counts = {"sent": 0, "already": 0, "nothing_due": 0, "no_email": 0}
    # Read first, not streamed: a cursor held open across each practice's commit is fragile, and a
    # few thousand practices are little to hold.
    for practice in list(practices_to_consider(today)):
        counts[send_digest(practice, today)] += 1
    logger.info("care review digest %s: %s", week_of(today)[1], counts)
    return counts


def send_digest(practice, today=None) -> str:
    """Queue this week's digest for one practice: "sent", "already", "nothing_due" or "no_email"."""
    today = today or timezone.localdate()
    key = idempotency_key(practice, today)
    # Cheap re-runs: a practice done this week is not worked out again (the insert below decides
    # a race between two runs that both get past this).
    if Notification.objects.filter(idempotency_key=key).exists():
        return "already"
    digest = digest_for(practice, today)
    if not digest:
        return "nothing_due"
    if not practice.email:
        logger.warning("care review digest: practice %s has no email address; not sent", practice.ods_code)
        return "no_email"
    monday, _ = week_of(today)
    context = {
        "practice": practice.name,
        "week_of": format_date(monday),
        "newly_due": [e.as_context() for e in digest.newly_due],
        "overdue": [e.as_context() for e in digest.overdue],
        "link": settings.PORTAL_BASE_URL + reverse("care_reviews:due"),
    }
    message = {"recipient": practice.email, "channel": "email", "template": TEMPLATE}
    with transaction.atomic():
        created = queue_notifications([{**message, "context": context, "idempotency_key": key}])
        if not created:
            return "already"  # another run wrote it first
        # The email discloses who is due to the practice: in the access log, once, with the message.
        listed = {(e.patient.pk, e.diagnosis.pk): e.diagnosis for e in digest.newly_due + digest.overdue}
        record_many(
            Action.EXPORT,
            [(patient_id, diagnosis) for (patient_id, _), diagnosis in listed.items()],
            who_fields=who(system_actor=SYSTEM_ACTOR),
        )
    return "sent"
