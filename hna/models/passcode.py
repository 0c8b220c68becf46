"""Passcodes a patient uses to open their assessment. Only a keyed hash is stored; the passcode
itself is shown once to the professional (and optionally sent to the patient)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.db import BaseModel

# No look-alikes: no 0/O, 1/I/L, 5/S, 2/Z, 8/B.
PASSCODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
PASSCODE_LENGTH = 8
MAX_FAILED_ATTEMPTS = 5


class Passcode(BaseModel):
    assessment = models.ForeignKey("hna.Assessment", on_delete=models.PROTECT, related_name="passcodes")
    digest = models.CharField(max_length=64, unique=True)  # HMAC-SHA256, hex
    purpose = models.CharField(
        max_length=12,
        choices=[("assessment", "Complete the assessment"), ("account", "Create an account")],
        default="assessment",
    )
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One live passcode per assessment and purpose: reissuing revokes the old one first.
            models.UniqueConstraint(
                fields=["assessment", "purpose"], condition=Q(revoked_at__isnull=True), name="one_live_passcode"
            )
        ]

    def __str__(self):
        return f"Passcode for {self.assessment_id} ({self.state})"

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.used_at:
            return "used"
        if self.locked_at:
            return "locked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "live"
