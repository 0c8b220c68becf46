"""A summary is a series of versions. A draft version is edited by the care team; sign-off by a
clinician freezes it (its PDF is rendered once and stored with a content hash); amending a sent
version makes a new draft version with a reason. Nothing is ever overwritten or deleted."""

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from portal.access.kinds import RecordKind
from portal.access.querysets import PolicyQuerySet
from portal.db import BaseModel
from portal.people.models import Role


class TreatmentType(models.TextChoices):
    SURGERY = "surgery", "Surgery"
    CHEMOTHERAPY = "chemotherapy", "Chemotherapy"
    RADIOTHERAPY = "radiotherapy", "Radiotherapy"
    HORMONE = "hormone", "Hormone therapy"
    IMMUNOTHERAPY = "immunotherapy", "Immunotherapy"
    TARGETED = "targeted", "Targeted therapy"
    OTHER = "other", "Other"


class TreatmentAim(models.TextChoices):
    CURATIVE = "curative", "Curative"
    PALLIATIVE = "palliative", "Palliative or disease control"
    ADJUVANT = "adjuvant", "Adjuvant"
    NEO_ADJUVANT = "neo_adjuvant", "Neo-adjuvant"
    REMISSION = "remission", "Remission"
    UNKNOWN = "unknown", "Not known"


class FollowUpPathway(models.TextChoices):
    CONSULTANT = "consultant", "Consultant-led follow-up"
    NURSE = "nurse", "Nurse-led follow-up"
    PATIENT_INITIATED = "pifu", "Patient-initiated follow-up"
    PRIMARY_CARE = "primary_care", "Primary care"
    PALLIATIVE = "palliative", "Palliative care"
    NOT_DECIDED = "not_decided", "Not yet decided"


class BenefitsForm(models.TextChoices):
    """The special-rules medical evidence form for benefits when someone may be nearing the end of life.
    SR1 has replaced DS1500 for most benefits; DS1500 is still asked for by some (ADR 0051)."""

    SR1 = "sr1", "SR1"
    DS1500 = "ds1500", "DS1500"
    NONE = "none", "Not given"


class PrescriptionExemption(models.TextChoices):
    RECOMMENDED = "recommended", "Recommended: the patient should apply"
    GIVEN = "given", "Given: the application was completed with the patient"
    NOT_NEEDED = "not_needed", "Not needed: the patient does not pay for prescriptions"


class SideEffectOption(BaseModel):
    """Tick-list entries per treatment type, kept as data so a trust can change them."""

    class Kind(models.TextChoices):
        SIDE_EFFECT = "side_effect", "Possible side effect"
        LATE_EFFECT = "late_effect", "Possible late effect"

    treatment_type = models.CharField(max_length=20, choices=TreatmentType.choices)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    code = models.SlugField(max_length=60, unique=True)
    text = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["treatment_type", "kind", "position"]

    def __str__(self):
        return f"{self.get_treatment_type_display()}: {self.text}"


class TreatmentSummaryQuerySet(PolicyQuerySet):
    """A summary (the series of versions) is seen by whoever may see one of its versions."""

    kind = RecordKind.SUMMARY
    team_field = "team"

    def released(self) -> Q:
        return Exists(SummaryVersion.objects.filter(summary=OuterRef("pk"), sent_at__isnull=False))

    def delivered_to(self, practice_id) -> Q:
        from treatment_summaries.models.delivery import PracticeDelivery

        return Exists(PracticeDelivery.objects.filter(version__summary=OuterRef("pk"), practice=practice_id))


@pghistory.track()
class TreatmentSummary(BaseModel):
    patient = models.ForeignKey("people.Patient", on_delete=models.PROTECT, related_name="treatment_summaries")
    team = models.ForeignKey("people.CareTeam", on_delete=models.PROTECT, related_name="treatment_summaries")
    diagnosis = models.ForeignKey(
        "people.Diagnosis", null=True, blank=True, on_delete=models.PROTECT, related_name="treatment_summaries"
    )
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = TreatmentSummaryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "treatment summaries"

    def __str__(self):
        return f"Treatment summary for {self.patient}"


class VersionQuerySet(PolicyQuerySet):
    """Versions, scoped by the policy table (portal.access.policy): the care team sees all of them,
    the patient those sent, a GP practice those delivered to it."""

    kind = RecordKind.SUMMARY
    patient_field = "summary__patient"
    team_field = "summary__team"

    def released(self) -> Q:
        return Q(sent_at__isnull=False)

    def delivered_to(self, practice_id) -> Q:
        from treatment_summaries.models.delivery import PracticeDelivery

        return Exists(PracticeDelivery.objects.filter(version=OuterRef("pk"), practice=practice_id))

    def with_previous_id(self):
        """Annotate each version with the id of the version it amends (`previous_id`), in the same query."""
        previous = SummaryVersion.objects.filter(summary=OuterRef("summary"), number=OuterRef("number") - 1)
        return self.annotate(previous_id=Subquery(previous.values("pk")[:1]))


