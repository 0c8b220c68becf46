"""Follow-up protocols as data: local variation is normal (DOMAIN.md), so a protocol is a versioned
list of steps (which test, from when, how often, until when), published once and then fixed."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from portal.db import BaseModel


class TestType(models.Model):
    class Kind(models.TextChoices):
        BLOOD = "blood", "Blood test"
        IMAGING = "imaging", "Imaging"
        ENDOSCOPY = "endoscopy", "Endoscopy"

    class WhereTaken(models.TextChoices):
        GP = "gp", "GP surgery"
        HOSPITAL = "hospital", "Hospital"

    __test__ = False  # not a pytest class, despite the name
    code = models.CharField(max_length=20, unique=True)  # CEA, PSA, MAMMOGRAM, CT_CAP, COLONOSCOPY
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    units = models.CharField(max_length=20, blank=True)
    has_value = models.BooleanField(default=False)  # a number (CEA, PSA) rather than a report
    where_taken = models.CharField(max_length=10, choices=WhereTaken.choices)

    def __str__(self):
        return self.name


class TumourSite(models.TextChoices):
    BREAST = "breast", "Breast"
    COLORECTAL = "colorectal", "Colorectal"
    PROSTATE = "prostate", "Prostate"


class Protocol(BaseModel):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    tumour_site = models.CharField(max_length=12, choices=TumourSite.choices)
    # Empty: the default for every team; a team's own protocol is its local variation.
    team = models.ForeignKey("people.CareTeam", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return self.name


class Anchor(models.TextChoices):
    END_OF_TREATMENT = "end_of_treatment", "End of treatment"
    SURGERY = "surgery", "Surgery"
    DIAGNOSIS = "diagnosis", "Diagnosis"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


def default_first_reminder_days() -> int:
    """A new protocol's reminder lead times come from FOLLOWUP_REMINDER_DAYS (14 and 3 days)."""
    return max(settings.FOLLOWUP_REMINDER_DAYS)


def default_second_reminder_days() -> int:
    leads = sorted(settings.FOLLOWUP_REMINDER_DAYS)
    return leads[0] if len(leads) > 1 else 0  # 0: no second reminder


class ProtocolVersion(BaseModel):
    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    anchor = models.CharField(max_length=20, choices=Anchor.choices, default=Anchor.END_OF_TREATMENT)
    # Days before a test is due that the patient is reminded (the first reminder is the request);
    # the daily sweep uses the pathway's own version (ADR 0029).
    first_reminder_days = models.PositiveIntegerField(default=default_first_reminder_days)
    second_reminder_days = models.PositiveIntegerField(default=default_second_reminder_days)
    pifu_months = models.PositiveIntegerField(default=0)  # 0: no patient-initiated window
    checkin_months = models.PositiveIntegerField(default=1)  # 0: no regular check-in
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["protocol", "number"], name="protocolversion_number_unique"),
            models.UniqueConstraint(fields=["protocol"], condition=Q(status="draft"), name="protocolversion_one_draft"),
            models.UniqueConstraint(
                fields=["protocol"], condition=Q(status="published"), name="protocolversion_one_published"
            ),
        ]

    def __str__(self):
        return f"{self.protocol} v{self.number}"


class ProtocolStep(BaseModel):
    version = models.ForeignKey(ProtocolVersion, on_delete=models.PROTECT, related_name="steps")
    test_type = models.ForeignKey(TestType, on_delete=models.PROTECT, related_name="+")
    start_months = models.PositiveIntegerField()
    every_months = models.PositiveIntegerField()
    until_months = models.PositiveIntegerField()
    # PSA: a short symptom questionnaire goes with each test (DOMAIN.md).
    with_checkin = models.BooleanField(default=False)

    class Meta:
        ordering = ["start_months", "test_type__code"]
        constraints = [
            models.CheckConstraint(condition=Q(start_months__gte=0), name="protocolstep_start_not_negative"),
            models.CheckConstraint(condition=Q(every_months__gt=0), name="protocolstep_every_positive"),
            models.CheckConstraint(
                condition=Q(until_months__gte=F("start_months")), name="protocolstep_until_not_before_start"
            ),
        ]

    def clean(self):
        errors = {}
        if self.start_months is not None and self.start_months < 0:
            errors["start_months"] = "Start (months) cannot be negative"
        if self.every_months is not None and self.every_months <= 0:
            errors["every_months"] = "Every (months) must be at least 1"
        if None not in (self.start_months, self.until_months) and self.until_months < self.start_months:
            errors["until_months"] = "Until (months) cannot be before start (months)"
        if errors:
            raise ValidationError(errors)

    def __str__(self):
        return f"{self.test_type.code} every {self.every_months} months, {self.start_months}-{self.until_months}"
