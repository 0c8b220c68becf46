"""Setting up, answering and submitting an HNA. Staff operations take `actor=`; patient operations
take the assessment their passcode opened.

Written to the access log (portal.audit): `set_up`, `reissue_passcode`, `record_offer_outcome` and
`mark_reviewed` by staff, and the patient's `submit`, which sends the whole assessment to the team.

The COSD offer status follows the assessment (ADR 0050): set at set-up, "offered and accepted" when
the patient sends it, or declined, unable to complete or not required when staff record that an
open offer ended so; each time with the date of that status.
Not written to it, by design (ADR 0011: the patient's own pages write nothing to the access log):
the patient's answers as they go, `save_ticks`, `save_scores` and `save_answers`. Their history is
kept all the same: database triggers (django-pghistory) record every insert and update of
`Assessment` and `ConcernAnswer`, and each status change has an `AssessmentStatusChange` row."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hna import cosd
from hna.models import (
    Assessment,
    AssessmentStatusChange,
    ChecklistVersion,
    ConcernAnswer,
    ConcernItem,
    OfferStatus,
    Passcode,
)
from hna.services import passcodes
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.audit.models import Action
from portal.audit.services import record
from portal.outbox.services import queue_notification
from portal.people import support
from portal.people.roles import role_in_use
from portal.worklist.models import OPEN_STATUSES, Kind, Priority, Status, WorkItem
from portal.worklist.services import change_status, raise_item

HIGH_DISTRESS = 5  # a distress score of 5 or more usually prompts professional support
# Only an offer the patient took up (or has not yet decided on) needs a passcode. Declined, not
# offered, unable to complete and not required are recorded for COSD and closed at once.
PASSCODE_OFFER_STATUSES = frozenset({OfferStatus.OFFERED_UNDECIDED, OfferStatus.ACCEPTED})
# How an open offer can end other than with the patient sending the assessment.
OFFER_OUTCOMES = frozenset({OfferStatus.DECLINED, OfferStatus.UNABLE_TO_COMPLETE, OfferStatus.NOT_REQUIRED})


class AssessmentClosed(ValidationError):
    """The assessment was submitted or cancelled: the patient can no longer change it."""


@dataclass
class SetUp:
    assessment: Assessment
    passcode: str  # the raw passcode: shown once, never stored; "" when the offer needs none


def default_staff_role(actor) -> str:
    """The COSD staff role the actor's role in use gives (the set-up form's suggestion)."""
    role = role_in_use(actor)
    return cosd.default_staff_role(role.role if role else "")


def _transition(assessment, to_status, *, actor=None, by_patient=False):
    AssessmentStatusChange.objects.create(
        assessment=assessment,
        from_status=assessment.status,
        to_status=to_status,
        created_by=actor,
        by_patient=by_patient,
    )
    assessment.status = to_status


def new_assessment(*, actor, patient, point_of_pathway, trigger, staff_role_code, **fields) -> Assessment:
    """The row every HNA starts as, set up for the patient or entered by staff: the team and role in
    use, COSD codes checked by name, and the communication answers the team already knows (ADR 0052).
    A building block: the caller has asked the policy table, holds the transaction and writes the
    access log row, so the row and its audit land together or not at all."""
    role = role_in_use(actor)
    cosd.POINT_OF_PATHWAY.require(point_of_pathway)
    staff_role_code = cosd.STAFF_ROLE.require(staff_role_code or cosd.default_staff_role(role.role))
    assessment = Assessment.objects.create(
        patient=patient,
        team=role.team,
        checklist_version=ChecklistVersion.current(),
        set_up_by=actor,
        staff_role=role.role,
        cosd_staff_role=staff_role_code,
        point_of_pathway=point_of_pathway,
        trigger=trigger,
        **support.hna_prefill(patient),
        **fields,
    )
    AssessmentStatusChange.objects.create(assessment=assessment, to_status=assessment.status, created_by=actor)
    return assessment


@transaction.atomic
def set_up(
    *, actor, patient, point_of_pathway, trigger, offer_status, event_date, send_by="", staff_role_code=""
) -> SetUp:
    """A CNS, clinician or support worker sets up an HNA for a patient of their team. An offer
    that was declined, not made, not required or could not be completed is recorded and closed.
    The COSD staff role is the one chosen, or the one the role in use gives; codes not in the COSD
    lists are refused, naming the field."""
    policy.require_for_patient(actor, RecordKind.HNA, patient)
    assessment = new_assessment(
        actor=actor,
        patient=patient,
        point_of_pathway=point_of_pathway,
        trigger=trigger,
        staff_role_code=staff_role_code,
        offer_status=offer_status,
        offer_status_date=event_date,
        event_date=event_date,
    )
    record(Action.CREATE, actor=actor, patient=patient, obj=assessment)
    if offer_status not in PASSCODE_OFFER_STATUSES:
        if send_by:
            raise ValidationError({"send_by": "There is no passcode to send when the assessment is not going ahead"})
        _transition(assessment, Assessment.Status.CANCELLED, actor=actor)
        assessment.save(update_fields=["status", "updated_at"])
        return SetUp(assessment, "")
    _, raw = passcodes.issue(assessment)
    if send_by:
        send_passcode(assessment, raw, channel=send_by)
    return SetUp(assessment, raw)


@transaction.atomic
def reissue_passcode(*, actor, assessment, send_by="") -> str:
    """A new passcode (after a lock, a loss or expiry); the old one stops working."""
    policy.require(actor, assessment)
    if not assessment.is_open_to_patient:
        raise AssessmentClosed(
            f"This assessment is {assessment.get_status_display().lower()}: it does not need a passcode"
        )
    _, raw = passcodes.issue(assessment, actor=actor)
    record(Action.UPDATE, actor=actor, patient=assessment.patient, obj=assessment)
    if send_by:
        send_passcode(assessment, raw, channel=send_by)
    return raw


def send_passcode(assessment, raw: str, *, channel: str) -> None:
    """Email or text the passcode to the patient through the outbox (its `secret_` key is removed
    from the database once sent)."""
    patient = assessment.patient
    recipient = patient.email if channel == "email" else patient.mobile
    if not recipient:
        raise ValidationError(
            {"send_by": f"The patient has no {'email address' if channel == 'email' else 'mobile number'}"}
        )
    queue_notification(
        recipient=recipient,
        channel=channel,
        template="hna.passcode",
        patient=patient,
        idempotency_key=f"hna-passcode:{passcodes.digest(raw)}",
        context={
            "first_name": patient.given_name,
            "team": assessment.team.name,
            "team_phone": assessment.team.phone,
            "secret_passcode": passcodes.display(raw),
        },
    )


def closed_message(assessment) -> str:
    if assessment.status == Assessment.Status.CANCELLED:
        return "This assessment has been closed by your care team. Call them if you want to talk about it"
    return "You have already sent this assessment to your care team"


def open_for_patient(passcode: Passcode) -> Assessment:
    """The assessment a live passcode opens; closed ones refuse (so a re-post after submit fails)."""
    assessment = Assessment.objects.select_related("patient", "team", "checklist_version").get(
        pk=passcode.assessment_id
    )
    if not assessment.is_open_to_patient:
        raise AssessmentClosed(closed_message(assessment))
    return assessment


def _start(assessment):
    if assessment.status == Assessment.Status.SET_UP:
        _transition(assessment, Assessment.Status.IN_PROGRESS, by_patient=True)
        assessment.save(update_fields=["status", "updated_at"])


@transaction.atomic
def save_ticks(assessment, category_code: str, ticked_codes: set[str]) -> None:
    """The patient's ticks for one category. Unticking a concern clears its score."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_open_to_patient:
        raise AssessmentClosed(closed_message(assessment))
    items = ConcernItem.objects.filter(category__version=assessment.checklist_version_id, category__code=category_code)
    known = {item.code: item for item in items}
    unknown = set(ticked_codes) - set(known)
    if unknown:
        raise ValidationError("Select concerns from the list")
    for code, item in known.items():
        ticked = code in ticked_codes
        defaults = {"ticked": ticked} if ticked else {"ticked": False, "score": None}
        ConcernAnswer.objects.update_or_create(assessment=assessment, item=item, defaults=defaults)
    _start(assessment)