@pghistory.track(exclude=["pdf"])  # the PDF is frozen at sign-off; its hash is tracked
class SummaryVersion(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED_OFF = "signed_off", "Signed off"
        SENT = "sent", "Sent"
        SUPERSEDED = "superseded", "Superseded"

    summary = models.ForeignKey(TreatmentSummary, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    amendment_reason = models.TextField(blank=True)
    # Bumped on every save of a draft; a save that read an older number is refused.
    lock_version = models.PositiveIntegerField(default=0)

    # Diagnosis and staging
    diagnosis_text = models.CharField("diagnosis", max_length=300, blank=True)
    date_of_diagnosis = models.DateField(null=True, blank=True)
    t_stage = models.CharField("T", max_length=10, blank=True)
    n_stage = models.CharField("N", max_length=10, blank=True)
    m_stage = models.CharField("M", max_length=10, blank=True)
    staging_comments = models.TextField(blank=True)
    treatment_aim = models.CharField(max_length=20, choices=TreatmentAim.choices, blank=True)
    # Effects, red flags, contacts
    side_effects = models.ManyToManyField(SideEffectOption, blank=True, related_name="+")
    side_effects_text = models.TextField("other side effects and late effects", blank=True)
    red_flags = models.TextField("red-flag symptoms that need referral back", blank=True)
    contacts_in_hours = models.TextField("contacts in hours", blank=True)
    contacts_out_of_hours = models.TextField("contacts out of hours", blank=True)
    responsible_clinician = models.CharField(max_length=200, blank=True)
    cns_name = models.CharField("clinical nurse specialist", max_length=200, blank=True)
    # Plan
    referrals = models.TextField("referrals made", blank=True)
    ongoing_management = models.TextField("ongoing management and surveillance plan", blank=True)
    follow_up_pathway = models.CharField(max_length=20, choices=FollowUpPathway.choices, blank=True)
    new_medication = models.TextField(blank=True)
    information_given = models.TextField("information given to the patient about diagnosis and prognosis", blank=True)
    patient_has_copy = models.BooleanField(null=True, blank=True)
    carer_contact = models.TextField("carer or emergency contact", blank=True)
    # Support the GP is told about (issue 15 item 4): blank is "not recorded", not "no".
    benefits_form = models.CharField("special-rules benefits form", max_length=10, choices=BenefitsForm.choices,
                                     blank=True)  # fmt: skip
    benefits_form_date = models.DateField("date the benefits form was given", null=True, blank=True)
    prescription_exemption = models.CharField("prescription charge exemption", max_length=12,
                                              choices=PrescriptionExemption.choices, blank=True)  # fmt: skip
    supportive_care_register = models.BooleanField("palliative or supportive care register recommended", null=True,
                                                   blank=True)  # fmt: skip

    # Sign-off freezes the version; its PDF is rendered once and kept with its hash.
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The role they signed in (a person may hold several): which the trust's setting allowed.
    signed_off_role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    # The follow-up tests planned when it was signed off (ADR 0054): rows from the follow-up pathway,
    # written at sign-off and frozen with the rest; a draft shows the pathway as it is now. None: signed
    # before this was kept (or follow-up is not installed); {"pathway": None, "rows": []}: none was set.
    surveillance_plan = models.JSONField(null=True, blank=True, editable=False)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["summary", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["summary", "number"], name="summaryversion_number_per_summary"),
            models.UniqueConstraint(fields=["summary"], condition=Q(status="draft"), name="summaryversion_one_draft"),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(signed_off_at__isnull=False, signed_off_by__isnull=False, pdf_sha256__regex=r"^[0-9a-f]{64}$"),
                name="summaryversion_signed_off_is_complete",
            ),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(amendment_reason=""), name="summaryversion_amendment_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.summary} v{self.number} ({self.get_status_display().lower()})"

    @property
    def is_amendment(self) -> bool:
        return self.number > 1

    def clean(self):
        # A form given has a date, and a date says which form: each half alone is not a record.
        errors = {}
        given = self.benefits_form not in ("", BenefitsForm.NONE)
        if given and self.benefits_form_date is None:
            errors["benefits_form_date"] = f"Enter the date the {self.get_benefits_form_display()} form was given"
        if self.benefits_form_date and self.benefits_form_date > timezone.localdate():
            errors["benefits_form_date"] = "The date the benefits form was given must be today or in the past"
        if not given and self.benefits_form_date is not None:
            errors["benefits_form"] = "Select which benefits form was given, or remove the date"
        if errors:
            raise ValidationError(errors)


class Treatment(BaseModel):
    version = models.ForeignKey(SummaryVersion, on_delete=models.PROTECT, related_name="treatments")
    treatment_type = models.CharField(max_length=20, choices=TreatmentType.choices)
    description = models.CharField(max_length=300)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="treatment_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return f"{self.get_treatment_type_display()}: {self.description}"
