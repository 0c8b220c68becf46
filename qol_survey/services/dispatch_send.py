"""How dispatch tells a patient (ADR 0036): by email or SMS through the outbox, or a letter in the
care team's print batch (and the mailing house's CSV) when they prefer post or we hold no email
address or mobile for the channel chosen. A whole chunk in a few queries."""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from portal.bulk import insert_rows
from portal.outbox.services import queue_notifications
from qol_survey.models import Channel, Invitation, Purpose, QolLetter
from qol_survey.models.survey import OPEN_STATUSES
from qol_survey.services import tokens

TEMPLATES = {Purpose.INVITATION: "qol_survey.invitation", Purpose.REMINDER: "qol_survey.reminder"}


@dataclass(frozen=True, slots=True)
class Person:
    pk: uuid.UUID
    given_name: str
    email: str
    mobile: str


@dataclass(frozen=True, slots=True)
class Team:
    pk: uuid.UUID
    name: str
    phone: str


@dataclass(frozen=True, slots=True)
class Sending:
    """What sending, reminding and expiring read of an invitation, read as values: a chunk of a
    backlog's 100,000 is a thousand of these, not three thousand model instances (ADR 0036)."""

    pk: uuid.UUID
    serial: int
    channel: str
    status: str
    expires_on: datetime.date
    patient: Person
    team: Team | None

    FIELDS = ("pk", "serial", "channel", "status", "expires_on", "patient_id", "patient__given_name",
              "patient__email", "patient__mobile", "team_id", "team__name", "team__phone")  # fmt: skip

    @classmethod
    def of(cls, row) -> "Sending":
        pk, serial, channel, status, expires_on, patient_id, given, email, mobile, team_id, team, phone = row
        person = Person(patient_id, given, email, mobile)
        return cls(pk, serial, channel, status, expires_on, person, Team(team_id, team, phone) if team_id else None)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def audit_ref(self) -> tuple:
        return Invitation._meta.label_lower, self.pk


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
    base = settings.PORTAL_BASE_URL
    return {
        "first_name": invitation.patient.given_name,
        **team_details(invitation),
        "expires": f"{invitation.expires_on:%-d %B %Y}",
        # Only the two links: the short code is for letters (links()), and costs a MAC to work out.
        "secret_link": base + tokens.link_path(invitation),
        "secret_opt_out_link": base + tokens.opt_out_path(invitation),
    }


def tell(invitations, purpose, channels: dict) -> None:
    """Queue each invitation's message, or write its letter; `channels`: invitation id -> channel."""
    notifications, letters = [], []
    for invitation in invitations:
        channel = channels[invitation.pk]
        if channel == Channel.POST:
            team_id = invitation.team.pk if invitation.team else None
            letters.append((uuid.uuid4(), invitation.pk, invitation.patient.pk, team_id, key(invitation, purpose)))
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
    now = timezone.now()
    insert_rows(
        QolLetter,
        ["id", "invitation", "patient", "team", "key"],
        letters,
        same={"created_at": now, "updated_at": now, "kind": purpose},
        conflict="ON CONFLICT (key) DO NOTHING",  # the key says it is written already
    )