@transaction.atomic
def save_scores(assessment, scores: dict[str, int]) -> None:
    """Scores 0-10 for ticked concerns. A score for a concern that is not ticked is refused."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_open_to_patient:
        raise AssessmentClosed(closed_message(assessment))
    answers = {a.item.code: a for a in assessment.answers.select_related("item")}
    for code, score in scores.items():
        answer = answers.get(code)
        if answer is None or not answer.ticked:
            raise ValidationError("You can only score a concern you have ticked")
        if score is not None and not 0 <= score <= 10:
            raise ValidationError("Scores must be between 0 and 10")
        answer.score = score
        answer.save(update_fields=["score", "updated_at"])
    _start(assessment)


PATIENT_FIELDS = {
    "distress_score",
    "anything_else",
    "wants_company",
    "communication_needs",
    "communication_detail",
    "last_page",
}


@transaction.atomic
def save_answers(assessment, **fields) -> Assessment:
    """Answers outside the checklist (distress score, anything else, company, communication)."""
    if set(fields) - PATIENT_FIELDS:
        raise ValueError(f"not a patient answer: {set(fields) - PATIENT_FIELDS}")
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not assessment.is_open_to_patient:
        raise AssessmentClosed(closed_message(assessment))
    for name, value in fields.items():
        setattr(assessment, name, value)
    # What the patient wrote about communication (the language they want, a hearing aid) goes with
    # the needs they ticked: with none ticked it describes nothing, so it is not kept.
    assessment.communication_detail = assessment.communication_detail.strip() if assessment.communication_needs else ""
    assessment.full_clean(exclude=["patient", "team", "checklist_version", "set_up_by"])
    _start(assessment)
    assessment.save()
    return assessment


@transaction.atomic
def submit(passcode: Passcode) -> Assessment:
    """The patient sends the assessment: the passcode stops working, the team gets a worklist item,
    and the professional who set it up gets an email."""
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("patient", "team", "set_up_by")
        .get(pk=passcode.assessment_id)
    )
    if not assessment.is_open_to_patient or not passcodes.is_live(passcode.pk):
        raise AssessmentClosed(closed_message(assessment))
    complete(assessment, by_patient=True)
    passcodes.mark_used(passcode)
    queue_notification(
        recipient=assessment.set_up_by.email,
        channel="email",
        template="hna.submitted",
        idempotency_key=f"hna-submitted:{assessment.pk}:set-up-by",
        context={
            "staff_name": assessment.set_up_by.first_name,
            "team": assessment.team.name,
            "link": f"/hna/assessments/{assessment.pk}/",
            "high_distress": is_high_distress(assessment),
        },
    )
    record(Action.UPDATE, system_actor="hna-patient", patient=assessment.patient, obj=assessment)
    return assessment


def is_high_distress(assessment) -> bool:
    return assessment.distress_score is not None and assessment.distress_score >= HIGH_DISTRESS


def complete(assessment, *, actor=None, by_patient=False) -> None:
    """Sent to the team (by the patient, or entered by staff, hna.services.staff_entry): every ticked
    concern scored, the status and COSD offer status moved on, and the review worklist item raised.
    Called inside the caller's transaction, on a row it has locked."""
    unscored = assessment.answers.filter(ticked=True, score__isnull=True).count()
    if unscored:
        raise ValidationError(
            f"Give a score from 0 to 10 for {unscored} ticked {'concern' if unscored == 1 else 'concerns'}"
        )
    _transition(assessment, Assessment.Status.SUBMITTED, actor=actor, by_patient=by_patient)
    assessment.submitted_at = timezone.now()
    # Completing it is COSD's "offered and accepted", dated the day it was sent (for a paper form,
    # the day the patient filled it in: ADR 0053).
    assessment.offer_status = OfferStatus.ACCEPTED
    assessment.offer_status_date = assessment.completed_on_paper or timezone.localdate(assessment.submitted_at)
    assessment.save(update_fields=["status", "submitted_at", "offer_status", "offer_status_date", "updated_at"])
    raise_item(
        kind=Kind.HNA_SUBMITTED,
        patient=assessment.patient,
        team=assessment.team,
        source_type="hna.assessment",
        source_id=assessment.pk,
        title=f"Review HNA from {assessment.patient.full_name}",
        priority=Priority.HIGH if is_high_distress(assessment) else Priority.ROUTINE,
        link=f"/hna/assessments/{assessment.pk}/",
        actor=actor,
        system_actor=None if actor else "hna-patient",
    )


