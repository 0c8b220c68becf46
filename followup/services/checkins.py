"""Answering a symptom check-in (ADR 0030). The questions are the pathway's trigger symptoms, each
answered yes or no; a "yes" is a red flag and opens a red concern at once, on the team's queue."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from followup.models import CheckIn, Rating
from followup.services import concerns
from portal.access import policy
from portal.audit.models import Action
from portal.audit.services import record


def questions(checkin) -> list[str]:
    return list(checkin.pathway.trigger_symptoms)


@transaction.atomic
def answer_checkin(actor, checkin, answers, other=""):
    """`answers` maps each question (trigger symptom) to "yes" or "no". Returns the concern opened
    by a red flag, or None."""
    if policy.role_name(actor) != policy.PATIENT:
        raise PermissionDenied("Only the patient answers their check-in")
    policy.require(actor, checkin, "read")
    checkin = CheckIn.objects.select_for_update().select_related("pathway__team").get(pk=checkin.pk)
    if checkin.answered_at is not None:
        raise ValidationError("You have already answered this check-in")
    asked = questions(checkin)
    missing = [q for q in asked if answers.get(q) not in ("yes", "no")]
    if missing:
        raise ValidationError({"answers": f"Answer yes or no for: {', '.join(missing)}"})
    extra = set(answers) - set(asked)
    if extra:
        raise ValidationError({"answers": f"These are not questions in this check-in: {', '.join(sorted(extra))}"})
    yes = [q for q in asked if answers[q] == "yes"]
    checkin.answers = {**{q: answers[q] for q in asked}, **({"other": other.strip()} if other.strip() else {})}
    checkin.answered_at = timezone.now()
    checkin.red_flag = bool(yes)
    checkin.save(update_fields=["answers", "answered_at", "red_flag", "updated_at"])
    record(Action.UPDATE, actor=actor, patient=checkin.pathway.patient, obj=checkin)
    if not yes:
        return None
    # A red flag is never refused for being outside the window: the check-in asked the question.
    return concerns.open_concern(
        actor, checkin.pathway, yes, other.strip(), rating=Rating.RED, reason="Red flag in a check-in"
    )
