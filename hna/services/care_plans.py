"""Personalised care and support plans: started from an HNA, edited in the conversation, agreed and
locked, unlocked to amend as a new version. Every edit names the plan's `lock_version` the editor
saw; a stale number is refused, so two staff saving at once never overwrite each other silently."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from hna import cosd
from hna.models import Assessment, CarePlan, CarePlanItem, ConcernItem, ItemOwner, ItemStatus
from portal.access import policy
from portal.audit.models import Action
from portal.audit.services import record
from portal.people.roles import role_in_use

LOCKED_MESSAGE = "This plan is agreed and locked. Unlock it to make changes."
CHANGED_MESSAGE = (
    "Someone else changed this plan while you were editing. Your changes have not been saved: "
    "check the plan and make them again."
)
PLANNABLE = (Assessment.Status.SUBMITTED, Assessment.Status.REVIEWED)
ITEM_FIELDS = {"what_matters", "action", "owner", "owner_detail", "signposting", "due_date", "status", "outcome"}
NEEDS_DETAIL = {ItemOwner.OTHER_PROFESSIONAL, ItemOwner.SERVICE}


class PlanLocked(ValidationError):
    """The plan is locked or superseded: it is read-only."""

    def __init__(self, message=LOCKED_MESSAGE):
        super().__init__(message, code="locked")


class BlankConcerns(ValidationError):
    """Locking would agree concerns with nothing recorded: whoever locks must confirm that first."""

    def __init__(self, concerns: list[str]):
        self.concerns = concerns
        super().__init__(f"These concerns have nothing recorded: {', '.join(concerns)}", code="blank")


def _staff_role(actor) -> str:
    """The COSD staff role of the plan event: that of the actor's role in use (ADR 0050)."""
    role = role_in_use(actor)
    return cosd.default_staff_role(role.role if role else "")


def is_blank(item) -> bool:
    """Nothing recorded for this concern: no field filled in and its status never moved."""
    return item.status == ItemStatus.NOT_STARTED and not any(getattr(item, name) for name in ITEM_FIELDS - {"status"})


def blank_concerns(plan) -> list[str]:
    return [item.concern for item in plan.items.all() if is_blank(item)]


class PlanChanged(ValidationError):
    """Someone saved the plan after this editor opened it."""

    def __init__(self, message=CHANGED_MESSAGE):
        super().__init__(message, code="changed")


def _claim(actor, plan, seen_lock_version) -> CarePlan:
    """Compare-and-set on lock_version: bump it if it is still the one the editor saw and the plan is
    a draft. The UPDATE holds the row lock to the end of the transaction, so a second editor with the
    same number waits, then matches nothing and is refused."""
    policy.require(actor, plan)
    claimed = CarePlan.objects.filter(pk=plan.pk, status=CarePlan.Status.DRAFT, lock_version=seen_lock_version).update(
        lock_version=F("lock_version") + 1, updated_at=timezone.now()
    )
    current = CarePlan.objects.select_related("patient").get(pk=plan.pk)
    if not claimed:
        raise PlanLocked() if current.status != CarePlan.Status.DRAFT else PlanChanged()
    return current


@transaction.atomic
def start_plan(*, actor, assessment) -> CarePlan:
    """A draft plan from a submitted HNA: one item per ticked concern, highest score first. If the
    assessment already has a plan, that plan (its newest version) is returned instead."""
    # The assessment's own care team plans with the patient (the plan is that team's).
    policy.require(actor, assessment)
    assessment = Assessment.objects.select_for_update().select_related("patient").get(pk=assessment.pk)
    if assessment.status not in PLANNABLE:
        raise ValidationError("A care plan can only be started once the patient has sent their assessment")
    existing = assessment.care_plans.order_by("-version").first()
    if existing is not None:
        return existing
    plan = CarePlan.objects.create(
        patient=assessment.patient,
        team=assessment.team,
        assessment=assessment,
        started_by=actor,
        cosd_staff_role=_staff_role(actor),
    )
    answers = (
        assessment.answers.filter(ticked=True)
        .select_related("item__category")
        .order_by(F("score").desc(nulls_last=True), "item__category__position", "item__position")
    )
    CarePlanItem.objects.bulk_create(
        CarePlanItem(
            plan=plan,
            concern_item=answer.item,
            concern=answer.item.text,
            category=answer.item.category.name,
            score=answer.score,
            position=position,
        )
        for position, answer in enumerate(answers)
    )
    record(Action.CREATE, actor=actor, patient=plan.patient, obj=plan)
    return plan


@transaction.atomic
def update_item(*, actor, item, seen_lock_version, **fields) -> CarePlanItem:
    """What matters, the agreed action, who, by when, signposting, status and outcome of one concern."""
    if set(fields) - ITEM_FIELDS:
        raise ValueError(f"not an item field: {set(fields) - ITEM_FIELDS}")
    if fields.get("owner") in NEEDS_DETAIL and not fields.get("owner_detail"):
        raise ValidationError({"owner_detail": "Enter who will do this"})
    plan = _claim(actor, item.plan, seen_lock_version)
    item = CarePlanItem.objects.get(pk=item.pk, plan=plan)
    for name, value in fields.items():
        setattr(item, name, "" if value is None and name != "due_date" else value)
    item.full_clean(exclude=["plan", "concern_item"])
    item.save()
    record(Action.UPDATE, actor=actor, patient=plan.patient, obj=item)
    return item


