"""People and organisations: the record every app points at."""

import uuid

import pghistory
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from portal.access.kinds import RecordKind
from portal.access.querysets import PolicyQuerySet
from portal.db import BaseModel
from portal.people import validators as v


class TumourSite(models.TextChoices):
    BREAST = "breast", "Breast"
    COLORECTAL = "colorectal", "Colorectal"
    PROSTATE = "prostate", "Prostate"
    LUNG = "lung", "Lung"
    HAEMATOLOGY = "haematology", "Haematology"
    GYNAECOLOGY = "gynaecology", "Gynaecology"
    SKIN = "skin", "Skin"
    UPPER_GI = "upper_gi", "Upper gastrointestinal"
    HEAD_NECK = "head_neck", "Head and neck"
    UROLOGY = "urology", "Urology (not prostate)"
    OTHER = "other", "Other"


class Organisation(BaseModel):
    class Kind(models.TextChoices):
        TRUST = "trust", "NHS trust"
        GP_PRACTICE = "gp_practice", "GP practice"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    ods_code = models.CharField(
        "ODS code",
        max_length=8,
        unique=True,
        validators=[v.validate_ods_code],
        help_text="Organisation Data Service code, like RJ1 or A81001",
    )
    name = models.CharField(max_length=200)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.ods_code})"

    def clean_fields(self, exclude=None):
        self.ods_code = (self.ods_code or "").upper().strip()
        super().clean_fields(exclude)

    def clean(self):
        if self.kind == self.Kind.GP_PRACTICE and not v.PRACTICE_ODS.match(self.ods_code):
            raise ValidationError({"ods_code": "A GP practice ODS code is a letter and 5 digits, like A81001"})
        if self.kind == self.Kind.TRUST and not v.TRUST_ODS.match(self.ods_code):
            raise ValidationError({"ods_code": "An NHS trust ODS code is 3 or 5 characters, like RJ1"})


