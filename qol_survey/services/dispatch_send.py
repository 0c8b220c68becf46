"""How dispatch tells a patient (ADR 0036): by email or SMS through the outbox, or a letter in the
care team's print batch (and the mailing house's CSV) when they prefer post or we hold no email
address or mobile for the channel chosen. A whole chunk in a few queries."""

from django.conf import settings

from portal.outbox.services import queue_notifications
from qol_survey.models import Channel, Purpose, QolLetter
from qol_survey.services import tokens

TEMPLATES = {Purpose.INVITATION: "qol_survey.invitation", Purpose.REMINDER: "qol_survey.reminder"}


def key(invitation, purpose) -> str:
    """What the message or letter is for: the outbox's idempotency key and the letter's key."""
    return f"qol-{purpose}:{invitation.pk}"


def channel_for(invitation) -> str:
    """The invitation's channel, unless its address has gone since it was chosen: then post."""
    patient = invitation.patient
    if invitation.channel == Channel.EMAIL and patient.email:
        return Channel.EMAIL
    if invitation.channel == Channel.SMS and patient.mobile:
        return Channel.SMS
    return Channel.POST


def links(invitation) -> dict:
    """The survey and opt-out links (with the link token) and the short code, worked out again each
    time from the invitation: none of them is stored (ADR 0035)."""
    return {
        "link": settings.PORTAL_BASE_URL + tokens.link_path(invitation),
        "opt_out_link": settings.PORTAL_BASE_URL + tokens.opt_out_path(invitation),
        "code": tokens.display_code(tokens.short_code(invitation)),
        "start_address": settings.PORTAL_BASE_URL + tokens.START_PATH,
        "opt_out_address": settings.PORTAL_BASE_URL + tokens.OPT_OUT_PATH,
    }


def team_details(invitation) -> dict:
    team = invitation.team
    return {"team": team.name if team else "your hospital care team", "team_phone": team.phone if team else ""}


def message_context(invitation) -> dict:
    """The message's words. The links are `secret_`: the outbox removes them once sent (a copy of
    the outbox then opens nothing)."""
    found = links(invitation)
    return {
        "first_name": invitation.patient.given_name,
        **team_details(invitation),
        "expires": f"{invitation.expires_on:%-d %B %Y}",
        "secret_link": found["link"],
        "secret_opt_out_link": found["opt_out_link"],
    }


def tell(invitations, purpose, channels: dict) -> None:
    """Queue each invitation's message, or write its letter; `channels`: invitation id -> channel."""
    notifications, letters = [], []
    for invitation in invitations:
        channel = channels[invitation.pk]
        if channel == Channel.POST:
            letters.append(
                QolLetter(
                    invitation=invitation,
                    patient=invitation.patient,
                    team=invitation.team,
                    kind=purpose,
                    key=key(invitation, purpose),
                )
            )
            continue
        patient = invitation.patient
        notifications.append(
            {
                "recipient": patient.email if channel == Channel.EMAIL else patient.mobile,
                "channel": channel,
                "template": TEMPLATES[purpose],
                "context": message_context(invitation),
                "idempotency_key": key(invitation, purpose),
                "patient": patient,
            }
        )
    queue_notifications(notifications)
    if letters:
        QolLetter.objects.bulk_create(letters, ignore_conflicts=True)  # the key says it is written already
