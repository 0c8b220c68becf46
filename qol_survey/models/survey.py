"""Invitations and responses (issue 12 items 4-5, ADR 0035). One invitation per patient and
diagnosis, enforced by the database: dispatch inserts under that constraint, so a second run, or two
at once, invite nobody twice. Its link token and short code are not stored: both are keyed MACs of
the invitation (qol_survey.services.tokens), so a reminder or a reprinted letter can show them again
and a stolen table opens nothing."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from portal.access.kinds import RecordKind
from portal.access.querysets import PolicyQuerySet
from portal.db import BaseModel

# Short codes number invitations from this sequence (qol_survey migration 0004).
SERIAL_SEQUENCE = "qol_invitation_serial"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    POST = "post", "Letter"


class InvitationStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    REMINDED = "reminded", "Reminded"
    RESPONDED = "responded", "Responded"
    EXPIRED = "expired", "Expired"
    OPTED_OUT = "opted_out", "Opted out"


OPEN_STATUSES = (InvitationStatus.INVITED, InvitationStatus.REMINDED)


class InvitationQuerySet(PolicyQuerySet):
    kind = RecordKind.QOL_INVITATION
    patient_field = "patient"
    team_field = "team"

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Invitation(BaseModel):
    patient = models.ForeignKey("people.Patient", on_delete=models.PROTECT, related_name="qol_invitations")
    diagnosis = models.ForeignKey("people.Diagnosis", on_delete=models.PROTECT, related_name="qol_invitations")
    # The care team that hears about the answers (closing the loop) and prints the letters: the
    # patient's team for the diagnosis's tumour site where they have one (dispatch decides).
    team = models.ForeignKey("people.CareTeam", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The number behind the short code (tokens.short_code); filled by the database from SERIAL_SEQUENCE.
    serial = models.BigIntegerField(
        unique=True, db_default=models.Func(models.Value(SERIAL_SEQUENCE), function="nextval")
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.INVITED)
    invited_on = models.DateField()
    remind_on = models.DateField()
    expires_on = models.DateField()
    reminded_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Answers saved as the respondent goes, page by page: {instrument code: {item code: answer}}.
    draft = models.JSONField(default=dict, blank=True)
    # Wrong dates of birth typed with this invitation's token or code; locked at the limit.
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-invited_on", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "diagnosis"], name="qol_invitation_once_per_diagnosis"),
            models.CheckConstraint(
                condition=Q(remind_on__gt=models.F("invited_on")), name="qol_invitation_remind_after"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("remind_on")), name="qol_invitation_expires_after"
            ),
        ]
        indexes = [models.Index(fields=["status", "remind_on"]), models.Index(fields=["status", "expires_on"])]

    def __str__(self):
        return f"Quality of life survey invitation {self.serial or ''}".strip()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Source(models.TextChoices):
    ONLINE = "online", "Online"
    PAPER = "paper", "Paper (keyed in by staff)"


class ResponseQuerySet(PolicyQuerySet):
    kind = RecordKind.QOL_RESPONSE
    patient_field = "patient"
    team_field = "team"

    def shared_with_practice(self) -> Q:
        # The report goes to the GP unless the respondent said no (item 5).
        return Q(share_with_gp=True)


class Response(BaseModel):
    """A completed survey: both instruments' answers, on the versions they were answered on, and
    their scores at full precision. One per invitation: a second submission is refused."""

    invitation = models.OneToOneField(Invitation, on_delete=models.PROTECT, related_name="response")
    patient = models.ForeignKey("people.Patient", on_delete=models.PROTECT, related_name="qol_responses")
    diagnosis = models.ForeignKey("people.Diagnosis", on_delete=models.PROTECT, related_name="qol_responses")
    team = models.ForeignKey("people.CareTeam", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ONLINE)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    # {instrument code: {item code: answer}}; unanswered items are absent.
    answers = models.JSONField(default=dict)
    # {instrument code: version} as answered, and {instrument code: scores} as scoring.score gives them.
    versions = models.JSONField(default=dict)
    scores = models.JSONField(default=dict)
    value_set = models.ForeignKey(
        "qol_survey.ValueSet", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    share_with_gp = models.BooleanField("send my report to my GP", default=True)
    # Whether the care team may contact them about what the answers show (closing the loop, item 6).
    may_contact = models.BooleanField("my care team may contact me about my answers", default=False)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self):
        return "Quality of life survey response"
