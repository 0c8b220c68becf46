"""The access log: one append-only row for every read and write of patient data.

A database trigger (migration 0002) refuses UPDATE and DELETE, the app's database role may only
INSERT and SELECT (portal/audit/roles.py), and each row is hash-chained to the one before it
(migration 0003; `manage.py audit_verify` checks the chain). ADR 0016. Features never read this
table; only the auditor page does."""

import uuid

from django.conf import settings
from django.db import models

from portal.access.kinds import RecordKind
from portal.access.querysets import PolicyQuerySet


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported"
    PRINT = "print", "Printed"
    SIGN_IN = "sign_in", "Signed in"
    FAILED_SIGN_IN = "failed_sign_in", "Failed sign-in"


class ReturnedBigIntegerField(models.BigIntegerField):
    """Set by a database trigger on insert; read back with INSERT ... RETURNING."""

    db_returning = True


class ReturnedCharField(models.CharField):
    """Set by a database trigger on insert; read back with INSERT ... RETURNING."""

    db_returning = True


class AuditEventQuerySet(PolicyQuerySet):
    """The access log is read by auditors only (portal.access.policy)."""

    kind = RecordKind.AUDIT_EVENT


class AuditEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    occurred_at = models.DateTimeField(db_index=True)  # UTC, set by the Auditor
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The user's email, or a named system actor ("system:outbox") for Celery jobs.
    actor_label = models.CharField(max_length=254)
    role = models.CharField(max_length=30, blank=True)
    organisation = models.ForeignKey(
        "people.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    patient = models.ForeignKey("people.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    # The hash chain: the database's BEFORE INSERT trigger sets all three, overwriting whatever is
    # sent (the placeholders below); db_returning reads the real values back in the same INSERT.
    # Not db_default: a DEFAULT expression in the VALUES stops PostgreSQL bulk inserts using UNNEST,
    # which made every list page's audit insert (50 rows) cost ~10 ms more to build (tests/bench).
    seq = ReturnedBigIntegerField(unique=True, editable=False, default=0)
    prev_hash = ReturnedCharField(max_length=64, editable=False, default="")
    hash = ReturnedCharField(max_length=64, editable=False, default="")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["patient", "-occurred_at"], name="audit_patient_time"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_time"),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"