class CareTeam(BaseModel):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="care_teams",
        limit_choices_to={"kind": Organisation.Kind.TRUST},
    )
    tumour_site = models.CharField(max_length=20, choices=TumourSite.choices)
    name = models.CharField(max_length=200)
    phone = models.CharField("team phone", max_length=30)
    email = models.EmailField("team email")
    out_of_hours_phone = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="careteam_unique_name_per_trust"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.organisation_id and self.organisation.kind != Organisation.Kind.TRUST:
            raise ValidationError({"organisation": "A care team belongs to an NHS trust, not a GP practice"})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("Users need an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in: staff (with role assignments) or a patient (linked Patient).
    `is_staff` here means Django admin access only; clinical roles come from RoleAssignment."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    username = None
    email = models.EmailField("email address", unique=True)
    active_role = models.ForeignKey(
        "RoleAssignment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The role in use; switched by the user when they hold several",
    )
    # Bumped whenever what this user may do changes (a role assignment, its organisation or team,
    # an authenticator app): a session holds its copy of the role in use and the MFA state with the
    # number it was read at, and reads them again when the user row says otherwise (ADR 0056). The
    # user row is loaded on every request anyway, so the check costs no query.
    access_version = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.get_full_name() or self.email


class Role(models.TextChoices):
    CNS = "cns", "Clinical nurse specialist"
    SUPPORT_WORKER = "support_worker", "Cancer support worker"
    CLINICIAN = "clinician", "Clinician"
    GP = "gp", "GP"
    PRACTICE_STAFF = "practice_staff", "Practice staff"
    SERVICE_ADMIN = "service_admin", "Service admin"
    AUDITOR = "auditor", "Auditor"


CARE_TEAM_ROLES = frozenset({Role.CNS, Role.SUPPORT_WORKER, Role.CLINICIAN})
PRACTICE_ROLES = frozenset({Role.GP, Role.PRACTICE_STAFF})


@pghistory.track()
class RoleAssignment(BaseModel):
    """A user holds a role at an organisation (and, for care-team roles, in one team)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="role_assignments")
    team = models.ForeignKey(CareTeam, null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments")

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation", "team"],
                nulls_distinct=False,
                name="roleassignment_unique",
            ),
        ]

    def __str__(self):
        where = self.team.name if self.team_id else self.organisation.name
        return f"{self.get_role_display()}, {where}"

    def clean(self):
        errors = {}
        org = self.organisation if self.organisation_id else None
        if self.role in CARE_TEAM_ROLES:
            if not self.team_id:
                errors["team"] = f"Choose the care team for a {self.get_role_display().lower()}"
            elif org and self.team.organisation_id != org.pk:
                errors["team"] = "The care team must belong to the chosen organisation"
        elif self.team_id:
            errors["team"] = f"A {self.get_role_display().lower()} is not part of a care team: leave team empty"
        if org and self.role in PRACTICE_ROLES and org.kind != Organisation.Kind.GP_PRACTICE:
            errors["organisation"] = "GPs and practice staff belong to a GP practice"
        if org and self.role in CARE_TEAM_ROLES and org.kind != Organisation.Kind.TRUST:
            errors["organisation"] = "Care-team roles belong to an NHS trust"
        if errors:
            raise ValidationError(errors)


class PatientQuerySet(PolicyQuerySet):
    """Patients, scoped by the policy table (portal.access.policy, kind "patient demographics")."""

    kind = RecordKind.PATIENT
    patient_field = ""


class DiagnosisQuerySet(PolicyQuerySet):
    kind = RecordKind.DIAGNOSIS


class StatedGender(models.TextChoices):
    """NHS data dictionary PERSON STATED GENDER CODE. Optional; "not known" when it was not asked."""

    MALE = "1", "Male"
    FEMALE = "2", "Female"
    INDETERMINATE = "9", "Indeterminate (unable to be classified as either male or female)"
    NOT_KNOWN = "X", "Not known (not recorded)"


class EthnicCategory(models.TextChoices):
    """NHS data dictionary ETHNIC CATEGORY (2001 census categories). "Not stated" is the person's choice;
    "not known" is that nobody asked."""

    WHITE_BRITISH = "A", "White: British"
    WHITE_IRISH = "B", "White: Irish"
    WHITE_OTHER = "C", "White: any other White background"
    MIXED_WHITE_BLACK_CARIBBEAN = "D", "Mixed: White and Black Caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "E", "Mixed: White and Black African"
    MIXED_WHITE_ASIAN = "F", "Mixed: White and Asian"
    MIXED_OTHER = "G", "Mixed: any other mixed background"
    ASIAN_INDIAN = "H", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "J", "Asian or Asian British: Pakistani"
    ASIAN_BANGLADESHI = "K", "Asian or Asian British: Bangladeshi"
    ASIAN_OTHER = "L", "Asian or Asian British: any other Asian background"
    BLACK_CARIBBEAN = "M", "Black or Black British: Caribbean"
    BLACK_AFRICAN = "N", "Black or Black British: African"
    BLACK_OTHER = "P", "Black or Black British: any other Black background"
    CHINESE = "R", "Other ethnic groups: Chinese"
    OTHER = "S", "Other ethnic groups: any other ethnic group"
    NOT_STATED = "Z", "Not stated"
    NOT_KNOWN = "99", "Not known"


class CommunicationNeed(models.TextChoices):
    """What the patient needs to take part (the Accessible Information Standard's categories, as the
    teams record them): kept on the patient, so every page, letter and message honours it (ADR 0052)."""

    HEARING = "hearing", "Hearing (for example, a hearing aid, lip reading or British Sign Language)"
    SIGHT = "sight", "Sight"
    LANGUAGE = "language", "A language other than English"
    INTERPRETER = "interpreter", "An interpreter"
    EASY_READ = "easy_read", "Easy read"
    LARGE_PRINT = "large_print", "Large print"
    OTHER = "other", "Something else"


# Needs that mean nothing to the team without the language named.
LANGUAGE_NEEDS = frozenset({CommunicationNeed.LANGUAGE, CommunicationNeed.INTERPRETER})


class SupportPersonRole(models.TextChoices):
    CARER = "carer", "Carer"
    NEXT_OF_KIN = "next_of_kin", "Next of kin"
    BOTH = "both", "Carer and next of kin"


@pghistory.track()
class Patient(BaseModel):
    class Contact(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "Text message (SMS)"
        POST = "post", "Letter by post"

    nhs_number = models.CharField("NHS number", max_length=10, unique=True, validators=[v.validate_nhs_number])
    given_name = models.CharField("first name", max_length=100)
    family_name = models.CharField("last name", max_length=100)
    date_of_birth = models.DateField(validators=[v.validate_date_of_birth])
    postcode = models.CharField(max_length=8, blank=True, validators=[v.validate_postcode])
    # The lines above the postcode, for letters (the survey's mailing house, follow-up letters).
    address = models.TextField(blank=True)
    sex = models.CharField("gender", max_length=2, choices=StatedGender.choices, blank=True)
    ethnic_category = models.CharField(max_length=2, choices=EthnicCategory.choices, blank=True)
    email = models.EmailField(blank=True)
    mobile = models.CharField("mobile phone", max_length=20, blank=True, validators=[v.validate_mobile])
    preferred_contact = models.CharField(max_length=10, choices=Contact.choices, default=Contact.POST)
    registered_practice = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registered_patients",
        limit_choices_to={"kind": Organisation.Kind.GP_PRACTICE},
        verbose_name="registered GP practice",
    )
    care_teams = models.ManyToManyField(CareTeam, blank=True, related_name="patients")
    date_of_death = models.DateField(null=True, blank=True, validators=[v.validate_date_of_death])
    communication_needs = ArrayField(
        models.CharField(max_length=20, choices=CommunicationNeed.choices), default=list, blank=True
    )
    communication_language = models.CharField("language", max_length=100, blank=True)
    communication_detail = models.CharField("what else helps", max_length=300, blank=True)
    # One person who cares for or is next of kin to the patient: a name and a way to reach them.
    support_person_name = models.CharField("carer or next of kin", max_length=200, blank=True)
    support_person_role = models.CharField(
        "carer or next of kin", max_length=12, choices=SupportPersonRole.choices, blank=True
    )
    support_person_relationship = models.CharField("relationship to the patient", max_length=100, blank=True)
    support_person_phone = models.CharField("carer or next of kin phone", max_length=30, blank=True)
    survey_opt_out = models.BooleanField(
        "opted out of surveys",
        default=False,
        help_text="The patient asked not to be sent the quality of life survey",
    )
    user = models.OneToOneField(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="patient",
        help_text="The patient's own portal account, once they have one",
    )

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def clean_fields(self, exclude=None):
        # Normalise before the length and format checks: "943 476 5919" is a valid entry.
        self.nhs_number = v.normalise_nhs_number(self.nhs_number)
        self.postcode = (self.postcode or "").upper().strip()
        super().clean_fields(exclude)

    def clean(self):
        errors = {}
        if self.date_of_death and self.date_of_birth and self.date_of_death < self.date_of_birth:
            errors["date_of_death"] = "Date of death must be on or after the date of birth"
        contact_field = {self.Contact.EMAIL: "email", self.Contact.SMS: "mobile"}.get(self.preferred_contact)
        if contact_field and not getattr(self, contact_field):
            label = "an email address" if contact_field == "email" else "a mobile phone number"
            errors[contact_field] = f"Enter {label}, or choose another way to contact the patient"
        if self.preferred_contact == self.Contact.POST and not self.postcode:
            errors["postcode"] = "Enter a postcode, or choose another way to contact the patient"
        errors.update(communication_errors(self))
        if errors:
            raise ValidationError(errors)


def communication_errors(patient) -> dict:
    """The rules every channel (page, admin, API) shares: a need the team cannot act on without its
    detail, and a carer nobody could reach, are named on their field."""
    errors = {}
    needs = set(patient.communication_needs or [])
    if needs & LANGUAGE_NEEDS and not patient.communication_language.strip():
        errors["communication_language"] = "Enter the language the patient needs, for example Polish"
    if CommunicationNeed.OTHER in needs and not patient.communication_detail.strip():
        errors["communication_detail"] = "Enter what else helps the patient communicate"
    has_person = any((patient.support_person_role, patient.support_person_relationship, patient.support_person_phone))
    if has_person and not patient.support_person_name.strip():
        errors["support_person_name"] = "Enter the name of the carer or next of kin"
    if patient.support_person_name.strip() and not patient.support_person_role:
        errors["support_person_role"] = "Select whether they are a carer, next of kin, or both"
    return errors


@pghistory.track()
class Diagnosis(BaseModel):
    class Intent(models.TextChoices):
        CURATIVE = "curative", "Curative"
        PALLIATIVE = "palliative", "Palliative or disease control"
        UNKNOWN = "unknown", "Not known"

    class Stage(models.TextChoices):
        STAGE_0 = "0", "Stage 0"
        STAGE_1 = "1", "Stage 1"
        STAGE_2 = "2", "Stage 2"
        STAGE_3 = "3", "Stage 3"
        STAGE_4 = "4", "Stage 4"
        NOT_STAGED = "not_staged", "Not staged"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="diagnoses")
    tumour_site = models.CharField(max_length=20, choices=TumourSite.choices)
    icd10_code = models.CharField("ICD-10 code", max_length=6, validators=[v.validate_icd10])
    date_of_diagnosis = models.DateField(validators=[v.validate_date_of_diagnosis])
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.NOT_STAGED)
    treatment_intent = models.CharField(max_length=12, choices=Intent.choices, default=Intent.UNKNOWN)
    end_of_treatment_date = models.DateField(null=True, blank=True)

    objects = DiagnosisQuerySet.as_manager()

    class Meta:
        ordering = ["-date_of_diagnosis"]
        verbose_name_plural = "diagnoses"

    def __str__(self):
        return f"{self.get_tumour_site_display()} ({self.icd10_code}), {self.date_of_diagnosis:%d %b %Y}"

    def clean_fields(self, exclude=None):
        self.icd10_code = (self.icd10_code or "").upper().strip()
        super().clean_fields(exclude)

    def clean(self):
        if (
            self.end_of_treatment_date
            and self.date_of_diagnosis
            and self.end_of_treatment_date < self.date_of_diagnosis
        ):
            raise ValidationError(
                {"end_of_treatment_date": "End of treatment date must be on or after the date of diagnosis"}
            )
        if self.patient_id and self.date_of_diagnosis and self.date_of_diagnosis < self.patient.date_of_birth:
            raise ValidationError({"date_of_diagnosis": "Date of diagnosis must be after the date of birth"})
