"""The daily chase: nothing about a treatment summary waits unseen (ADR 0021).

- Due: treatment ended TREATMENT_SUMMARY_DUE_WEEKS ago (Diagnosis.end_of_treatment_date) and a care
  team of the patient has started no summary for that diagnosis: a worklist item for the team.
- Overdue: a summary still in draft DRAFT_OVERDUE_AFTER the end of treatment: an item for its team.
- Not acknowledged: the practice has not acknowledged a sent summary TREATMENT_SUMMARY_REMINDER_DAYS
  after it arrived: a reminder email to the practice; TREATMENT_SUMMARY_ESCALATE_DAYS after that
  reminder, still not: an item for the care team (at once when the practice has no email address).

Every item is raised once per source: a second run, or a run after someone closed the item by hand,
makes nothing new (a source with any item of its kind is skipped; raise_item's unique index decides
a race between two runs). Rows are worked in chunks, so memory stays flat. The services that do the
work close the items (portal.worklist.services.close_for_source): summaries.start (due),
summaries.sign_off (overdue), inbox.acknowledge (not acknowledged), and summaries.send cancels the
item of a version an amendment replaces."""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from portal.audit.models import Action
from portal.audit.services import record
from portal.outbox.services import queue_notification
from portal.people.models import Diagnosis
from portal.ui.presenters import format_date
from portal.worklist.models import Kind, Priority, WorkItem
from portal.worklist.services import raise_item
from treatment_summaries.models import PracticeDelivery, SummaryVersion, TreatmentSummary

logger = logging.getLogger(__name__)

SYSTEM_ACTOR = "treatment-summaries"
CHUNK = 500
DRAFT_OVERDUE_AFTER = timedelta(weeks=6)
SUMMARY_SOURCE = "treatment_summaries.summary"
DELIVERY_SOURCE = "treatment_summaries.practicedelivery"
# A due summary is about a diagnosis and a team; its source_id is both ids, 32 hex digits each, to
# fit WorkItem.source_id's 64 characters.
DUE_SOURCE = "treatment_summaries.due"
REMINDER_TEMPLATE = "treatment_summaries.practice_reminder"


def due_source_id(diagnosis_id, team_id) -> str:
    return uuid.UUID(str(diagnosis_id)).hex + uuid.UUID(str(team_id)).hex


def run_daily(now=None) -> dict:
    """The beat task's work, callable without a broker."""
    now = now or timezone.now()
    counts = {
        "drafts_overdue": raise_overdue_drafts(now),
        "summaries_due": raise_summaries_due(now),
        "practices_reminded": remind_practices(now),
        "not_acknowledged": raise_not_acknowledged(now),
    }
    logger.info("treatment summaries chase: %s", counts)
    return counts


# Summaries to write


def raise_overdue_drafts(now=None) -> int:
    """A summary still in draft 6 weeks after its diagnosis's end of treatment goes on the team's
    worklist (raise_item never makes a duplicate, so running twice is safe)."""
    today = timezone.localdate(now or timezone.now())
    drafts = SummaryVersion.objects.filter(
        status=SummaryVersion.Status.DRAFT,
        number=1,  # an amendment's draft is of a summary already sent: not overdue
        summary__diagnosis__end_of_treatment_date__lte=today - DRAFT_OVERDUE_AFTER,
    ).select_related("summary__patient", "summary__team", "summary__diagnosis")
    raised = 0
    for version in drafts.iterator(chunk_size=CHUNK):
        summary = version.summary
        raise_item(
            **overdue_item(summary),
            patient=summary.patient,
            team=summary.team,
            title=f"Treatment summary for {summary.patient.full_name} is overdue",
            priority=Priority.HIGH,
            due_by=summary.diagnosis.end_of_treatment_date + DRAFT_OVERDUE_AFTER,
            link=f"/treatment-summaries/{summary.pk}/",
            system_actor=SYSTEM_ACTOR,
        )
        raised += 1
    return raised


def raise_summaries_due(now=None) -> int:
    """Diagnoses whose treatment ended TREATMENT_SUMMARY_DUE_WEEKS ago or more, of living patients:
    an item for each care team that should write the summary and has not started it."""
    today = timezone.localdate(now or timezone.now())
    ended = (
        Diagnosis.objects.filter(
            end_of_treatment_date__lte=today - timedelta(weeks=settings.TREATMENT_SUMMARY_DUE_WEEKS),
            patient__date_of_death__isnull=True,
        )
        .select_related("patient")
        .prefetch_related("patient__care_teams")
        .order_by("pk")
    )
    raised, after = 0, None
    while True:
        batch = list((ended if after is None else ended.filter(pk__gt=after))[:CHUNK])
        raised += _raise_due(batch)
        if len(batch) < CHUNK:
            return raised
        after = batch[-1].pk


def writing_teams(diagnosis) -> list:
    """Who writes the summary: the patient's care teams of the diagnosis's tumour site, or, when
    none on their caseload is of that site, every care team they have (someone must be asked)."""
    teams = list(diagnosis.patient.care_teams.all())
    return [t for t in teams if t.tumour_site == diagnosis.tumour_site] or teams


