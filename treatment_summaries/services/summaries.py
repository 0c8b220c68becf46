"""Writing, signing off, sending and amending treatment summaries. Each operation takes `actor=`,
runs in a transaction and is audited. A version is editable only while it is a draft."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.access import policy
from portal.access.kinds import RecordKind
from portal.audit.models import Action
from portal.audit.services import record
from portal.outbox.services import queue_notification
from portal.people.models import Role
from portal.people.roles import role_in_use
from portal.worklist.models import Status
from portal.worklist.services import close_for_source
from treatment_summaries import surveillance
from treatment_summaries.models import (
    SIGNERS,
    GPAction,
    GPActionOption,
    PatientCopy,
    PracticeDelivery,
    SummaryVersion,
    Treatment,
    TreatmentSummary,
    sign_off_setting,
)
from treatment_summaries.services import chasing

EDITABLE_FIELDS = frozenset(
    {
        "diagnosis_text",
        "date_of_diagnosis",
        "t_stage",
        "n_stage",
        "m_stage",
        "staging_comments",
        "treatment_aim",
        "side_effects_text",
        "red_flags",
        "contacts_in_hours",
        "contacts_out_of_hours",
        "responsible_clinician",
        "cns_name",
        "referrals",
        "ongoing_management",
        "follow_up_pathway",
        "new_medication",
        "information_given",
        "patient_has_copy",
        "carer_contact",
        "benefits_form",
        "benefits_form_date",
        "prescription_exemption",
        "supportive_care_register",
    }
)
# What sign-off needs, with the message that names it (shown in the error summary).
REQUIRED_FOR_SIGN_OFF = [
    ("diagnosis_text", "Enter the diagnosis"),
    ("date_of_diagnosis", "Enter the date of diagnosis"),
    ("treatment_aim", "Select the treatment aim"),
    ("red_flags", "Enter the red-flag symptoms that need referral back"),
    ("contacts_in_hours", "Enter the contacts in hours"),
    ("contacts_out_of_hours", "Enter the contacts out of hours"),
    ("responsible_clinician", "Enter the responsible clinician"),
    ("ongoing_management", "Enter the ongoing management and surveillance plan"),
    ("follow_up_pathway", "Select the follow-up pathway"),
]


class VersionLocked(ValidationError):
    """The version is signed off: it can never change. Amend it instead."""


class StaleEdit(ValidationError):
    """Someone else saved the draft since this form was read."""


def _draft(version_id, seen_lock_version=None) -> SummaryVersion:
    version = SummaryVersion.objects.select_for_update().select_related("summary").get(pk=version_id)
    if version.status != SummaryVersion.Status.DRAFT:
        raise VersionLocked("This version is signed off and cannot be changed. Amend the summary instead.")
    if seen_lock_version is not None and int(seen_lock_version) != version.lock_version:
        raise StaleEdit(
            "Someone else changed this summary while you were editing. Your changes have not been saved: "
            "check the summary and make them again."
        )
    return version


def _touch(version) -> None:
    SummaryVersion.objects.filter(pk=version.pk).update(lock_version=F("lock_version") + 1, updated_at=timezone.now())


@transaction.atomic
def start(*, actor, patient, diagnosis=None) -> SummaryVersion:
    """A new summary for a patient of the actor's team, pre-filled from the diagnosis and team."""
    # Who may write summaries, and for which patients, is the policy table's (support workers may not).
    policy.require_for_patient(actor, RecordKind.SUMMARY, patient)
    role = role_in_use(actor)
    if diagnosis is not None and diagnosis.patient_id != patient.pk:
        raise ValidationError({"diagnosis": "Select one of this patient's diagnoses"})
    summary = TreatmentSummary.objects.create(patient=patient, team=role.team, diagnosis=diagnosis, started_by=actor)
    team = role.team
    prefill = {
        "contacts_in_hours": f"{team.name}: {team.phone}, {team.email}",
        "contacts_out_of_hours": team.out_of_hours_phone or "",
        "cns_name": actor.get_full_name() if role.role == Role.CNS else "",
        "responsible_clinician": actor.get_full_name() if role.role == Role.CLINICIAN else "",
    }
    if diagnosis is not None:
        prefill.update(
            diagnosis_text=f"{diagnosis.get_tumour_site_display()} cancer ({diagnosis.icd10_code})",
            date_of_diagnosis=diagnosis.date_of_diagnosis,
            treatment_aim={"curative": "curative", "palliative": "palliative"}.get(diagnosis.treatment_intent, ""),
        )
    version = SummaryVersion.objects.create(summary=summary, number=1, **prefill)
    if diagnosis is not None:  # starting it is what the "summary due" item asked for
        close_for_source(**chasing.due_item(diagnosis, team), actor=actor)
    record(Action.CREATE, actor=actor, patient=patient, obj=version)
    return version


@transaction.atomic
def update(*, actor, version, seen_lock_version, **fields) -> SummaryVersion:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not an editable field: {sorted(unknown)}")
    version = _draft(version.pk, seen_lock_version)
    policy.require(actor, version)
    for name, value in fields.items():
        setattr(version, name, value)
    version.full_clean(exclude=["summary", "signed_off_by", "pdf"])
    version.lock_version += 1
    version.save()
    record(Action.UPDATE, actor=actor, patient=version.summary.patient, obj=version)
    return version


