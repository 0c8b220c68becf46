"""Protocols as versioned data (issue 11, item 1): a service admin makes a draft (a copy of the
published version), edits its steps, and publishes it, which retires the version before it. A
pathway keeps the version it was made from (Pathway.protocol_version), so publishing changes no
patient's schedule. Like the HNA checklist: draft, then publish."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from followup.models import Anchor, Protocol, ProtocolStep, ProtocolVersion, VersionStatus
from portal.access import policy

STEP_FIELDS = ("test_type", "start_months", "every_months", "until_months", "with_checkin")
VERSION_FIELDS = ("anchor", "first_reminder_days", "second_reminder_days", "pifu_months", "checkin_months")
# The version's numbers, their allowed range and how a message names them (ADR 0027). Bounds are
# the service's, not the database's, so changing them needs no migration.
SETTING_RANGES = {
    "first_reminder_days": (1, 90, "The first reminder", "days before the test"),
    "second_reminder_days": (0, 30, "The second reminder", "days before the test"),
    "pifu_months": (0, 120, "The patient-initiated follow-up window", "months"),
    "checkin_months": (0, 24, "The symptom check-in interval", "months"),
}


def is_protocol_admin(user) -> bool:
    """Protocols are not patient records, so the policy table has no row for them: they are the
    service admins' (ADR 0027)."""
    return policy.is_service_admin(user)


def _require_admin(actor):
    if not is_protocol_admin(actor):
        raise PermissionDenied("Only a service admin can change follow-up protocols")


def current(protocol) -> ProtocolVersion | None:
    return protocol.versions.filter(status=VersionStatus.PUBLISHED).first()


def draft_of(protocol) -> ProtocolVersion | None:
    return protocol.versions.filter(status=VersionStatus.DRAFT).first()


def _draft(version) -> ProtocolVersion:
    version = ProtocolVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(f"Version {version.number} is {version.get_status_display().lower()}: make a draft")
    return version


@transaction.atomic
def make_draft(*, actor, protocol) -> ProtocolVersion:
    """The protocol's draft: the one already open, or a new copy of the published version."""
    _require_admin(actor)
    protocol = Protocol.objects.select_for_update().get(pk=protocol.pk)
    existing = draft_of(protocol)
    if existing is not None:
        return existing
    source = current(protocol)
    number = (protocol.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    copied = {name: getattr(source, name) for name in VERSION_FIELDS} if source else {}
    draft = ProtocolVersion.objects.create(protocol=protocol, number=number, status=VersionStatus.DRAFT, **copied)
    if source is not None:
        ProtocolStep.objects.bulk_create(
            ProtocolStep(version=draft, **{name: getattr(step, name) for name in STEP_FIELDS})
            for step in source.steps.all()
        )
    return draft


def _settings_errors(values) -> dict:
    errors = {}
    if values["anchor"] not in Anchor.values:
        errors["anchor"] = "Select what the protocol counts from: end of treatment, surgery or diagnosis"
    for name, (low, high, what, unit) in SETTING_RANGES.items():
        value = values[name]
        if value is None or value == "":
            errors[name] = f"Enter {what[0].lower()}{what[1:]} ({unit})"
        elif isinstance(value, bool) or not isinstance(value, int):
            errors[name] = f"{what} must be a whole number of {unit.split()[0]}"
        elif not low <= value <= high:
            errors[name] = f"{what} must be between {low} and {high} {unit}"
    first, second = values["first_reminder_days"], values["second_reminder_days"]
    # Compared only when both numbers are good: one message per field, the one that is wrong.
    if not {"first_reminder_days", "second_reminder_days"} & set(errors) and second and second >= first:
        errors["second_reminder_days"] = (
            f"The second reminder must be fewer days before the test than the first ({first}), or 0 for none"
        )
    return errors


@transaction.atomic
def save_settings(*, actor, version, **fields) -> ProtocolVersion:
    """Change a draft's settings (anchor, reminder lead days, PIFU window, check-in interval). Every
    bad value is named by its field and nothing is saved if any is bad; a field not given keeps
    the draft's value."""
    _require_admin(actor)
    unknown = set(fields) - set(VERSION_FIELDS)
    if unknown:
        raise TypeError(f"Not a protocol setting: {', '.join(sorted(unknown))}")
    version = _draft(version)
    values = {name: fields.get(name, getattr(version, name)) for name in VERSION_FIELDS}
    errors = _settings_errors(values)
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(version, name, value)
    version.save(update_fields=[*VERSION_FIELDS, "updated_at"])
    return version


@transaction.atomic
def save_step(*, actor, version, step=None, **fields) -> ProtocolStep:
    """Add a step to a draft (step None) or change one of its steps. Bad numbers are refused with
    the field named (negative interval, until before start) and the draft is left as it was."""
    _require_admin(actor)
    version = _draft(version)
    if step is None:
        step = ProtocolStep(version=version)
    elif step.version_id != version.pk:
        raise ValidationError("That step is not part of this draft")
    for name in STEP_FIELDS:
        if name in fields:
            setattr(step, name, fields[name])
    errors = {}
    for name in ("start_months", "every_months", "until_months"):
        if getattr(step, name) is None:
            errors[name] = f"Enter {name.replace('_months', '').replace('_', ' ')} (months)"
    if step.test_type_id is None:
        errors["test_type"] = "Select the test"
    if errors:
        raise ValidationError(errors)
    step.clean()  # negative or zero interval, until before start: named by field
    step.save()
    return step


@transaction.atomic
def remove_step(*, actor, version, step):
    _require_admin(actor)
    version = _draft(version)
    if step.version_id != version.pk:
        raise ValidationError("That step is not part of this draft")
    step.delete()


@transaction.atomic
def publish(*, actor, version) -> ProtocolVersion:
    """The draft becomes the published version; the one before it is retired. Pathways made from
    the old version keep it (and their tests)."""
    _require_admin(actor)
    version = _draft(version)
    if not version.steps.exists():
        raise ValidationError({"steps": "Add at least one test before publishing"})
    now = timezone.now()
    ProtocolVersion.objects.filter(protocol=version.protocol_id, status=VersionStatus.PUBLISHED).update(
        status=VersionStatus.RETIRED, updated_at=now
    )
    version.status, version.published_at, version.published_by = VersionStatus.PUBLISHED, now, actor
    version.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    return version