def _raise_due(batch) -> int:
    started = set(TreatmentSummary.objects.filter(diagnosis__in=batch).values_list("diagnosis_id", "team_id"))
    wanted = {
        due_source_id(d.pk, team.pk): (d, team)
        for d in batch
        for team in writing_teams(d)
        if (d.pk, team.pk) not in started
    }
    raised_before = set(
        WorkItem.objects.filter(kind=Kind.SUMMARY_DUE, source_type=DUE_SOURCE, source_id__in=wanted).values_list(
            "source_id", flat=True
        )
    )
    raised = 0
    for source_id, (diagnosis, team) in wanted.items():
        if source_id in raised_before:
            continue
        patient = diagnosis.patient
        raise_item(
            **due_item(diagnosis, team),
            patient=patient,
            team=team,
            title=f"Treatment summary due for {patient.full_name}",
            priority=Priority.ROUTINE,
            due_by=diagnosis.end_of_treatment_date + DRAFT_OVERDUE_AFTER,
            link=reverse("treatment_summaries:start", kwargs={"patient_id": patient.pk}),
            system_actor=SYSTEM_ACTOR,
        )
        raised += 1
    return raised


# Summaries the practice has not acknowledged


def _unacknowledged():
    """Deliveries waiting for the practice, of the version currently sent (one an amendment has
    replaced is the amendment's to chase)."""
    return PracticeDelivery.objects.filter(acknowledged_at__isnull=True, version__status=SummaryVersion.Status.SENT)


def remind_practices(now=None) -> int:
    """Email each practice about every summary it has not acknowledged REMINDER_DAYS after it came."""
    now = now or timezone.now()
    due = _unacknowledged().filter(
        reminded_at__isnull=True, created_at__lte=now - timedelta(days=settings.TREATMENT_SUMMARY_REMINDER_DAYS)
    )
    reminded = 0
    while True:
        claimed = _remind_chunk(due, now)
        reminded += claimed
        if claimed < CHUNK:
            return reminded


@transaction.atomic
def _remind_chunk(due, now) -> int:
    """Claim up to CHUNK deliveries (rows another run holds are skipped, not waited for), chase each
    and mark it reminded, in one transaction: a crash sends nothing and marks nothing."""
    batch = list(
        due.select_for_update(skip_locked=True, of=("self",))
        .select_related("practice", "version__summary__patient", "version__summary__team")
        .order_by("created_at", "pk")[:CHUNK]
    )
    for delivery in batch:
        summary = delivery.version.summary
        if delivery.practice.email:
            queue_notification(
                recipient=delivery.practice.email,
                channel="email",
                template=REMINDER_TEMPLATE,
                idempotency_key=f"eots-practice-reminder:{delivery.pk}",
                # No patient: the email says nothing of who it is about (the inbox does).
                context={
                    "practice": delivery.practice.name,
                    "team": summary.team.name,
                    "sent": format_date(timezone.localdate(delivery.created_at)),
                },
            )
        else:  # nobody to remind: the care team phones instead, without waiting a week
            _raise_not_acknowledged(delivery)
        record(Action.UPDATE, system_actor=SYSTEM_ACTOR, patient=summary.patient, obj=delivery)
    PracticeDelivery.objects.filter(pk__in=[d.pk for d in batch]).update(reminded_at=now, updated_at=now)
    return len(batch)


def raise_not_acknowledged(now=None) -> int:
    """An item for the care team for every delivery still not acknowledged ESCALATE_DAYS after the
    practice was reminded (once: a delivery with any such item is left alone)."""
    now = now or timezone.now()
    raised_before = WorkItem.objects.filter(
        kind=Kind.SUMMARY_NOT_ACKNOWLEDGED,
        source_type=DELIVERY_SOURCE,
        source_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    due = (
        _unacknowledged()
        .filter(reminded_at__lte=now - timedelta(days=settings.TREATMENT_SUMMARY_ESCALATE_DAYS))
        .exclude(Exists(raised_before))
        .select_related("practice", "version__summary__patient", "version__summary__team")
        .order_by("pk")
    )
    raised = 0
    while True:
        # Each delivery raised leaves `due`, so the next chunk is the next one.
        batch = list(due[:CHUNK])
        for delivery in batch:
            _raise_not_acknowledged(delivery)
        raised += len(batch)
        if len(batch) < CHUNK:
            return raised


def _raise_not_acknowledged(delivery) -> None:
    summary = delivery.version.summary
    title = f"{delivery.practice.name} has not acknowledged the treatment summary for {summary.patient.full_name}"
    raise_item(
        **not_acknowledged_item(delivery),
        patient=summary.patient,
        team=summary.team,
        title=title[:200],
        priority=Priority.HIGH,
        link=reverse("treatment_summaries:summary", kwargs={"summary_id": summary.pk}),
        system_actor=SYSTEM_ACTOR,
    )


# Which item is about what: the services that do the work close it with
# close_for_source(**item, actor=...), as raise_item raised it.


def due_item(diagnosis, team) -> dict:
    return {"kind": Kind.SUMMARY_DUE, "source_type": DUE_SOURCE, "source_id": due_source_id(diagnosis.pk, team.pk)}


def overdue_item(summary) -> dict:
    return {"kind": Kind.SUMMARY_OVERDUE, "source_type": SUMMARY_SOURCE, "source_id": summary.pk}


def not_acknowledged_item(delivery) -> dict:
    return {"kind": Kind.SUMMARY_NOT_ACKNOWLEDGED, "source_type": DELIVERY_SOURCE, "source_id": delivery.pk}
