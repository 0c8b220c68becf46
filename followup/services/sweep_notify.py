"""How the sweep tells someone something: by the patient's preferred contact through the outbox, or a
letter in the care team's print batch when they prefer post (or we hold no email address / mobile).
The plural forms do a whole chunk in a few queries; the singular ones are the same for one."""

from followup.models import FollowupLetter
from portal.outbox.services import queue_notifications
from portal.people.models import Patient


def tell_patient(pathway, *, template, letter_kind, key, context) -> str:
    """Queue the message (idempotent by `key`); returns the channel used: email, sms or post."""
    return tell_patients([(pathway, key, context)], template=template, letter_kind=letter_kind)[key]


def tell_patients(messages, *, template, letter_kind) -> dict:
    """`messages`: (pathway, key, context) triples. Returns each key's channel."""
    notifications, letters, channels = [], [], {}
    for pathway, key, context in messages:
        patient = pathway.patient
        channel = patient.preferred_contact
        recipient = {Patient.Contact.EMAIL: patient.email, Patient.Contact.SMS: patient.mobile}.get(channel)
        context = {
            "first_name": patient.given_name,
            "team": pathway.team.name,
            "team_phone": pathway.team.phone,
            **context,
        }
        if recipient:
            notifications.append(
                {
                    "recipient": recipient,
                    "channel": channel,
                    "template": template,
                    "context": context,
                    "idempotency_key": key,
                    "patient": patient,
                }
            )
            channels[key] = channel
        else:
            letters.append(_letter(pathway, letter_kind, key, context))
            channels[key] = "post"
    queue_notifications(notifications)
    _add_letters(letters)
    return channels


def tell_practice(pathway, *, template, letter_kind, key, context) -> str:
    """Email the patient's GP practice; with no email address on file, a letter for the team to post."""
    return tell_practices([(pathway, key, context)], template=template, letter_kind=letter_kind)[key]


def tell_practices(messages, *, template, letter_kind) -> dict:
    notifications, letters, channels = [], [], {}
    for pathway, key, context in messages:
        practice = pathway.patient.registered_practice
        context = {"team": pathway.team.name, "team_phone": pathway.team.phone, **context}
        if practice is not None and practice.email:
            # No patient on the row and only initials in the text: the practice looks the patient up by NHS number.
            notifications.append(
                {
                    "recipient": practice.email,
                    "channel": "email",
                    "template": template,
                    "context": context,
                    "idempotency_key": key,
                }
            )
            channels[key] = "email"
        else:
            letters.append(_letter(pathway, letter_kind, key, {**context, "to_practice": True}))
            channels[key] = "post"
    queue_notifications(notifications)
    _add_letters(letters)
    return channels


def _letter(pathway, kind, key, context):
    return FollowupLetter(
        patient=pathway.patient, team=pathway.team, pathway=pathway, kind=kind, key=key, context=context
    )


def _add_letters(letters):
    if letters:
        FollowupLetter.objects.bulk_create(letters, ignore_conflicts=True)  # the key says it is written already
