"""An HNA: set up by a professional for one patient, completed by the patient with a passcode."""

import uuid

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from hna import cosd
from portal.access.kinds import RecordKind
from portal.access.querysets import PolicyQuerySet
from portal.db import BaseModel

SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(10)]


# COSD point of pathway and staff role: versioned data (hna/cosd_v1.py), named here for code.
PathwayPoint = cosd.text_choices("PathwayPoint", cosd.POINT_OF_PATHWAY)
StaffRole = cosd.text_choices("StaffRole", cosd.STAFF_ROLE)


class OfferStatus(models.TextChoices):
    # COSD offer status codes.
    OFFERED_UNDECIDED = "01", "Offered, undecided"
    DECLINED = "02", "Offered and declined"
    ACCEPTED = "03", "Offered and accepted"
    NOT_OFFERED = "04", "Not offered"
    UNABLE_TO_COMPLETE = "05", "Offered but unable to complete"
    NOT_REQUIRED = "06", "Not required or other"


class Trigger(models.TextChoices):
    DIAGNOSIS = "diagnosis", "Diagnosis"
    START_OF_TREATMENT = "start_of_treatment", "Start of treatment"
    END_OF_TREATMENT = "end_of_treatment", "End of treatment"
    RECURRENCE = "recurrence", "Recurrence"
    PALLIATIVE = "palliative", "Transition to palliative care"
    REQUESTED = "requested", "Patient or carer asked for one"


class WantsCompany(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SURE = "not_sure", "Not sure"


class CommunicationNeed(models.TextChoices):
    HEARING = "hearing", "Hearing"
    SIGHT = "sight", "Sight"
    LANGUAGE = "language", "Language other than English"
    INTERPRETER = "interpreter", "An interpreter"
    OTHER = "other", "Something else"


# Needs that mean nothing to the team without the language: the patient is asked which one.
LANGUAGE_NEEDS = frozenset({CommunicationNeed.LANGUAGE, CommunicationNeed.INTERPRETER})


class EntryMode(models.TextChoices):
    """How the answers reached the portal (ADR 0053): the patient's own pages, or a professional
    keying them in."""

    PATIENT_SELF = "patient_self", "Completed by the patient online"
    PAPER = "paper", "Keyed in from a paper form"
    ASSISTED = "assisted", "Completed with the patient (assisted)"
    IN_CLINIC = "in_clinic", "Completed in clinic"


class AssessmentQuerySet(PolicyQuerySet):
    """HNA answers: the patient's care team and the patient only (portal.access.policy)."""

    kind = RecordKind.HNA
    team_field = "team"


@pghistory.track()
class Assessment(BaseModel):
    class Status(models.TextChoices):
        SET_UP = "set_up", "Waiting for the patient"
        IN_PROGRESS = "in_progress", "Patient has started"
        SUBMITTED = "submitted", "Submitted"
        REVIEWED = "reviewed", "Reviewed"
        CANCELLED = "cancelled", "Closed without an assessment"

    patient = models.ForeignKey("people.Patient", on_delete=models.PROTECT, related_name="assessments")
    team = models.ForeignKey("people.CareTeam", on_delete=models.PROTECT, related_name="assessments")
    checklist_version = models.ForeignKey("hna.ChecklistVersion", on_delete=models.PROTECT, related_name="+")
    set_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    staff_role = models.CharField(max_length=30)  # the portal role in use when set up
    # The COSD staff role of who carried out the HNA: chosen at set-up, defaulting from the role.
    cosd_staff_role = models.CharField(max_length=2, choices=StaffRole.choices)
    point_of_pathway = models.CharField(max_length=2, choices=PathwayPoint.choices)
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    # The offer status follows the assessment (set-up, then completed, declined, ...); event_date
    # stays the date of the offer, offer_status_date is the date of the current status.
    offer_status = models.CharField(max_length=2, choices=OfferStatus.choices)
    offer_status_date = models.DateField()
    event_date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SET_UP)

    # How it was completed: by the patient online, or entered by a professional (ADR 0053).
    entry_mode = models.CharField(max_length=12, choices=EntryMode.choices, default=EntryMode.PATIENT_SELF)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_on_paper = models.DateField("date on the paper form", null=True, blank=True)

    # The patient's answers beyond the checklist.
    distress_score = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE_VALIDATORS)
    anything_else = models.TextField(blank=True)
    wants_company = models.CharField(max_length=10, choices=WantsCompany.choices, blank=True)
    communication_needs = ArrayField(
        models.CharField(max_length=20, choices=CommunicationNeed.choices), default=list, blank=True
    )
    communication_detail = models.CharField(max_length=500, blank=True)
    # The patient's place in the question pages, so "come back later" resumes where they were.
    last_page = models.CharField(max_length=60, blank=True)

    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(distress_score__isnull=True) | Q(distress_score__gte=0, distress_score__lte=10),
                name="assessment_distress_0_10",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "reviewed"]) | Q(submitted_at__isnull=False),
                name="assessment_submitted_has_time",
            ),
            # Entered by staff exactly when not the patient's own; a paper date only (and always) for paper.
            models.CheckConstraint(
                condition=Q(entry_mode="patient_self", entered_by__isnull=True)
                | (~Q(entry_mode="patient_self") & Q(entered_by__isnull=False)),
                name="assessment_entered_by_staff",
            ),
            models.CheckConstraint(
                condition=Q(entry_mode="paper", completed_on_paper__isnull=False)
                | (~Q(entry_mode="paper") & Q(completed_on_paper__isnull=True)),
                name="assessment_paper_has_date",
            ),
        ]
        indexes = [models.Index(fields=["team", "status"], name="assessment_team_status")]

    def __str__(self):
        return f"HNA for {self.patient} ({self.get_status_display().lower()})"

    @property
    def is_open_to_patient(self) -> bool:
        return self.status in (self.Status.SET_UP, self.Status.IN_PROGRESS)


@pghistory.track()
class ConcernAnswer(BaseModel):
    """One checklist item for one assessment: ticked or not, and its score 0-10 once ticked."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="answers")
    item = models.ForeignKey("hna.ConcernItem", on_delete=models.PROTECT, related_name="+")
    ticked = models.BooleanField(default=False)
    score = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE_VALIDATORS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="one_answer_per_item"),
            # A concern scored but not ticked is refused by the database as well as the form.
            models.CheckConstraint(condition=Q(ticked=True) | Q(score__isnull=True), name="answer_score_needs_tick"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=10), name="answer_score_0_10"
            ),
        ]

    def __str__(self):
        return f"{self.item}: {self.score if self.score is not None else '-'}"


class AssessmentStatusChange(models.Model):
    """Append-only: who moved an assessment from one status to another, and when. A patient acting
    through a passcode has no user account, so `created_by` is then empty and `by_patient` set."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    by_patient = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.from_status or 'new'} -> {self.to_status}"