@transaction.atomic
def add_concern(*, actor, plan, seen_lock_version, concern_item=None, concern="", category="") -> CarePlanItem:
    """A concern staff add that the patient did not tick: a checklist item or their own words."""
    if concern_item is None and not concern.strip():
        raise ValidationError("Choose a concern from the checklist or describe another one")
    plan = _claim(actor, plan, seen_lock_version)
    if concern_item is not None:
        if not ConcernItem.objects.filter(
            pk=concern_item.pk, category__version=plan.assessment.checklist_version_id
        ).exists():
            raise ValidationError("Choose a concern from this assessment's checklist")
        if plan.items.filter(concern_item=concern_item).exists():
            raise ValidationError("That concern is already in the plan")
        concern, category = concern_item.text, concern_item.category.name
    last = plan.items.aggregate(last=Max("position"))["last"]
    item = CarePlanItem.objects.create(
        plan=plan,
        concern_item=concern_item,
        concern=concern.strip(),
        category=category,
        added_by_staff=True,
        position=0 if last is None else last + 1,
    )
    record(Action.CREATE, actor=actor, patient=plan.patient, obj=item)
    return item


@transaction.atomic
def update_summary(*, actor, plan, seen_lock_version, summary: str) -> CarePlan:
    """The summary of the care planning conversation."""
    plan = _claim(actor, plan, seen_lock_version)
    plan.summary = summary
    plan.save(update_fields=["summary", "updated_at"])
    record(Action.UPDATE, actor=actor, patient=plan.patient, obj=plan)
    return plan


@transaction.atomic
def set_sharing(*, actor, plan, seen_lock_version, shared_with_gp: bool) -> CarePlan:
    """Whether the patient agrees to share the plan with their GP practice (GP staff see it once locked)."""
    plan = _claim(actor, plan, seen_lock_version)
    plan.shared_with_gp = shared_with_gp
    plan.save(update_fields=["shared_with_gp", "updated_at"])
    record(Action.UPDATE, actor=actor, patient=plan.patient, obj=plan)
    return plan


def lock_staff_role(actor, plan) -> str:
    """The lock form's suggested COSD staff role: the one given when the HNA was set up (usually the
    same professional), else the one the actor's role in use gives (ADR 0053)."""
    return plan.assessment.cosd_staff_role or _staff_role(actor)


@transaction.atomic
def lock(*, actor, plan, seen_lock_version, confirm_blank=False, staff_role_code="") -> CarePlan:
    """Agree and lock: records who and when; the plan becomes read-only and the patient can see it.
    A plan with concerns that have nothing recorded locks only when `confirm_blank` says the locker
    saw them listed (BlankConcerns otherwise); the seen `lock_version` proves that list is current.
    The COSD staff role of the plan event is the one chosen, or the one the role in use gives; a code
    not in the COSD list is refused, naming the field."""
    if staff_role_code:
        cosd.STAFF_ROLE.require(staff_role_code)
    plan = _claim(actor, plan, seen_lock_version)
    blanks = blank_concerns(plan)
    if blanks and not confirm_blank:
        raise BlankConcerns(blanks)  # the transaction rolls back: nothing changed
    plan.status = CarePlan.Status.LOCKED
    plan.locked_by, plan.locked_at = actor, timezone.now()
    plan.cosd_staff_role = staff_role_code or _staff_role(actor)  # agreeing the plan is the COSD event
    plan.save(update_fields=["status", "locked_by", "locked_at", "cosd_staff_role", "updated_at"])
    record(Action.UPDATE, actor=actor, patient=plan.patient, obj=plan)
    return plan


@transaction.atomic
def unlock_to_amend(*, actor, plan) -> CarePlan:
    """A new draft version (a copy of the plan and its items); the locked one is kept, read-only, as
    superseded. A second unlock of the same plan (two clicks, two staff) returns the same new draft."""
    plan = CarePlan.objects.select_for_update().select_related("patient").get(pk=plan.pk)
    policy.require(actor, plan)
    if plan.status == CarePlan.Status.SUPERSEDED:
        return plan.next_version
    if plan.status != CarePlan.Status.LOCKED:
        raise ValidationError("This plan is a draft: you can change it without unlocking it")
    items = list(plan.items.all())
    CarePlan.objects.filter(pk=plan.pk).update(
        status=CarePlan.Status.SUPERSEDED, lock_version=F("lock_version") + 1, updated_at=timezone.now()
    )
    new = CarePlan.objects.create(
        patient=plan.patient,
        team=plan.team,
        assessment=plan.assessment,
        version=plan.version + 1,
        previous=plan,
        shared_with_gp=plan.shared_with_gp,
        summary=plan.summary,
        started_by=actor,
        cosd_staff_role=_staff_role(actor),
    )
    copied = ("concern_item_id", "concern", "category", "score", "added_by_staff", "position", *ITEM_FIELDS)
    CarePlanItem.objects.bulk_create(
        CarePlanItem(plan=new, **{name: getattr(item, name) for name in copied}) for item in items
    )
    record(Action.UPDATE, actor=actor, patient=plan.patient, obj=plan)
    record(Action.CREATE, actor=actor, patient=plan.patient, obj=new)
    return new
