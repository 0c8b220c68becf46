"""Recording a completed survey (issue 12 item 5): online through the invitation's link, or keyed in
by staff from a paper return. Both instruments are checked and scored here, on the versions current
now, by the same scoring service qol_score uses; one response per invitation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.access import policy
from portal.audit.models import Action
from portal.audit.services import record
from qol_survey.models import Invitation, InvitationStatus, Response, Source, ValueSet
from qol_survey.services import scoring

INSTRUMENTS = ("health-profile-5d", "cancer-30")  # the survey's two parts, in the order it asks them
SYSTEM_ACTOR = "qol-survey"


class AlreadyAnswered(ValidationError):
    def __init__(self):
        super().__init__("This survey has already been sent. Thank you: there is nothing more to do.")


class Closed(ValidationError):
    def __init__(self, invitation):
        why = {
            InvitationStatus.EXPIRED: "it closed 12 weeks after the invitation",
            InvitationStatus.OPTED_OUT: "you asked not to take part",
        }.get(invitation.status, "it is closed")
        super().__init__(f"This survey can no longer be answered: {why}.")


def check(answers: dict, definitions: dict | None = None) -> dict:
    """Every part's answers checked against its current published instrument (or the `definitions`
    the caller read already), or an AnswerError naming the item."""
    definitions = definitions or {code: scoring.definition(code) for code in INSTRUMENTS}
    checked = {}
    for code in INSTRUMENTS:
        checked[code] = scoring.check_answers(answers.get(code) or {}, definitions[code])
    unknown = set(answers) - set(INSTRUMENTS)
    if unknown:
        raise scoring.AnswerError(sorted(unknown)[0], "is not a part of this survey")
    return checked


@transaction.atomic
def submit(invitation, answers: dict, *, share_with_gp: bool, may_contact: bool, source=Source.ONLINE, entered_by=None):
    """The response, scored; the invitation closed. Refused if one was already recorded (a second
    submission, or staff keying in a paper copy of an online answer) or, online, once closed."""
    if entered_by is not None:
        policy.require(entered_by, invitation, "change")
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("patient").get(pk=invitation.pk)
    if Response.objects.filter(invitation=invitation).exists():
        raise AlreadyAnswered()
    # A paper return may arrive after the online link has closed; someone who opted out is not asked.
    if invitation.status == InvitationStatus.OPTED_OUT or (source == Source.ONLINE and not invitation.is_open):
        raise Closed(invitation)
    definitions = {code: scoring.definition(code) for code in INSTRUMENTS}
    checked = check(answers, definitions)
    value_set = ValueSet.current()
    response = Response.objects.create(
        invitation=invitation,
        patient=invitation.patient,
        diagnosis_id=invitation.diagnosis_id,
        team_id=invitation.team_id,
        source=source,
        entered_by=entered_by,
        submitted_at=timezone.now(),
        answers=checked,
        versions={code: d.version for code, d in definitions.items()},
        scores={code: scoring.score(checked[code], d, value_set) for code, d in definitions.items()},
        value_set=value_set,
        share_with_gp=share_with_gp,
        may_contact=may_contact,
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        status=InvitationStatus.RESPONDED, closed_at=response.submitted_at, draft={}, updated_at=response.submitted_at
    )
    who = {"actor": entered_by} if entered_by is not None else {"system_actor": SYSTEM_ACTOR}
    record(Action.CREATE, patient=invitation.patient, obj=response, **who)
    from qol_survey.services import loop  # late: the loop reads responses, and is read by nothing here

    loop.after_response(response)
    return response


def visible_responses(user, patient=None):
    query = Response.objects.visible_to(user).select_related("patient", "diagnosis")
    return query.filter(patient=patient) if patient is not None else query


def for_invitation(invitation, *related):
    """The response to an invitation the caller already holds by right (opened with its link and date
    of birth, or reached through the policy table), or None."""
    return Response.objects.filter(invitation=invitation).select_related(*related).first()
