"""Surveillance tests on a pathway, their history, and the results that come back."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from followup.models.pathway import APPEND_ONLY
from portal.access.kinds import RecordKind
from portal.access.querysets import PolicyQuerySet
from portal.db import BaseModel


class TestStatus(models.TextChoices):
    __test__ = False
    SCHEDULED = "scheduled", "Scheduled"
    REQUESTED = "requested", "Requested"
    RESULTED = "resulted", "Result received"
    REVIEWED = "reviewed", "Reviewed"
    TOLD = "told", "Patient told"
    CANCELLED = "cancelled", "Cancelled"
    MISSED = "missed", "Missed"


# The loop per test (DOMAIN.md): requested, done, result received, reviewed, patient told.
TEST_TRANSITIONS = {
    TestStatus.SCHEDULED: {TestStatus.REQUESTED, TestStatus.CANCELLED, TestStatus.RESULTED},
    TestStatus.REQUESTED: {TestStatus.RESULTED, TestStatus.MISSED, TestStatus.CANCELLED, TestStatus.SCHEDULED},
    TestStatus.RESULTED: {TestStatus.REVIEWED},
    TestStatus.REVIEWED: {TestStatus.TOLD},
    TestStatus.TOLD: set(),
    TestStatus.CANCELLED: set(),
    # A missed test can be asked for again.
    TestStatus.MISSED: {TestStatus.REQUESTED, TestStatus.RESULTED, TestStatus.CANCELLED},
}


class SurveillanceTestQuerySet(PolicyQuerySet):
    kind = RecordKind.SURVEILLANCE_TEST
    patient_field = "pathway__patient"
    team_field = "pathway__team"


class SurveillanceTest(BaseModel):
    __test__ = False
    pathway = models.ForeignKey("followup.Pathway", on_delete=models.PROTECT, related_name="tests")
    test_type = models.ForeignKey("followup.TestType", on_delete=models.PROTECT, related_name="+")
    step = models.ForeignKey("followup.ProtocolStep", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=TestStatus.choices, default=TestStatus.SCHEDULED)
    requested_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)

    objects = SurveillanceTestQuerySet.as_manager()

    class Meta:
        ordering = ["due_date"]
        indexes = [models.Index(fields=["status", "due_date"], name="survtest_status_due")]

    @property
    def patient(self):
        return self.pathway.patient

    def __str__(self):
        return f"{self.test_type} due {self.due_date:%-d %B %Y}"


class TestChange(models.Model):
    """Append-only: each change of a test's status or due date."""

    __test__ = False
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    test = models.ForeignKey(SurveillanceTest, on_delete=models.PROTECT, related_name="changes")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status_from = models.CharField(max_length=12, blank=True)
    status_to = models.CharField(max_length=12)
    due_from = models.DateField(null=True, blank=True)
    due_to = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at"]
        triggers = APPEND_ONLY

    def __str__(self):
        return f"{self.status_from or 'new'} -> {self.status_to}"


class ResultQuerySet(PolicyQuerySet):
    kind = RecordKind.TEST_RESULT

    def released(self) -> Q:
        # The patient sees a result once someone has told them it (reviewed first: told_after_review).
        return Q(told_at__isnull=False)


class Result(BaseModel):
    class Source(models.TextChoices):
        KEYED = "keyed", "Typed in"
        CSV = "csv", "CSV upload"
        API = "api", "API"

    class ToldHow(models.TextChoices):
        LETTER = "letter", "Letter"
        PHONE = "phone", "Phone"
        PORTAL = "portal", "Portal"
        SMS = "sms", "Text message"
        EMAIL = "email", "Email"

    # Empty until matched to a test (and `patient` empty: no patient has that NHS number).
    test = models.ForeignKey(SurveillanceTest, null=True, blank=True, on_delete=models.PROTECT, related_name="results")
    patient = models.ForeignKey(
        "people.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="followup_results"
    )
    nhs_number = models.CharField(max_length=20)  # as received
    test_code = models.CharField(max_length=40)  # as received
    sample_date = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    units = models.CharField(max_length=20, blank=True)
    abnormal = models.BooleanField(null=True, blank=True)
    report_text = models.TextField(blank=True)
    source = models.CharField(max_length=8, choices=Source.choices)
    received_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField(blank=True)
    told_at = models.DateTimeField(null=True, blank=True)
    told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    told_how = models.CharField(max_length=8, choices=ToldHow.choices, blank=True)
    # An unmatched result (no test yet): why, and the team that received it, who must match it
    # (with no patient, the team is the only way anyone may see it: ADR 0028).
    unmatched_reason = models.CharField(max_length=200, blank=True)
    received_by_team = models.ForeignKey(
        "people.CareTeam", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ResultQuerySet.as_manager()

    @property
    def reading(self) -> str:
        """The value as the lab gave it, with its units: "11.8 ug/L", not the stored "11.800"."""
        if self.value is None:
            return ""
        return f"{self.value.normalize():f} {self.units}".strip()

    class Meta:
        ordering = ["-sample_date"]
        constraints = [
            models.UniqueConstraint(fields=["test"], condition=Q(test__isnull=False), name="result_one_per_test"),
            # Per receiving team: another team's copy of the sample is theirs (results.record_result).
            models.UniqueConstraint(
                fields=["nhs_number", "test_code", "sample_date", "received_by_team"], name="result_duplicate_sample"
            ),
            models.CheckConstraint(
                condition=Q(told_at__isnull=True) | Q(reviewed_at__isnull=False), name="told_after_review"
            ),
        ]

    def __str__(self):
        return f"{self.test_code} {self.sample_date}"
