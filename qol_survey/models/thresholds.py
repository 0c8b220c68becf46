"""Closing the loop (issue 12 item 6, ADR 0038): the scores that mean the care team should offer a
holistic needs assessment are data, not code, so a service can review them without a release; and
each offer made is recorded on its response, once."""

from django.db import models
from django.db.models import Q

from portal.db import BaseModel


class Direction(models.TextChoices):
    BELOW = "below", "below"  # a functional scale, global health or the index: lower is worse
    AT_LEAST = "at_least", "at or above"  # a symptom scale: higher is worse


class Threshold(BaseModel):
    """A score that passes `value` in `direction` (QL below 50, fatigue at or above 66.7) prompts an
    offer. `label` is what the care team reads on the worklist, in plain English."""

    instrument = models.CharField(max_length=40)  # "cancer-30" or "health-profile-5d"
    measure = models.CharField(max_length=20)  # a scale code (PF, FA...) or "index" / "health_today"
    direction = models.CharField(max_length=10, choices=Direction.choices)
    value = models.DecimalField(max_digits=9, decimal_places=4)
    label = models.CharField(max_length=120)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["instrument", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "measure", "direction"], condition=Q(active=True), name="qol_threshold_once"
            )
        ]

    def __str__(self):
        return f"{self.label}: {self.get_direction_display()} {self.value:g}"

    def passed_by(self, score) -> bool:
        if score is None:
            return False  # too few items answered to score: nothing to act on
        return score < self.value if self.direction == Direction.BELOW else score >= self.value


class HnaOffer(BaseModel):
    """The offer of an HNA a response led to: which scores passed which thresholds, how the patient
    was told, and the worklist item the care team works it from. One per response."""

    response = models.OneToOneField("qol_survey.Response", on_delete=models.PROTECT, related_name="hna_offer")
    # [{"instrument", "measure", "label", "score", "direction", "value"}], as they stood when offered.
    triggers = models.JSONField(default=list)
    channel = models.CharField(max_length=10)  # email, sms or letter: the patient's preferred contact
    work_item = models.ForeignKey("worklist.WorkItem", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return "Offer of a holistic needs assessment"
