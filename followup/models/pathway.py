"""A patient's follow-up pathway with one care team, and its append-only history."""

import uuid

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q

from portal.access.kinds import RecordKind
from portal.access.querysets import PolicyQuerySet
from portal.db import BaseModel

# Append-only history rows: the database itself refuses UPDATE and DELETE (as the audit log does).
APPEND_ONLY = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]


class PathwayKind(models.TextChoices):
    PROFESSIONAL_LED = "professional_led", "Professional-led"
    PATIENT_INITIATED = "patient_initiated", "Patient-initiated (PIFU)"


class PathwayStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    DISCHARGED = "discharged", "Discharged"
    CLOSED = "closed", "Closed"


OPEN_PATHWAY_STATUSES = (PathwayStatus.ACTIVE, PathwayStatus.SUSPENDED)
TRANSITIONS = {
    # Suspended: an abnormal result escalated to clinic; reactivated when stable (DOMAIN.md).
    PathwayStatus.ACTIVE: {PathwayStatus.SUSPENDED, PathwayStatus.DISCHARGED, PathwayStatus.CLOSED},
    PathwayStatus.SUSPENDED: {PathwayStatus.ACTIVE, PathwayStatus.DISCHARGED, PathwayStatus.CLOSED},
    PathwayStatus.DISCHARGED: set(),
    PathwayStatus.CLOSED: set(),
}


class PathwayQuerySet(PolicyQuerySet):
    kind = RecordKind.FOLLOWUP_PATHWAY
    team_field = "team"


class Pathway(BaseModel):
    patient = models.ForeignKey("people.Patient", on_delete=models.PROTECT, related_name="followup_pathways")
    team = models.ForeignKey("people.CareTeam", on_delete=models.PROTECT, related_name="followup_pathways")
    kind = models.CharField(max_length=20, choices=PathwayKind.choices)
    status = models.CharField(max_length=12, choices=PathwayStatus.choices, default=PathwayStatus.ACTIVE)
    protocol_version = models.ForeignKey("followup.ProtocolVersion", on_delete=models.PROTECT, related_name="+")
    anchor_date = models.DateField()
    rationale = models.TextField(blank=True)
    pifu_start = models.DateField(null=True, blank=True)
    pifu_end = models.DateField(null=True, blank=True)
    # In plain words, as the patient reads them ("a new lump in your breast").
    trigger_symptoms = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    named_contact = models.CharField(max_length=120, blank=True)
    team_phone = models.CharField(max_length=30, blank=True)
    checkin_months = models.PositiveIntegerField(default=1)  # 0: no regular check-in
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = PathwayQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "team"],
                condition=Q(status__in=["active", "suspended"]),
                name="pathway_one_open_per_patient_team",
            ),
            models.CheckConstraint(
                condition=Q(pifu_end__isnull=True) | Q(pifu_start__isnull=True) | Q(pifu_end__gte=F("pifu_start")),
                name="pathway_pifu_end_not_before_start",
            ),
        ]
        indexes = [models.Index(fields=["team", "status"], name="pathway_team_status")]

    def __str__(self):
        return f"{self.get_kind_display()} follow-up ({self.get_status_display()})"


class PathwayChange(models.Model):
    """Append-only: each change of a pathway's status, who made it, why, and the pathway as it then was."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="changes")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status_from = models.CharField(max_length=12, blank=True)
    status_to = models.CharField(max_length=12)
    reason = models.TextField(blank=True)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["at"]
        triggers = APPEND_ONLY

    def __str__(self):
        return f"{self.status_from or 'new'} -> {self.status_to}"