@transaction.atomic
def set_side_effects(*, actor, version, seen_lock_version, option_ids) -> None:
    version = _draft(version.pk, seen_lock_version)
    policy.require(actor, version)
    version.side_effects.set(option_ids)
    _touch(version)
    record(Action.UPDATE, actor=actor, patient=version.summary.patient, obj=version)


@transaction.atomic
def add_treatment(*, actor, version, seen_lock_version, treatment_type, description, start_date, end_date=None):
    version = _draft(version.pk, seen_lock_version)
    policy.require(actor, version)
    if end_date and start_date and end_date < start_date:
        raise ValidationError({"end_date": "The end date must be the same as or after the start date"})
    treatment = Treatment.objects.create(
        version=version,
        treatment_type=treatment_type,
        description=description,
        start_date=start_date,
        end_date=end_date,
        position=version.treatments.count(),
    )
    _touch(version)
    record(Action.UPDATE, actor=actor, patient=version.summary.patient, obj=version)
    return treatment


@transaction.atomic
def remove_treatment(*, actor, treatment) -> None:
    version = _draft(treatment.version_id)
    policy.require(actor, version)
    treatment.delete()  # a draft's rows: nothing signed off is ever deleted
    _touch(version)
    record(Action.UPDATE, actor=actor, patient=version.summary.patient, obj=version)


def gp_action_wording(option, details: str) -> str:
    """What the GP reads: the prompt, then the free text beside it (either may stand alone, but
    a prompt that says nothing by itself, such as "Other", needs the free text)."""
    details = (details or "").strip()
    if option is None:
        if not details:
            raise ValidationError({"text": "Enter the action you are asking the GP to take"})
        return details
    if option.needs_details and not details:
        raise ValidationError({"text": f"Enter the action you are asking the GP to take for “{option.text}”"})
    return f"{option.text}: {details}" if details else option.text


@transaction.atomic
def add_gp_action(*, actor, version, seen_lock_version, text, option=None) -> GPAction:
    """One action for the GP, chosen from the prompts (GPActionOption, data) and/or written out."""
    version = _draft(version.pk, seen_lock_version)
    policy.require(actor, version)
    if option is not None and not GPActionOption.objects.filter(pk=option.pk, retired=False).exists():
        raise ValidationError({"option": "Select one of the actions listed"})
    action = GPAction.objects.create(
        version=version, option=option, text=gp_action_wording(option, text), position=version.gp_actions.count()
    )
    _touch(version)
    record(Action.UPDATE, actor=actor, patient=version.summary.patient, obj=version)
    return action


@transaction.atomic
def remove_gp_action(*, actor, action) -> None:
    version = _draft(action.version_id)
    policy.require(actor, version)
    action.delete()
    _touch(version)
    record(Action.UPDATE, actor=actor, patient=version.summary.patient, obj=version)


def missing_for_sign_off(version, plan=None) -> list[tuple[str, str]]:
    """(field, message) for everything sign-off needs that the draft lacks. With follow-up tests listed
    from the pathway (`plan`, surveillance.live_plan) the free-text plan is optional: they are the plan."""
    listed = bool(plan and plan.get("rows"))
    required = [(n, m) for n, m in REQUIRED_FOR_SIGN_OFF if not (listed and n == "ongoing_management")]
    missing = [(name, message) for name, message in required if getattr(version, name) in ("", None)]
    if not version.treatments.exists():
        missing.append(("treatments", "Add at least one treatment given, with its dates"))
    if version.patient_has_copy is None:
        missing.append(("patient_has_copy", "Select whether the patient has a copy"))
    if version.is_amendment and not version.amendment_reason.strip():
        missing.append(("amendment_reason", "Enter the reason for the amendment"))
    return missing


def sign_off_roles(team) -> frozenset:
    """The roles that may sign off this team's summaries: its trust's setting (clinician only, or
    clinician and CNS); a trust that has not chosen keeps clinician only."""
    return SIGNERS[sign_off_setting(team.organisation_id)]


def sign_off_refusal(role, team) -> str:
    """Why this role may not sign off here, naming the role and who may (shown as it is)."""
    allowed = " or a ".join(Role(r).label.lower() for r in sorted(sign_off_roles(team), key=Role.values.index))
    name = Role(role).label.lower() if role in Role.values else "your role"
    return (
        f"A {name} cannot sign off a treatment summary at {team.organisation.name}: "
        f"only a {allowed} can. Ask the responsible clinician to sign it off."
    )


