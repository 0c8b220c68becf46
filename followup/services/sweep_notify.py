"""How the sweep tells someone something: by the patient's preferred contact through the outbox, or a
letter in the care team's print batch when they prefer post (or we hold no email address / mobile)."""

from followup.models import FollowupLetter
from portal.outbox.services import queue_notification
from portal.people.models import Patient


def tell_patient(pathway, *, template, letter_kind, key, context) -> str:
    """Queue the message (idempotent by `key`); returns the channel used: email, sms or post."""
    patient = pathway.patient
    channel = patient.preferred_contact
    recipient = {Patient.Contact.EMAIL: patient.email, Patient.Contact.SMS: patient.mobile}.get(channel)
    context = {"first_name": patient.given_name, "team": pathway.team.name, "team_phone": pathway.team.phone, **context}
    if recipient:
        queue_notification(
            recipient=recipient,
            channel=channel,
            template=template,
            context=context,
            idempotency_key=key,
            patient=patient,
        )
        return channel
    add_letter(pathway, kind=letter_kind, key=key, context=context)
    return "post"


def tell_practice(pathway, *, template, letter_kind, key, context) -> str:
    """Email the patient's GP practice; with no email address on file, a letter for the team to post."""
    practice = pathway.patient.registered_practice
    context = {"team": pathway.team.name, "team_phone": pathway.team.phone, **context}
    if practice is not None and practice.email:
        # No patient on the row and only initials in the text: the practice looks the patient up by NHS number.
        queue_notification(
            recipient=practice.email, channel="email", template=template, context=context, idempotency_key=key
        )
        return "email"
    add_letter(pathway, kind=letter_kind, key=key, context={**context, "to_practice": True})
    return "post"


def add_letter(pathway, *, kind, key, context):
    FollowupLetter.objects.bulk_create(
        [
            FollowupLetter(
                patient=pathway.patient, team=pathway.team, pathway=pathway, kind=kind, key=key, context=context
            )
        ],
        ignore_conflicts=True,  # the key says it is written already
    )
