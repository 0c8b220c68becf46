"""What dispatch has sent, and the letters it left for the care team to post (issue 12 item 4,
ADR 0036). A send row is inserted under a unique constraint in the same transaction as the message
or letter it stands for: a second run, or two at once, find it there and send nothing twice; a run
killed before its commit left neither, and the next run sends it."""

from django.conf import settings
from django.db import models

from portal.access.kinds import RecordKind
from portal.access.querysets import PolicyQuerySet
from portal.db import BaseModel


class Purpose(models.TextChoices):
    INVITATION = "invitation", "Invitation"
    REMINDER = "reminder", "Reminder with a paper copy"


class InvitationSend(models.Model):
    """The invitation, or its reminder, went out once: by email, SMS or a letter in the print batch."""

    invitation = models.ForeignKey("qol_survey.Invitation", on_delete=models.PROTECT, related_name="sends")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    channel = models.CharField(max_length=10)  # email, sms or post
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["invitation", "purpose"], name="qol_send_once_per_purpose")]

    def __str__(self):
        return f"{self.get_purpose_display()} by {self.channel}"


class QolLetterQuerySet(PolicyQuerySet):
    # A letter is the invitation on paper: who may see it is who may see the invitation.
    kind = RecordKind.QOL_INVITATION
    patient_field = "patient"
    team_field = "team"


class QolLetter(BaseModel):
    """A survey letter for the care team to print and post, or for the mailing house (CSV). It holds
    no link or code: both are worked out again from the invitation when printed (ADR 0035)."""

    invitation = models.ForeignKey("qol_survey.Invitation", on_delete=models.PROTECT, related_name="letters")
    patient = models.ForeignKey("people.Patient", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("people.CareTeam", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Purpose.choices)
    # "qol-invitation:<id>" or "qol-reminder:<id>": a repeat of the cause writes no second letter.
    key = models.CharField(max_length=200, unique=True)
    printed_at = models.DateTimeField(null=True, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = QolLetterQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["team", "printed_at"], name="qol_letter_team_pending")]

    def __str__(self):
        return f"Quality of life survey {self.get_kind_display().lower()} letter"