@transaction.atomic
def sign_off(*, actor, version, render_pdf) -> SummaryVersion:
    """A clinician (or a CNS, where the trust's setting allows it) signs the draft off: it is frozen,
    with the role they signed in, the follow-up tests planned then, and its PDF rendered once, with its hash.
    `render_pdf(version) -> bytes` is passed in so the service does not depend on templates."""
    version = _draft(version.pk)
    # The policy table first (their team, a role that may change summaries at all), then the trust's
    # setting, which only narrows who of those may sign.
    policy.require(actor, version)
    team = version.summary.team
    role = role_in_use(actor).role
    if role not in sign_off_roles(team):
        raise PermissionDenied(sign_off_refusal(role, team))
    # The follow-up tests as they are now are what the GP is sent: kept, and frozen with the rest.
    plan = surveillance.live_plan(version, actor)
    missing = missing_for_sign_off(version, plan)
    if missing:
        raise ValidationError({name: message for name, message in missing})
    version.surveillance_plan = surveillance.snapshot(plan)
    version.status = SummaryVersion.Status.SIGNED_OFF
    version.signed_off_at, version.signed_off_by, version.signed_off_role = timezone.now(), actor, role
    content = render_pdf(version)
    version.pdf, version.pdf_sha256 = content, hashlib.sha256(content).hexdigest()
    version.save()
    close_for_source(**chasing.overdue_item(version.summary), actor=actor)  # the draft is finished
    record(Action.UPDATE, actor=actor, patient=version.summary.patient, obj=version)
    return version


@transaction.atomic
def send(*, actor, version) -> SummaryVersion:
    """To the patient's registered practice inbox (with an email to the practice), and to the patient
    (My care, plus email or a letter by their preference). An earlier sent version is superseded."""
    version = (
        SummaryVersion.objects.select_for_update(of=("self",))  # the practice is an outer join
        .select_related("summary__patient__registered_practice")
        .get(pk=version.pk)
    )
    if version.status != SummaryVersion.Status.SIGNED_OFF:
        raise ValidationError("Only a signed-off summary that has not been sent can be sent")
    summary, patient = version.summary, version.summary.patient
    policy.require(actor, version)
    now = timezone.now()
    replaced = SummaryVersion.objects.filter(summary=summary, status=SummaryVersion.Status.SENT)
    # The practice acknowledges the amendment instead: chasing it for the replaced version is moot.
    for delivery in PracticeDelivery.objects.filter(version__in=replaced, acknowledged_at__isnull=True):
        close_for_source(**chasing.not_acknowledged_item(delivery), to_status=Status.CANCELLED, actor=actor)
    replaced.update(status=SummaryVersion.Status.SUPERSEDED, updated_at=now)
    version.status, version.sent_at = SummaryVersion.Status.SENT, now
    version.save(update_fields=["status", "sent_at", "updated_at"])
    amended = "Amended " if version.is_amendment else ""
    practice = patient.registered_practice
    if practice is not None:
        PracticeDelivery.objects.get_or_create(version=version, practice=practice)
        if practice.email:
            queue_notification(
                recipient=practice.email,
                channel="email",
                template="treatment_summaries.practice",
                idempotency_key=f"eots-practice:{version.pk}",
                context={"practice": practice.name, "team": summary.team.name, "amended": bool(amended)},
            )
    channel = {"email": "email", "sms": "sms", "post": "letter"}.get(patient.preferred_contact, "portal")
    if channel in ("email", "sms") and not (patient.email if channel == "email" else patient.mobile):
        channel = "letter"
    PatientCopy.objects.get_or_create(version=version, defaults={"channel": channel})
    if channel in ("email", "sms"):
        queue_notification(
            recipient=patient.email if channel == "email" else patient.mobile,
            channel=channel,
            template="treatment_summaries.patient",
            patient=patient,
            idempotency_key=f"eots-patient:{version.pk}",
            context={"first_name": patient.given_name, "team": summary.team.name, "amended": bool(amended)},
        )
    record(Action.UPDATE, actor=actor, patient=patient, obj=version)
    return version


@transaction.atomic
def amend(*, actor, version, reason) -> SummaryVersion:
    """A new draft version copied from a sent one, with the reason; the sent one stays as it is."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter the reason for the amendment"})
    source = SummaryVersion.objects.select_for_update().select_related("summary").get(pk=version.pk)
    policy.require(actor, source)
    if source.status != SummaryVersion.Status.SENT:
        raise ValidationError("Only the sent version can be amended")
    existing = source.summary.versions.filter(status=SummaryVersion.Status.DRAFT).first()
    if existing is not None:
        return existing
    fields = {name: getattr(source, name) for name in EDITABLE_FIELDS}
    draft = SummaryVersion.objects.create(
        summary=source.summary, number=source.summary.versions.count() + 1, amendment_reason=reason.strip(), **fields
    )
    draft.side_effects.set(source.side_effects.all())
    Treatment.objects.bulk_create(
        Treatment(
            version=draft,
            treatment_type=t.treatment_type,
            description=t.description,
            start_date=t.start_date,
            end_date=t.end_date,
            position=t.position,
        )
        for t in source.treatments.all()
    )
    GPAction.objects.bulk_create(
        GPAction(version=draft, option_id=a.option_id, text=a.text, position=a.position)
        for a in source.gp_actions.all()
    )
    record(Action.CREATE, actor=actor, patient=source.summary.patient, obj=draft)
    return draft
