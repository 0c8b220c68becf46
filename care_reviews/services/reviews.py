"""Recording a cancer care review or early contact (issue 14 items 2 and 3): completed with what was
discussed and the actions agreed, or declined or not contactable with the reason. Only the
patient's own practice may record one (the policy table's CARE_REVIEW change rule); a completed
review closes the patient's open request for one.

Bad input, each refused in words that name the field: a date before the diagnosis or in the
future, a patient of another practice, a second completed review of the same kind for a diagnosis,
no reason for one not done, an action without who does it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from care_reviews.models import Kind, Outcome, Review, ReviewAction, ReviewRequest
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.audit.models import Action
from portal.audit.services import record

FIELDS = (
    "mode", "carer_attended", "carer_name", "experience", "concerns_physical", "concerns_emotional",
    "concerns_practical", "concerns_financial", "medication_reviewed", "main_carer", "consequences_discussed",
    "recurrence_symptoms_discussed", "lifestyle_advice", "signposting", "getting_back_in", "next_review",
)  # fmt: skip
# An early contact is the shorter form: how it went, concerns, and how to get back in.
EARLY_FIELDS = ("mode", "carer_attended", "carer_name", "experience", "concerns_physical", "concerns_emotional",
                "concerns_practical", "concerns_financial", "signposting", "getting_back_in")  # fmt: skip
TWICE = "A completed {kind} is already recorded for this diagnosis"


def check(*, diagnosis, kind, outcome, reviewed_on, reason="", mode="", next_review=None, actions=(), today=None):
    today = today or timezone.localdate()
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = "Choose an early contact or a cancer care review"
    if outcome not in Outcome.values:
        errors["outcome"] = "Choose whether the review was done, declined or the patient could not be contacted"
    if reviewed_on is None:
        errors["reviewed_on"] = "Enter the date of the review"
    elif reviewed_on > today:
        errors["reviewed_on"] = "The date of the review must be today or in the past"
    elif reviewed_on < diagnosis.date_of_diagnosis:
        diagnosed = f"{diagnosis.date_of_diagnosis:%-d %B %Y}"
        errors["reviewed_on"] = f"The date of the review must be on or after the diagnosis ({diagnosed})"
    if outcome == Outcome.COMPLETED and not mode:
        errors["mode"] = "Choose how the review was done: face to face, phone or video"
    if outcome in (Outcome.DECLINED, Outcome.NOT_CONTACTABLE) and not reason.strip():
        errors["reason"] = "Enter why the review was not done"
    if next_review is not None and reviewed_on is not None and next_review <= reviewed_on:
        errors["next_review"] = "The next review must be after this one"
    for n, (action, owner) in enumerate(actions if outcome == Outcome.COMPLETED else (), start=1):
        if action.strip() and not owner.strip():
            errors["actions"] = f"Enter who will do action {n}"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_review(*, actor, diagnosis, kind, outcome, reviewed_on, reason="", actions=(), **fields) -> Review:
    """A review for one diagnosis of a patient registered at the actor's practice."""
    patient = diagnosis.patient
    practice = policy.practice_of(actor, RecordKind.CARE_REVIEW, "change")
    if practice is None:
        raise PermissionDenied("Only the patient's GP practice records a cancer care review")
    if patient.registered_practice_id != practice.pk:
        raise PermissionDenied("This patient is not registered at your practice")
    policy.require_for_patient(actor, RecordKind.CARE_REVIEW, patient, "change")
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"not a review field: {sorted(unknown)}")
    check(
        diagnosis=diagnosis, kind=kind, outcome=outcome, reviewed_on=reviewed_on, reason=reason,
        mode=fields.get("mode", ""), next_review=fields.get("next_review"), actions=actions,
    )  # fmt: skip
    done = Review.objects.filter(diagnosis=diagnosis, kind=kind, outcome=Outcome.COMPLETED)
    if outcome == Outcome.COMPLETED and done.exists():
        raise ValidationError({"kind": TWICE.format(kind=Kind(kind).label.split(" (")[0].lower())})
    try:
        with transaction.atomic():
            review = Review.objects.create(
                patient=patient, diagnosis=diagnosis, practice=practice, kind=kind, outcome=outcome,
                reason=reason.strip() if outcome != Outcome.COMPLETED else "", reviewed_on=reviewed_on,
                recorded_by=actor, **(fields if outcome == Outcome.COMPLETED else {}),
            )  # fmt: skip
    except IntegrityError as clash:  # two people saving the same review at once: the constraint
        raise ValidationError({"kind": TWICE.format(kind=Kind(kind).label.split(" (")[0].lower())}) from clash
    if outcome == Outcome.COMPLETED:  # a review not done agreed nothing: keep only why
        ReviewAction.objects.bulk_create(
            ReviewAction(review=review, action=a.strip(), owner=o.strip(), position=n)
            for n, (a, o) in enumerate(actions)
            if a.strip()
        )
    record(Action.CREATE, actor=actor, patient=patient, obj=review)
    if outcome == Outcome.COMPLETED:
        ReviewRequest.objects.filter(patient=patient, closed_at__isnull=True).update(
            closed_at=timezone.now(), review=review, updated_at=timezone.now()
        )
    return review


@transaction.atomic
def ask_for_review(*, actor, patient, what_about: str = "") -> ReviewRequest:
    """The patient asks their practice for a review from My care; one open request at a time."""
    policy.require_for_patient(actor, RecordKind.CARE_REVIEW_REQUEST, patient, "change")
    if patient.registered_practice_id is None:
        raise ValidationError("We do not know your GP practice yet: please ask your care team to add it")
    open_request = ReviewRequest.objects.filter(patient=patient, closed_at__isnull=True).first()
    if open_request is not None:
        return open_request
    made = ReviewRequest.objects.create(
        patient=patient, practice_id=patient.registered_practice_id, what_about=what_about.strip()
    )
    record(Action.CREATE, actor=actor, patient=patient, obj=made)
    return made
