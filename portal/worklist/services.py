"""Raising and working worklist items. Apps call `raise_item`; it is safe to call twice."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.access import policy
from portal.audit.models import Action
from portal.audit.services import record, record_many, who
from portal.worklist.models import OPEN_STATUSES, TRANSITIONS, Priority, Status, WorkItem, WorkItemStatusChange


@transaction.atomic
def raise_item(
    *,
    kind,
    patient,
    source_type,
    source_id,
    title,
    team=None,
    practice=None,
    priority=Priority.ROUTINE,
    due_by=None,
    link="",
    actor=None,
    system_actor=None,
) -> WorkItem:
    """Create the open item for this source, or return the one already open (never a duplicate,
    even when two workers raise it at once: the partial unique index decides)."""
    spec = {"kind": kind, "patient": patient, "source_type": source_type, "source_id": source_id, "title": title}
    spec.update(team=team, practice=practice, priority=priority, due_by=due_by, link=link)
    raise_items([spec], actor=actor, system_actor=system_actor)
    return WorkItem.objects.get(kind=kind, source_type=source_type, source_id=str(source_id), status__in=OPEN_STATUSES)


@transaction.atomic
def raise_items(specs, *, actor=None, system_actor=None) -> list[WorkItem]:
    """raise_item for many sources in four queries (a daily sweep's thousands): each spec a dict of
    raise_item's item fields. Returns the items created now; a source with an open item gets none."""
    candidates = [WorkItem(**{**spec, "source_id": str(spec["source_id"])}) for spec in specs]
    if not candidates:
        return []
    WorkItem.objects.bulk_create(candidates, ignore_conflicts=True)
    inserted = set(WorkItem.objects.filter(pk__in=[c.pk for c in candidates]).values_list("pk", flat=True))
    ours = [c for c in candidates if c.pk in inserted]  # not an existing open one
    WorkItemStatusChange.objects.bulk_create(
        [WorkItemStatusChange(work_item=item, to_status=Status.OPEN, created_by=actor) for item in ours]
    )
    record_many(
        Action.CREATE,
        [(item.patient, item) for item in ours],
        who_fields=who(actor=actor, system_actor=system_actor or "worklist"),
    )
    return ours


@transaction.atomic
def change_status(item: WorkItem, to_status: str, *, actor) -> WorkItem:
    """Move an item on (transitions declared once, in the model). Only its own team or practice may."""
    policy.require(actor, item)
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    if to_status not in TRANSITIONS[Status(item.status)]:
        raise ValidationError(
            f"A {item.get_status_display().lower()} item cannot become {Status(to_status).label.lower()}"
        )
    WorkItemStatusChange.objects.create(work_item=item, from_status=item.status, to_status=to_status, created_by=actor)
    item.status = to_status
    item.save(update_fields=["status", "updated_at"])
    record(Action.UPDATE, actor=actor, patient=item.patient, obj=item)
    return item


@transaction.atomic
def assign(item: WorkItem, assignee, *, actor) -> WorkItem:
    """Give an item to a person; only its own team or practice may, and only to someone who could work it."""
    policy.require(actor, item)
    if assignee is not None:
        policy.require(assignee, item)
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    item.assignee = assignee
    item.save(update_fields=["assignee", "updated_at"])
    record(Action.UPDATE, actor=actor, patient=item.patient, obj=item)
    return item


@transaction.atomic
def close_for_source(*, kind, source_type, source_id, to_status=Status.DONE, actor=None, system_actor=None) -> int:
    """The open item for this source has had its work done, or no longer needs it (a summary was
    started, a delivery acknowledged or replaced): move it to `to_status`, recording who did the
    work. No policy check here: the calling service has checked its actor for that work, and the
    item may belong to another owner (a practice acknowledging closes the care team's chase)."""
    return close_for_sources(
        kind=kind,
        source_type=source_type,
        source_ids=[source_id],
        to_status=to_status,
        actor=actor,
        system_actor=system_actor,
    )


@transaction.atomic
def close_for_sources(*, kind, source_type, source_ids, to_status=Status.DONE, actor=None, system_actor=None) -> int:
    """close_for_source for many sources in four queries; returns how many items it closed."""
    if to_status not in (Status.DONE, Status.CANCELLED):
        raise ValueError(f"an item is closed as done or cancelled, not {str(to_status)!r}")
    items = list(
        WorkItem.objects.select_for_update(of=("self",))
        .select_related("patient")
        .filter(
            kind=kind, source_type=source_type, source_id__in=[str(s) for s in source_ids], status__in=OPEN_STATUSES
        )
    )
    if not items:
        return 0
    WorkItemStatusChange.objects.bulk_create(
        [
            WorkItemStatusChange(work_item=item, from_status=item.status, to_status=to_status, created_by=actor)
            for item in items
        ]
    )
    WorkItem.objects.filter(pk__in=[item.pk for item in items]).update(status=to_status, updated_at=timezone.now())
    record_many(
        Action.UPDATE, [(item.patient, item) for item in items], who_fields=who(actor=actor, system_actor=system_actor)
    )
    return len(items)