@transaction.atomic
def record_offer_outcome(*, actor, assessment, offer_status, on) -> Assessment:
    """An open offer ended without an assessment: the patient declined, could not complete it, or it
    is no longer needed. The offer status and its date are recorded and the assessment is closed, so
    its passcode stops working."""
    policy.require(actor, assessment)
    assessment = Assessment.objects.select_for_update().select_related("patient").get(pk=assessment.pk)
    if offer_status not in OFFER_OUTCOMES:
        raise ValidationError({"offer_status": "Select declined, unable to complete or not required"})
    if not assessment.is_open_to_patient:
        raise AssessmentClosed(
            f"This assessment is {assessment.get_status_display().lower()}: its offer status can no longer change"
        )
    if not assessment.event_date <= on <= timezone.localdate():
        raise ValidationError({"on": "The date must be between the date of the offer and today"})
    _transition(assessment, Assessment.Status.CANCELLED, actor=actor)
    assessment.offer_status, assessment.offer_status_date = offer_status, on
    assessment.save(update_fields=["status", "offer_status", "offer_status_date", "updated_at"])
    record(Action.UPDATE, actor=actor, patient=assessment.patient, obj=assessment)
    return assessment


@transaction.atomic
def mark_reviewed(*, actor, assessment) -> Assessment:
    """The assessment's care team has read it; its worklist item is done."""
    policy.require(actor, assessment)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError("Only a submitted assessment can be marked as reviewed")
    _transition(assessment, Assessment.Status.REVIEWED, actor=actor)
    assessment.reviewed_at, assessment.reviewed_by = timezone.now(), actor
    assessment.save(update_fields=["status", "reviewed_at", "reviewed_by", "updated_at"])
    # Reviewing it is the work the worklist item asked for.
    for item in WorkItem.objects.filter(
        kind=Kind.HNA_SUBMITTED, source_type="hna.assessment", source_id=str(assessment.pk), status__in=OPEN_STATUSES
    ):
        change_status(item, Status.DONE, actor=actor)
    record(Action.UPDATE, actor=actor, patient=assessment.patient, obj=assessment)
    return assessment
