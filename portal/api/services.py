"""What the API does to the record, beyond reading: each operation checks the actor's role,
runs in one transaction and writes the audit log."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from rest_framework.exceptions import ValidationError

from portal.access import policy
from portal.access.kinds import RecordKind
from portal.api.serializers import DUPLICATE_NHS_NUMBER, nhs_number_taken
from portal.audit.models import Action
from portal.audit.services import record
from portal.people.models import Patient


def can_create_patients(user) -> bool:
    """Only care-team staff (CNS, support worker, clinician) add patients: a new patient joins
    the creator's team, and GP, admin and auditor roles have no team to add them to."""
    return policy.care_team_of(user, RecordKind.PATIENT, "change") is not None


def create_patient(*, request, fields: dict) -> Patient:
    """Create an already-validated patient in the creator's care team, and audit it."""
    actor = request.user
    if not can_create_patients(actor):
        raise PermissionDenied("Only care-team staff can add patients")
    try:
        with transaction.atomic():
            patient = Patient.objects.create(**fields)  # unscoped-ok: creating, not reading
            patient.care_teams.add(policy.care_team_of(actor, RecordKind.PATIENT, "change"))
            record(Action.CREATE, request=request, patient=patient, obj=patient)
    except IntegrityError:
        # Two clients added the same NHS number at once; the unique index caught the second.
        if nhs_number_taken(fields.get("nhs_number")):
            raise ValidationError({"nhs_number": [DUPLICATE_NHS_NUMBER]}) from None
        raise
    return patient
