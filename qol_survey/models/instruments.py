"""Survey instruments as versioned data (ADR 0033). Both instruments the survey uses are licensed, so
what ships is their structure and scoring with demo wording in our own words; a deploying
organisation loads the licensed wording as a new version. A published version is fixed: responses
are scored against the version they were answered on."""

from django.db import models
from django.db.models import F, Q

from portal.db import BaseModel


class InstrumentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Instrument(BaseModel):
    code = models.SlugField(max_length=40)  # health-profile-5d, cancer-30
    version = models.CharField(max_length=40)  # "demo-1"; a licensed load names its own
    name = models.CharField(max_length=120)
    status = models.CharField(max_length=10, choices=InstrumentStatus.choices, default=InstrumentStatus.DRAFT)
    # Where the wording came from: the demo says it is ours, a licensed load names its licence.
    wording_source = models.CharField(max_length=200)

    class Meta:
        ordering = ["code", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="qol_instrument_code_version")]

    def __str__(self):
        return f"{self.name} {self.version} ({self.get_status_display().lower()})"

    @classmethod
    def current(cls, code: str) -> "Instrument | None":
        """The newest published version of `code`: new responses are answered and scored on it."""
        return cls.objects.filter(code=code, status=InstrumentStatus.PUBLISHED).order_by("-created_at").first()


class ItemPart(models.TextChoices):
    QUESTION = "question", "Question"  # a cancer-30 item
    DIMENSION = "dimension", "Dimension"  # one of the profile's five; in order they spell the health state
    HEALTH_TODAY = "health_today", "Health today (0 to 100)"


class Item(BaseModel):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=20)  # q1..q30; MO, SC, UA, PD, AD, VAS
    position = models.PositiveSmallIntegerField()
    part = models.CharField(max_length=12, choices=ItemPart.choices, default=ItemPart.QUESTION)
    wording = models.TextField()
    lowest = models.SmallIntegerField()
    highest = models.SmallIntegerField()
    # One label per answer from lowest to highest; the 0-100 scale labels only its two ends.
    answer_labels = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="qol_item_code"),
            models.UniqueConstraint(fields=["instrument", "position"], name="qol_item_position"),
            models.CheckConstraint(condition=Q(highest__gt=F("lowest")), name="qol_item_scale_has_range"),
        ]

    def __str__(self):
        return f"{self.code} ({self.lowest}-{self.highest})"


class ScaleKind(models.TextChoices):
    GLOBAL_HEALTH = "global", "Global health"
    FUNCTIONAL = "functional", "Functional"  # inverted: a higher score is better functioning
    SYMPTOM = "symptom", "Symptom"  # a higher score is more of the symptom


class Scale(BaseModel):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="scales")
    code = models.CharField(max_length=10)  # QL, PF, ... FI
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, choices=ScaleKind.choices)
    position = models.PositiveSmallIntegerField()
    items = models.ManyToManyField(Item, related_name="scales")

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="qol_scale_code")]

    def __str__(self):
        return f"{self.code}: {self.name}"
