"""One staff worklist fed by every app: an item is something a person must act on."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from portal.access.kinds import RecordKind
from portal.access.querysets import PolicyQuerySet
from portal.db import BaseModel


class Kind(models.TextChoices):
    # Declared here, once, so the platform never imports a domain app; apps raise these kinds.
    HNA_SUBMITTED = "hna_submitted", "HNA to review"
    SUMMARY_OVERDUE = "summary_overdue", "Treatment summary overdue"
    SUMMARY_DUE = "summary_due", "Treatment summary due"
    SUMMARY_NOT_ACKNOWLEDGED = "summary_unacknowledged", "Treatment summary not acknowledged"
    TEST_OVERDUE = "test_overdue", "Test overdue"
    RESULT_TO_REVIEW = "result_to_review", "Result to review"
    PATIENT_NOT_TOLD = "patient_not_told", "Patient not told result"
    REENTRY_REQUEST = "reentry_request", "Request for help"
    CCR_DUE = "ccr_due", "Cancer care review due"
    # Follow-up (followup app): the safety net that no one is lost to follow-up.
    STRATIFY = "stratify", "Choose a follow-up pathway"
    UNMATCHED_RESULT = "unmatched_result", "Result with no matching patient"
    ABNORMAL_RESULT = "abnormal_result", "Abnormal result"
    RESULT_TO_TELL = "result_to_tell", "Patient to be told result"
    NO_RESULT = "no_result", "No result received"
    CHECKIN_UNANSWERED = "checkin_unanswered", "Check-in not answered"
    CONCERN_OVERDUE = "concern_overdue", "Concern not answered in time"
    NO_NEXT_STEP = "no_next_step", "Follow-up with no next step"
    # Quality of life survey (qol_survey app): scores that mean the team should offer an HNA.
    QOL_OFFER_HNA = "qol_offer_hna", "Offer an HNA after the quality of life survey"
    OTHER = "other", "Other"


class Priority(models.IntegerChoices):
    # Lower sorts first.
    URGENT = 1, "Urgent"
    HIGH = 2, "High"
    ROUTINE = 3, "Routine"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)
# Allowed transitions, declared once.
TRANSITIONS = {
    Status.OPEN: {Status.IN_PROGRESS, Status.DONE, Status.CANCELLED},
    Status.IN_PROGRESS: {Status.OPEN, Status.DONE, Status.CANCELLED},
    Status.DONE: set(),
    Status.CANCELLED: set(),
}


class WorkItemQuerySet(PolicyQuerySet):
    """Items on the user's own team's or practice's worklist, about patients they may see."""

    kind = RecordKind.WORK_ITEM
    team_field = "team"
    practice_field = "practice"

    def policy_q(self, user, action: str) -> Q:
        """An item about no known patient (a result whose NHS number matched no one) has no caseload
        or registration for the rule to test: its owner's rule reaches it through the owner alone."""
        from portal.access import policy
        from portal.people.roles import role_in_use

        where = super().policy_q(user, action)
        rule = policy.rule_for(self.kind, user, action)
        role = role_in_use(user) if rule in (policy.Rule.OWNING_TEAM, policy.Rule.PRACTICE) else None
        if role is not None and rule is policy.Rule.OWNING_TEAM and role.team_id:
            where |= Q(patient__isnull=True, team=role.team_id)
        elif role is not None and rule is policy.Rule.PRACTICE and role.organisation_id:
            where |= Q(patient__isnull=True, practice=role.organisation_id)
        return where


class WorkItem(BaseModel):
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Empty only for work about no known patient yet: a lab result whose NHS number matched no one
    # (ADR 0032). The item is still the team's, and says what to do.
    patient = models.ForeignKey(
        "people.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="work_items"
    )
    team = models.ForeignKey("people.CareTeam", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    practice = models.ForeignKey(
        "people.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.ROUTINE)
    due_by = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="work_items"
    )
    # The record this item is about, e.g. ("hna.assessment", "<uuid>"), and where to open it.
    source_type = models.CharField(max_length=100)
    source_id = models.CharField(max_length=64)
    link = models.CharField(max_length=300, blank=True)

    objects = WorkItemQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "due_by", "created_at"]
        constraints = [
            # Raising the same item twice while it is open creates nothing new.
            models.UniqueConstraint(
                fields=["kind", "source_type", "source_id"],
                condition=Q(status__in=["open", "in_progress"]),
                name="workitem_one_open_per_source",
            ),
            models.CheckConstraint(
                condition=Q(team__isnull=False) | Q(practice__isnull=False), name="workitem_has_an_owner"
            ),
        ]
        indexes = [
            models.Index(fields=["team", "status", "priority"], name="workitem_team_open"),
            models.Index(fields=["practice", "status", "priority"], name="workitem_practice_open"),
            # The follow-up sweep looks items up by what they are about.
            models.Index(fields=["kind", "source_type", "source_id"], name="workitem_kind_source"),
        ]

    def __str__(self):
        return self.title


class WorkItemStatusChange(models.Model):
    """Append-only history of a work item's status: who moved it, when, from what to what."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    work_item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.from_status or 'new'} -> {self.to_status}"
