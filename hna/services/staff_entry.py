"""A professional enters an HNA for the patient (ADR 0053): keyed in from a paper form, completed
with the patient (assisted), or in clinic. The answers go through the same services as the
patient's own pages (save_ticks, save_scores, save_answers); no passcode is made, and the
assessment is sent to the review exactly as if the patient had sent it.

Written to the access log (portal.audit): `start_entry` (a CREATE, with the answers on the first
page) and `enter_scores_and_send` (an UPDATE). Who entered it and how is kept on the assessment
(`entered_by`, `entry_mode`, `completed_on_paper`), and its status changes name the professional."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hna.models import Assessment, EntryMode, OfferStatus
from hna.services import assessments
from portal.access import policy
from portal.access.kinds import RecordKind
from portal.audit.models import Action
from portal.audit.services import record

STAFF_MODES = (EntryMode.PAPER, EntryMode.ASSISTED, EntryMode.IN_CLINIC)


def check_paper_date(patient, mode: str, completed_on: datetime.date | None) -> datetime.date | None:
    """The date on the paper form: required for paper (and only kept for paper), not in the future,
    not before the patient was born. Errors name the field `completed_on_paper`."""
    if mode != EntryMode.PAPER:
        return None
    if completed_on is None:
        raise ValidationError({"completed_on_paper": "Enter the date the patient filled in the paper form"})
    if completed_on > timezone.localdate():
        raise ValidationError(
            {"completed_on_paper": "The date the patient filled in the paper form must be today or in the past"}
        )
    if completed_on < patient.date_of_birth:
        raise ValidationError(
            {"completed_on_paper": "The date the patient filled in the paper form must be after their date of birth"}
        )
    return completed_on


@transaction.atomic
def start_entry(
    *,
    actor,
    patient,
    entry_mode,
    point_of_pathway,
    trigger,
    completed_on_paper=None,
    staff_role_code="",
    ticks: dict[str, set[str]] | None = None,
    answers: dict | None = None,
) -> Assessment:
    """A new assessment entered by `actor` for a patient of their team, with the checklist ticks
    (category code -> ticked item codes) and the other answers. It waits for the scores
    (`enter_scores_and_send`); nothing reaches the team's worklist until then."""
    policy.require_for_patient(actor, RecordKind.HNA, patient)
    if entry_mode not in STAFF_MODES:
        raise ValidationError({"entry_mode": "Select how the assessment was completed"})
    on_paper = check_paper_date(patient, entry_mode, completed_on_paper)
    offered = on_paper or timezone.localdate()
    assessment = assessments.new_assessment(
        actor=actor,
        patient=patient,
        point_of_pathway=point_of_pathway,
        trigger=trigger,
        staff_role_code=staff_role_code,
        offer_status=OfferStatus.ACCEPTED,
        offer_status_date=offered,
        event_date=offered,
        status=Assessment.Status.IN_PROGRESS,
        entry_mode=entry_mode,
        entered_by=actor,
        completed_on_paper=on_paper,
    )
    for category_code, codes in (ticks or {}).items():
        assessments.save_ticks(assessment, category_code, set(codes))
    if answers:
        assessments.save_answers(assessment, **answers)
    record(Action.CREATE, actor=actor, patient=patient, obj=assessment)
    return assessment


def require_entering(actor, assessment) -> None:
    """Only an assessment staff are still entering takes staff answers."""
    policy.require(actor, assessment)
    if assessment.entry_mode == EntryMode.PATIENT_SELF or assessment.status != Assessment.Status.IN_PROGRESS:
        raise assessments.AssessmentClosed("This assessment is not one you are entering: it cannot be changed here")


@transaction.atomic
def enter_scores_and_send(*, actor, assessment, scores: dict[str, int]) -> Assessment:
    """The scores for the ticked concerns, then the assessment goes to the review (worklist item,
    COSD "offered and accepted"), as when the patient sends one."""
    require_entering(actor, assessment)
    assessments.save_scores(assessment, scores)
    assessment = Assessment.objects.select_for_update().select_related("patient", "team").get(pk=assessment.pk)
    assessments.complete(assessment, actor=actor)
    record(Action.UPDATE, actor=actor, patient=assessment.patient, obj=assessment)
    return assessment
