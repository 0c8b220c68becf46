"""Closing the loop (issue 12 item 6, ADR 0038): a response whose scores pass a threshold kept as
data, from a patient who agreed to be contacted, leads to an offer of a holistic needs assessment:
the patient is told their care team will be in touch, and the team gets a worklist item with the
scores that passed. The CNS sets the HNA up from the item (this app imports nothing of hna's)."""

from decimal import Decimal

from portal.audit.models import Action
from portal.audit.services import record
from portal.outbox.services import queue_notification
from portal.people.models import Patient
from portal.worklist.models import Kind, Priority
from portal.worklist.services import raise_item
from qol_survey.models import HnaOffer, Threshold

SYSTEM_ACTOR = "qol-survey"
SOURCE_TYPE = "qol_survey.response"
TEMPLATE = "qol_survey.hna_offer"
TITLE_LENGTH = 200  # WorkItem.title


def passed(scores: dict, thresholds=None) -> list[dict]:
    """Every active threshold the scores pass, with the score that passed it, as plain data."""
    found = []
    for threshold in thresholds if thresholds is not None else Threshold.objects.filter(active=True):
        score = (scores.get(threshold.instrument) or {}).get(threshold.measure)
        if isinstance(score, int | float) and threshold.passed_by(Decimal(str(score))):
            found.append(
                {
                    "instrument": threshold.instrument,
                    "measure": threshold.measure,
                    "label": threshold.label,
                    "score": score,
                    "direction": threshold.direction,
                    "value": float(threshold.value),
                }
            )
    return found


def shown(score) -> str:
    """A score as the team reads it: 33.3, 0.412, 80."""
    return f"{score:.3f}".rstrip("0").rstrip(".") if abs(score) < 1 else f"{score:.1f}".removesuffix(".0")


def describe(triggers: list[dict]) -> str:
    """ "Low physical functioning 33.3 (below 50); severe fatigue 77.8 (66.7 or more)"."""
    parts = []
    for t in triggers:
        rule = f"below {t['value']:g}" if t["direction"] == "below" else f"{t['value']:g} or more"
        parts.append(f"{t['label']} {shown(t['score'])} ({rule})")
    return "; ".join(parts)


def _team(response):
    """The invitation's team; failing that, the patient's team for the diagnosis's tumour site."""
    if response.team_id:
        return response.team
    teams = response.patient.care_teams.all()
    return teams.filter(tumour_site=response.diagnosis.tumour_site).first() or teams.first()


def _message(patient, team):
    """(channel, recipient): the patient's preferred contact, or a letter when we hold no address
    for it (a letter goes through the outbox's letter provider, ADR 0008)."""
    recipient = {Patient.Contact.EMAIL: patient.email, Patient.Contact.SMS: patient.mobile}.get(
        patient.preferred_contact
    )
    if recipient:
        return patient.preferred_contact, recipient
    lines = [patient.full_name, *patient.address.splitlines(), patient.postcode]
    return "letter", "\n".join(line.strip() for line in lines if line.strip())


def after_response(response) -> HnaOffer | None:
    """Called by responses.submit inside its transaction. Nothing happens unless the respondent
    agreed to be contacted and a score passed a threshold; a second call changes nothing."""
    if not response.may_contact:
        return None
    triggers = passed(response.scores)
    team = _team(response) if triggers else None
    if team is None:
        return None  # nothing passed, or no care team to act on it (the dashboard still counts it)
    if HnaOffer.objects.filter(response=response).exists():
        return response.hna_offer
    patient = response.patient
    title = f"Quality of life survey: offer an HNA to {patient.full_name} ({describe(triggers)})"
    if len(title) > TITLE_LENGTH:
        title = title[: TITLE_LENGTH - 2].rstrip(" ;") + "…)"
    item = raise_item(
        kind=Kind.QOL_OFFER_HNA,
        patient=patient,
        source_type=SOURCE_TYPE,
        source_id=response.pk,
        title=title,
        team=team,
        priority=Priority.HIGH,
        link=f"/quality-of-life/dashboard/scores/{patient.pk}/",
        system_actor=SYSTEM_ACTOR,
    )
    channel, recipient = _message(patient, team)
    queue_notification(
        recipient=recipient,
        channel=channel,
        template=TEMPLATE,
        context={"first_name": patient.given_name, "team": team.name, "team_phone": team.phone},
        idempotency_key=f"qol-hna-offer:{response.pk}",
        patient=patient,
    )
    offer = HnaOffer.objects.create(response=response, triggers=triggers, channel=channel, work_item=item)
    record(Action.CREATE, system_actor=SYSTEM_ACTOR, patient=patient, obj=offer)
    return offer
