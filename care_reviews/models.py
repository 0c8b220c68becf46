"""Cancer care reviews in the GP practice (issue 14). What is due is worked out from each registered
patient's diagnosis (services.due): an early contact by 3 months, a review between 6 and 12 months.
What was done is a Review: completed with its structured content, or declined or not contactable
with a reason. A patient's request for a review lands on the practice's list (ReviewRequest).

The practice that holds a review is the one the patient was registered at when it was done; the
policy table (CARE_REVIEW) lets that practice and the patient read it."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from portal.access.kinds import RecordKind
from portal.access.querysets import PolicyQuerySet
from portal.db import BaseModel


class Kind(models.TextChoices):
    EARLY_CONTACT = "early_contact", "Early contact (within 3 months of diagnosis)"
    REVIEW = "review", "Cancer care review (6 to 12 months after diagnosis)"


class Mode(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"


class Outcome(models.TextChoices):
    COMPLETED = "completed", "Completed"
    DECLINED = "declined", "The patient declined"
    NOT_CONTACTABLE = "not_contactable", "The patient could not be contacted"


class ReviewQuerySet(PolicyQuerySet):
    kind = RecordKind.CARE_REVIEW
    practice_field = "practice"


class Review(BaseModel):
    """One early contact or review for one diagnosis: done (with what was discussed), or declined or
    not contactable (with why). A diagnosis has at most one completed of each kind."""

    patient = models.ForeignKey("people.Patient", on_delete=models.PROTECT, related_name="+")
    diagnosis = models.ForeignKey("people.Diagnosis", on_delete=models.PROTECT, related_name="+")
    practice = models.ForeignKey("people.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reason = models.TextField(blank=True)  # why declined or not contactable
    reviewed_on = models.DateField()
    mode = models.CharField(max_length=20, choices=Mode.choices, blank=True)
    carer_attended = models.BooleanField(default=False)
    carer_name = models.CharField(max_length=200, blank=True)
    # The patient's experience and concerns, in four parts the template asks about.
    experience = models.TextField(blank=True)
    concerns_physical = models.TextField(blank=True)
    concerns_emotional = models.TextField(blank=True)
    concerns_practical = models.TextField(blank=True)
    concerns_financial = models.TextField(blank=True)
    medication_reviewed = models.BooleanField(default=False)
    main_carer = models.CharField(max_length=300, blank=True)
    consequences_discussed = models.BooleanField(default=False)
    recurrence_symptoms_discussed = models.BooleanField(default=False)
    lifestyle_advice = models.TextField(blank=True)
    signposting = models.TextField(blank=True)
    getting_back_in = models.TextField(blank=True)  # how to get back into the system, out of hours too
    next_review = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["diagnosis", "kind"],
                condition=Q(outcome="completed"),
                name="care_review_completed_once",
            ),
            models.CheckConstraint(
                condition=Q(outcome="completed") | ~Q(reason=""), name="care_review_reason_when_not_done"
            ),
        ]
        indexes = [models.Index(fields=["practice", "reviewed_on"], name="care_review_practice")]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.patient}"


class ReviewAction(BaseModel):
    """An action agreed at a review, with who does it."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="actions")
    action = models.TextField()
    owner = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["review", "position"]


class RequestQuerySet(PolicyQuerySet):
    kind = RecordKind.CARE_REVIEW_REQUEST
    practice_field = "practice"


class ReviewRequest(BaseModel):
    """A patient asks their practice for a review ("My care"); closed when a review is recorded."""

    patient = models.ForeignKey("people.Patient", on_delete=models.PROTECT, related_name="+")
    practice = models.ForeignKey("people.Organisation", on_delete=models.PROTECT, related_name="+")
    what_about = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.PROTECT, related_name="requests")

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"], condition=Q(closed_at__isnull=True), name="care_review_one_open_request"
            )
        ]
