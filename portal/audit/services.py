"""The Auditor: the one way to write the access log. Views call `audit_view(request, ...)`
for every page or API response that shows patient data; services pass `actor=`; Celery jobs
use a named system actor."""

import uuid
from collections.abc import Iterable

from django.utils import timezone

from portal.access.client_ip import client_ip
from portal.audit.models import Action, AuditEvent
from portal.bulk import insert_rows


def _client_ip(request) -> str | None:
    # The rate limits' rule: X-Forwarded-For only as far as TRUSTED_PROXY_COUNT proxies vouch for it.
    return client_ip(request)


def _object_ref(obj) -> tuple[str, str]:
    """("app.model", id) of a record; a (label, id) pair is taken as it is (a job's rows read as values)."""
    if obj is None:
        return "", ""
    if isinstance(obj, tuple):
        return obj[0], str(obj[1])
    return obj._meta.label_lower, str(obj.pk)


def who(request=None, actor=None, system_actor: str | None = None) -> dict:
    """Who, when and where, for events about to be written (one dict for a whole batch)."""
    user = actor if actor is not None else getattr(request, "user", None)
    fields = {"occurred_at": timezone.now()}
    if user is not None and user.is_authenticated:
        role = getattr(request, "role", None) if request is not None else None
        if role is None:
            from portal.people.roles import role_in_use

            role = role_in_use(user)
        fields.update(
            actor=user,
            actor_label=user.email,
            role=role.role if role else ("patient" if hasattr(user, "patient") else ""),
            organisation_id=role.organisation_id if role else None,
        )
    else:
        fields["actor_label"] = f"system:{system_actor}" if system_actor else "anonymous"
    if request is not None:
        fields.update(ip_address=_client_ip(request), request_id=getattr(request, "request_id", ""))
    return fields


def record(action: str, *, request=None, actor=None, system_actor=None, patient=None, obj=None, label="") -> AuditEvent:
    """Write one event. `label` names the actor when there is no user (a failed sign-in's email)."""
    fields = who(request, actor, system_actor)
    if label and "actor" not in fields:
        fields["actor_label"] = label
    object_type, object_id = _object_ref(obj if obj is not None else patient)
    _note_patients(request, [patient])
    return AuditEvent.objects.create(
        action=action, patient=patient, object_type=object_type, object_id=object_id, **fields
    )


def _note_patients(request, patients) -> None:
    """Remember whose records this request showed: a staff page about exactly one patient carries
    that patient's communication needs and carer banner (portal.people.banner), with no page of any
    app having to ask for it, and at no cost in queries when the Patient row is already loaded."""
    if request is None:
        return
    noted = request.__dict__.setdefault("patients_shown", {})
    for patient in patients:
        if patient is None:
            continue
        pk = getattr(patient, "pk", None)
        if pk is None:
            noted.setdefault(patient, None)  # an id only: the banner loads the row
        else:
            noted[pk] = patient  # the loaded row: the banner needs no query


def audit_view(request, patient, obj=None) -> AuditEvent:
    """A page or API response showed this patient's record (or `obj`, part of it)."""
    return record(Action.VIEW, request=request, patient=patient, obj=obj)


def record_many(action: str, items: Iterable[tuple], *, request=None, actor=None, who_fields=None) -> None:
    """Several events in one insert, all with the same who/when/where (`who_fields`, from `who()`, so a
    long export's pages share it). `items` are (patient, obj) pairs; obj None means the patient record.
    No model instance per event (portal.bulk): a list page's rows cost the database's work only."""
    base = dict(who_fields if who_fields is not None else who(request, actor))
    if "actor" in base:
        actor_user = base.pop("actor")
        base["actor_id"] = actor_user.pk if actor_user is not None else None
    rows, shown = [], []
    for patient, obj in items:
        shown.append(patient)
        object_type, object_id = _object_ref(obj if obj is not None else patient)
        patient_id = patient if isinstance(patient, uuid.UUID) or patient is None else patient.pk
        rows.append((uuid.uuid4(), patient_id, object_type, object_id))
    _note_patients(request, shown)
    fields = {"role": "", "request_id": "", **base, "action": action, "seq": 0, "prev_hash": "", "hash": ""}
    insert_rows(AuditEvent, ["id", "patient", "object_type", "object_id"], rows, same=fields)


def audit_view_many(request, items: Iterable[tuple]) -> None:
    """A list showed several patients: one event each, written in one query."""
    record_many(Action.VIEW, items, request=request)
