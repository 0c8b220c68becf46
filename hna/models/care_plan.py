"""Personalised care and support plans. A plan is agreed and locked; unlocking to amend makes a new
version and the old one stays readable. `lock_version` guards against two staff saving at once."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from portal.access.kinds import RecordKind
from portal.access.querysets import PolicyQuerySet
from portal.db import BaseModel


class ItemOwner(models.TextChoices):
    PATIENT = "patient", "The patient"
    CNS = "cns", "Clinical nurse specialist"
    OTHER_PROFESSIONAL = "other_professional", "Another professional"
    SERVICE = "service", "A service"


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_NEEDED = "not_needed", "No longer needed"


class CarePlanQuerySet(PolicyQuerySet):
    """Plan versions, scoped by the policy table (portal.access.policy, kind "care plan version")."""

    kind = RecordKind.CARE_PLAN
    team_field = "team"

    def released(self) -> Q:
        # A draft is the team's working copy: the patient and their practice see agreed versions only.
        return Q(status__in=[CarePlan.Status.LOCKED, CarePlan.Status.SUPERSEDED])

    def shared_with_practice(self) -> Q:
        """The patient's consent is what the plan's newest version says: withdrawing it on a new version
        hides every earlier version from the practice too, at once (even while that version is a draft)."""
        newest = CarePlan.objects.filter(assessment=OuterRef("assessment"), next_version__isnull=True)
        return Exists(newest.filter(shared_with_gp=True))


@pghistory.track()
class CarePlan(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        LOCKED = "locked", "Agreed and locked"
        SUPERSEDED = "superseded", "Superseded by a newer version"

    patient = models.ForeignKey("people.Patient", on_delete=models.PROTECT, related_name="care_plans")
    team = models.ForeignKey("people.CareTeam", on_delete=models.PROTECT, related_name="care_plans")
    assessment = models.ForeignKey("hna.Assessment", on_delete=models.PROTECT, related_name="care_plans")
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    # Bumped on every save; a save that read an older number is refused (no silent overwrite).
    lock_version = models.PositiveIntegerField(default=0)
    shared_with_gp = models.BooleanField("patient agrees to share with their GP practice", default=False)
    summary = models.TextField("summary of the conversation", blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # COSD staff role of who started the version, then of who agreed it (hna/cosd_v1.py codes).
    cosd_staff_role = models.CharField(max_length=2, blank=True)

    objects = CarePlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "version"], name="careplan_version_per_assessment"),
            # At most one draft per assessment: a second "start plan" returns the first.
            models.UniqueConstraint(fields=["assessment"], condition=Q(status="draft"), name="careplan_one_draft"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(locked_at__isnull=False, locked_by__isnull=False),
                name="careplan_locked_has_who_and_when",
            ),
        ]

    def __str__(self):
        return f"Care plan v{self.version} for {self.patient} ({self.get_status_display().lower()})"


@pghistory.track()
class CarePlanItem(BaseModel):
    """One concern in a plan: what matters, the agreed action, who does it, by when, and how it went."""

    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="items")
    # The checklist item when it came from the assessment; empty for a concern staff added.
    concern_item = models.ForeignKey(
        "hna.ConcernItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    concern = models.CharField(max_length=200)  # snapshot of the wording, or the added concern
    category = models.CharField(max_length=100, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    added_by_staff = models.BooleanField(default=False)
    what_matters = models.TextField("what matters to the person", blank=True)
    action = models.TextField("agreed action", blank=True)
    owner = models.CharField(max_length=20, choices=ItemOwner.choices, blank=True)
    owner_detail = models.CharField("who, if another professional or a service", max_length=200, blank=True)
    signposting = models.TextField("signposting to a resource or service", blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED)
    outcome = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "created_at"]

    def __str__(self):
        return self.concern
