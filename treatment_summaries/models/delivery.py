"""What happens to a sent version: the practice's inbox entry (read, acknowledged), the actions
asked of the GP (each answered done or not applicable), and the patient's copy."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q

from portal.access.kinds import RecordKind
from portal.access.querysets import PolicyQuerySet
from portal.db import BaseModel


class GPActionOption(BaseModel):
    """The prompts a GP action is chosen from (PSA monitoring, bone health, ...), kept as data so a
    trust can reword, reorder or retire them in the admin. `code` is stable: the API and FHIR use it."""

    code = models.SlugField(max_length=60, unique=True)
    text = models.CharField(max_length=100)
    # "Other" and the like: the prompt says nothing by itself, so the free text is required.
    needs_details = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "text"]

    def __str__(self):
        return self.text


class GPAction(BaseModel):
    """One action requested of the GP, part of a version (frozen with it at sign-off). `text` is the
    whole wording as written (the prompt, then the free text beside it), so a prompt reworded later
    does not change what a signed-off summary asked; `option` is which prompt, if any (older actions
    and free-text-only ones have none)."""

    version = models.ForeignKey(
        "treatment_summaries.SummaryVersion", on_delete=models.PROTECT, related_name="gp_actions"
    )
    option = models.ForeignKey(GPActionOption, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "created_at"]

    def __str__(self):
        return self.text


@pghistory.track()
class GPActionResponse(BaseModel):
    """The practice's answer to one action. Append-only: a changed answer is a new row."""

    class Status(models.TextChoices):
        DONE = "done", "Done"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

    action = models.ForeignKey(GPAction, on_delete=models.PROTECT, related_name="responses")
    status = models.CharField(max_length=20, choices=Status.choices)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["action", "-created_at"]

    def __str__(self):
        return f"{self.action}: {self.get_status_display()}"


class PracticeDeliveryQuerySet(PolicyQuerySet):
    """Inbox entries: the practice it was delivered to (for its registered patients), and the
    patient's care team, to follow acknowledgement (portal.access.policy)."""

    kind = RecordKind.SUMMARY_DELIVERY
    patient_field = "version__summary__patient"
    team_field = "version__summary__team"
    practice_field = "practice"


@pghistory.track()
class PracticeDelivery(BaseModel):
    """A sent version in a GP practice's inbox."""

    version = models.ForeignKey(
        "treatment_summaries.SummaryVersion", on_delete=models.PROTECT, related_name="practice_deliveries"
    )
    practice = models.ForeignKey("people.Organisation", on_delete=models.PROTECT, related_name="summary_inbox")
    first_read_at = models.DateTimeField(null=True, blank=True)
    first_read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # When the daily sweep chased the practice for its acknowledgement (treatment_summaries.services.chasing).
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = PracticeDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "practice"], name="delivery_once_per_practice"),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_by__isnull=False),
                name="delivery_acknowledged_has_who",
            ),
        ]
        indexes = [models.Index(fields=["practice", "acknowledged_at"], name="delivery_inbox")]

    def __str__(self):
        return f"{self.version} to {self.practice}"

    @property
    def state(self) -> str:
        if self.acknowledged_at:
            return "acknowledged"
        return "read" if self.first_read_at else "new"


class PatientCopy(BaseModel):
    """The patient's copy of a sent version: shown in My care, and emailed or posted by preference."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "Text message (link to My care)"
        LETTER = "letter", "Letter"
        PORTAL = "portal", "My care only"

    version = models.OneToOneField(
        "treatment_summaries.SummaryVersion", on_delete=models.PROTECT, related_name="patient_copy"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # Letters go out in printable PDF batches; printed_at marks the batch that included it.
    printed_at = models.DateTimeField(null=True, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "patient copies"

    def __str__(self):
        return f"Patient copy of {self.version} by {self.get_channel_display().lower()}"
