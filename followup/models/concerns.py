"""What the patient tells the team between tests: regular check-ins, and concerns they raise (PIFU)."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from followup.models.pathway import APPEND_ONLY
from portal.access.kinds import RecordKind
from portal.access.querysets import PolicyQuerySet
from portal.db import BaseModel


class CheckInQuerySet(PolicyQuerySet):
    kind = RecordKind.CHECK_IN
    patient_field = "pathway__patient"
    team_field = "pathway__team"


class CheckIn(BaseModel):
    pathway = models.ForeignKey("followup.Pathway", on_delete=models.PROTECT, related_name="checkins")
    # The PSA symptom questionnaire goes with a test; a regular check-in has none.
    test = models.ForeignKey(
        "followup.SurveillanceTest", null=True, blank=True, on_delete=models.PROTECT, related_name="checkins"
    )
    sent_at = models.DateTimeField()
    due_by = models.DateField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    red_flag = models.BooleanField(default=False)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]

    @property
    def patient(self):
        return self.pathway.patient

    def __str__(self):
        return f"Check-in sent {self.sent_at:%-d %B %Y}"


class Rating(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Open"
    TRIAGED = "triaged", "Triaged"
    CLOSED = "closed", "Closed"


class ConcernQuerySet(PolicyQuerySet):
    kind = RecordKind.CONCERN
    patient_field = "pathway__patient"
    team_field = "pathway__team"


class Concern(BaseModel):
    class Outcome(models.TextChoices):
        ADVICE = "advice", "Advice given"
        TESTS = "tests", "Tests arranged"
        CLINIC = "clinic", "Brought back to clinic"
        ADMISSION = "admission", "Admitted"

    pathway = models.ForeignKey("followup.Pathway", on_delete=models.PROTECT, related_name="concerns")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_on_behalf = models.BooleanField(default=False)  # staff typed it in from a phone call
    symptoms = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    details = models.TextField(blank=True)
    rating = models.CharField(max_length=5, choices=Rating.choices, blank=True)  # blank: not yet triaged
    status = models.CharField(max_length=8, choices=ConcernStatus.choices, default=ConcernStatus.OPEN)
    respond_by = models.DateTimeField()
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "respond_by"], name="concern_status_respond_by")]

    @property
    def patient(self):
        return self.pathway.patient

    def __str__(self):
        return f"Concern raised {self.created_at:%-d %B %Y}"


class ConcernChange(models.Model):
    """Append-only: each change of a concern's status or rating."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="changes")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status_from = models.CharField(max_length=8, blank=True)
    status_to = models.CharField(max_length=8)
    rating_from = models.CharField(max_length=5, blank=True)
    rating_to = models.CharField(max_length=5, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at"]
        triggers = APPEND_ONLY

    def __str__(self):
        return f"{self.status_from or 'new'} -> {self.status_to}"
