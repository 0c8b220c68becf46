"""The GP practice's side of a sent summary: opening it (read), acknowledging it, and answering each
action asked of the GP; and what the hospital team sees of all that (`delivery_status`).

Only staff of the practice a summary was delivered to may read, acknowledge or answer for it; views
find the delivery through PracticeDelivery.objects.visible_to first, so others get 404 before this."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from portal.access import policy
from portal.audit.models import Action
from portal.audit.services import record
from portal.worklist.services import close_for_source
from treatment_summaries.models import GPAction, GPActionResponse, PracticeDelivery, SummaryVersion
from treatment_summaries.services import chasing

NOT_APPLICABLE_NEEDS_NOTE = "Enter why this action does not apply"


def may_act(actor, delivery: PracticeDelivery) -> bool:
    """Whether the actor may read-mark, acknowledge and answer for this delivery (the policy table:
    staff of the practice it was delivered to)."""
    return PracticeDelivery.objects.changeable_by(actor).filter(pk=delivery.pk).exists()


def _patient(delivery_or_version):
    version = getattr(delivery_or_version, "version", delivery_or_version)
    return version.summary.patient


@transaction.atomic
def mark_read(*, actor, delivery: PracticeDelivery, request=None) -> PracticeDelivery:
    """Practice staff opened the summary: every open is audited as a view; only the first sets
    first_read_at/by (a compare-and-set, so two people opening at once cannot both be first)."""
    policy.require(actor, delivery)
    if delivery.first_read_at is None:
        now = timezone.now()
        won = PracticeDelivery.objects.filter(pk=delivery.pk, first_read_at__isnull=True).update(
            first_read_at=now, first_read_by=actor, updated_at=now
        )
        if won:
            delivery.first_read_at, delivery.first_read_by = now, actor
        else:
            delivery.refresh_from_db(fields=["first_read_at", "first_read_by"])
    record(Action.VIEW, request=request, actor=actor, patient=_patient(delivery), obj=delivery)
    return delivery


@transaction.atomic
def acknowledge(*, actor, delivery: PracticeDelivery, request=None) -> tuple[PracticeDelivery, bool]:
    """Record who acknowledged the summary and when. Returns (delivery, changed): a second
    acknowledgement changes nothing, so the first person and time stay on record."""
    policy.require(actor, delivery)
    locked = (
        PracticeDelivery.objects.select_for_update(of=("self",)).select_related("acknowledged_by").get(pk=delivery.pk)
    )
    if locked.acknowledged_at is not None:
        return locked, False
    now = timezone.now()
    locked.acknowledged_at, locked.acknowledged_by = now, actor
    fields = ["acknowledged_at", "acknowledged_by", "updated_at"]
    if locked.first_read_at is None:  # acknowledging without opening the page still means it was read
        locked.first_read_at, locked.first_read_by = now, actor
        fields += ["first_read_at", "first_read_by"]
    locked.save(update_fields=fields)
    close_for_source(**chasing.not_acknowledged_item(locked), actor=actor)
    record(Action.UPDATE, request=request, actor=actor, patient=_patient(delivery), obj=locked)
    return locked, True


@transaction.atomic
def respond_to_action(*, actor, action: GPAction, status: str, note: str = "", request=None) -> GPActionResponse:
    """Answer one action asked of the GP (done, or not applicable with a note). Append-only: a
    changed answer is a new row and the latest one counts. Only staff of a practice the action's
    version was delivered to may answer."""
    if not PracticeDelivery.objects.changeable_by(actor).filter(version_id=action.version_id).exists():
        raise PermissionDenied("Only staff of the practice this summary was sent to can answer its actions")
    note = (note or "").strip()
    if status not in GPActionResponse.Status.values:
        raise ValidationError({"status": "Select done or not applicable"})
    if status == GPActionResponse.Status.NOT_APPLICABLE and not note:
        raise ValidationError({"note": NOT_APPLICABLE_NEEDS_NOTE})
    response = GPActionResponse.objects.create(action=action, status=status, note=note, created_by=actor)
    record(Action.UPDATE, request=request, actor=actor, patient=_patient(action.version), obj=response)
    return response


def latest_responses(actions) -> dict:
    """{action id: its latest GPActionResponse} in one query (DISTINCT ON, PostgreSQL)."""
    ids = [a.pk for a in actions]
    if not ids:
        return {}
    rows = (
        GPActionResponse.objects.filter(action_id__in=ids)
        .order_by("action_id", "-created_at")
        .distinct("action_id")
        .select_related("created_by")
    )
    return {r.action_id: r for r in rows}


@dataclass
class ActionStatus:
    action: GPAction
    latest: GPActionResponse | None

    @property
    def status(self) -> str:
        return self.latest.status if self.latest else ""


@dataclass
class DeliveryStatus:
    delivery: PracticeDelivery
    practice: object
    state: str
    first_read_at: datetime | None
    first_read_by: object
    acknowledged_at: datetime | None
    acknowledged_by: object
    reminded_at: datetime | None  # when the daily chase reminded the practice (services.chasing)
    # Responses are not recorded per practice (GPActionResponse has no practice), so every
    # delivery of a version shows the same latest answers.
    actions: list[ActionStatus] = field(default_factory=list)


def delivery_status(version: SummaryVersion) -> list[DeliveryStatus]:
    """For the hospital team: per practice delivery of this version, who read and acknowledged it
    and when, and per GP action its latest answer. Three queries however many rows."""
    deliveries = list(
        PracticeDelivery.objects.filter(version=version)  # the caller has already scoped the version
        .select_related("practice", "first_read_by", "acknowledged_by")
        .order_by("created_at")
    )
    actions = list(version.gp_actions.all())
    latest = latest_responses(actions)
    answers = [ActionStatus(action=a, latest=latest.get(a.pk)) for a in actions]
    return [
        DeliveryStatus(
            delivery=d,
            practice=d.practice,
            state=d.state,
            first_read_at=d.first_read_at,
            first_read_by=d.first_read_by,
            acknowledged_at=d.acknowledged_at,
            acknowledged_by=d.acknowledged_by,
            reminded_at=d.reminded_at,
            actions=answers,
        )
        for d in deliveries
    ]
