"""The daily HNA sweep: remind patients who have not finished their assessment, and expire old
passcodes. Safe to run twice or in parallel: rows are claimed with SKIP LOCKED and marked
`reminded_at` in the same transaction as the message, and every message has an idempotency key.

Who gets what, by the patient's preferred contact:
- email or text message: the `hna.reminder` message through the outbox;
- post (or no email address / mobile number on file): no letter, because a letter would arrive
  after a good part of the passcode's 14 days. Instead the care team gets a worklist item
  "Patient has not finished their HNA", so someone can phone them.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from hna.models import Assessment, Passcode
from hna.services import passcodes
from portal.audit.models import Action
from portal.audit.services import record
from portal.outbox.services import queue_notification
from portal.people.models import Patient
from portal.worklist.models import Kind
from portal.worklist.services import raise_item

logger = logging.getLogger(__name__)

SYSTEM_ACTOR = "hna-reminders"
CHUNK = 500
UNFINISHED_TITLE = "Patient has not finished their HNA"


@dataclass
class DailyResult:
    messages: int = 0  # email or text message reminders queued
    team_items: int = 0  # worklist items for patients we do not message
    passcodes_expired: int = 0

    def as_dict(self) -> dict:
        return {"messages": self.messages, "team_items": self.team_items, "passcodes_expired": self.passcodes_expired}


def due_reminders(now):
    """Unfinished assessments set up more than HNA_REMINDER_DAYS ago, not yet reminded, whose
    patient is alive and still holds a live passcode (a reminder without one helps nobody)."""
    live_passcode = Passcode.objects.filter(
        assessment=OuterRef("pk"),
        purpose="assessment",
        revoked_at__isnull=True,
        used_at__isnull=True,
        locked_at__isnull=True,
        expires_at__gt=now,
    )
    return Assessment.objects.filter(
        status__in=[Assessment.Status.SET_UP, Assessment.Status.IN_PROGRESS],
        created_at__lt=now - timedelta(days=settings.HNA_REMINDER_DAYS),
        reminded_at__isnull=True,
        patient__date_of_death__isnull=True,
    ).filter(Exists(live_passcode))


def run_daily(now=None) -> DailyResult:
    """The beat task's work, callable without a broker."""
    now = now or timezone.now()
    result = DailyResult()
    while True:
        claimed = _remind_chunk(now, result)
        if claimed < CHUNK:
            break
    result.passcodes_expired = passcodes.expire_old(now)
    logger.info("hna reminders: %s", result.as_dict())
    return result


@transaction.atomic
def _remind_chunk(now, result: DailyResult) -> int:
    """Claim up to CHUNK due assessments (rows another run holds are skipped, not waited for),
    remind each and mark it, all in one transaction: a crash sends nothing and marks nothing."""
    batch = list(
        due_reminders(now)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("patient", "team")
        .order_by("created_at")[:CHUNK]
    )
    for assessment in batch:
        if _message(assessment):
            result.messages += 1
        else:
            _team_item(assessment)
            result.team_items += 1
        record(Action.UPDATE, system_actor=SYSTEM_ACTOR, patient=assessment.patient, obj=assessment)
    Assessment.objects.filter(pk__in=[a.pk for a in batch], reminded_at__isnull=True).update(
        reminded_at=now, updated_at=now
    )
    return len(batch)


def _message(assessment) -> bool:
    """Queue the reminder by email or text; False when the patient cannot get one."""
    patient = assessment.patient
    channel = patient.preferred_contact
    recipient = {Patient.Contact.EMAIL: patient.email, Patient.Contact.SMS: patient.mobile}.get(channel)
    if not recipient:
        return False
    queue_notification(
        recipient=recipient,
        channel=channel,
        template="hna.reminder",
        patient=patient,
        idempotency_key=f"hna-reminder:{assessment.pk}",
        context={"first_name": patient.given_name, "team": assessment.team.name, "team_phone": assessment.team.phone},
    )
    return True


def _team_item(assessment) -> None:
    raise_item(
        kind=Kind.OTHER,
        patient=assessment.patient,
        team=assessment.team,
        source_type="hna.assessment.unfinished",
        source_id=assessment.pk,
        title=UNFINISHED_TITLE,
        link=f"/hna/assessments/{assessment.pk}/",
        system_actor=SYSTEM_ACTOR,
    )
