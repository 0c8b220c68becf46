"""What the daily sweep has done, one row per thing done once (ADR 0029). Each row is inserted under
a unique constraint before the work it stands for, in the same transaction: a second run, or two
runs at once, find the row there and do nothing twice."""

from django.conf import settings
from django.db import models

from portal.access.kinds import RecordKind
from portal.access.querysets import PolicyQuerySet
from portal.db import BaseModel


class TestReminder(BaseModel):
    """A reminder about a test, `lead_days` before it is due (14 and 3: FOLLOWUP_REMINDER_DAYS)."""

    __test__ = False
    test = models.ForeignKey("followup.SurveillanceTest", on_delete=models.PROTECT, related_name="reminders")
    lead_days = models.PositiveIntegerField()
    channel = models.CharField(max_length=10)  # email, sms, or post (a letter in the batch)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["test", "lead_days"], name="testreminder_once_per_lead")]


class CheckInSend(models.Model):
    """One check-in per pathway and period: "m3" (the 3rd monthly period) or "test:<id>" (with a PSA)."""

    pathway = models.ForeignKey("followup.Pathway", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=60)
    checkin = models.OneToOneField("followup.CheckIn", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pathway", "period"], name="checkinsend_once_per_period")]

    def __str__(self):
        return f"Check-in for period {self.period}"


class FollowupLetterQuerySet(PolicyQuerySet):
    # A letter is the patient's pathway news on paper: who may see it is who may see the pathway.
    kind = RecordKind.FOLLOWUP_PATHWAY
    patient_field = "patient"
    team_field = "team"


class FollowupLetter(BaseModel):
    """A letter for the care team to print and post (patients who prefer post, practices with no email)."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Test reminder"
        CHECKIN = "checkin", "Check-in"
        DISCHARGE = "discharge", "Discharge"
        DISCHARGE_PRACTICE = "discharge_practice", "Discharge (to the GP practice)"

    patient = models.ForeignKey("people.Patient", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("people.CareTeam", on_delete=models.PROTECT, related_name="+")
    pathway = models.ForeignKey("followup.Pathway", on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    context = models.JSONField(default=dict, blank=True)
    # What caused it ("reminder:<test>:14"), so a repeat of the cause writes no second letter.
    key = models.CharField(max_length=200, unique=True)
    printed_at = models.DateTimeField(null=True, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = FollowupLetterQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} letter"
