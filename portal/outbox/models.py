"""Notification rows: written in the same transaction as the change that causes them, so a message
is never lost or sent for a change that rolled back (ADR 0008)."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.access.kinds import RecordKind
from portal.access.querysets import PolicyQuerySet
from portal.db import BaseModel

# Template codes name files on disk, so they are restricted to a safe alphabet (no "/" or "..").
TEMPLATE_CODE_RE = r"^[a-z0-9_]+(\.[a-z0-9_]+)*$"


class NotificationQuerySet(PolicyQuerySet):
    """Notifications hold contact details: the patient's care team sees theirs; a service admin only
    those about no patient (portal.access.policy)."""

    kind = RecordKind.NOTIFICATION


class Notification(BaseModel):
    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "Text message"
        LETTER = "letter", "Letter"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    # Email address, mobile number, or postal address lines separated by newlines.
    recipient = models.CharField(max_length=500)
    patient = models.ForeignKey(
        "people.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    template = models.CharField(max_length=100, validators=[RegexValidator(TEMPLATE_CODE_RE)])
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    # Pending: when the next try is due. Sending: when the claim expires (worker presumed dead).
    next_attempt_at = models.DateTimeField(default=timezone.now)
    provider_reference = models.CharField(max_length=100, blank=True)
    # Short and built by us: an error class or provider status, never the message body or a secret.
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Callers derive it from the change ("hna-submitted:<id>:cns-email"), so a repeat writes nothing.
    idempotency_key = models.CharField(max_length=200, unique=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_status_next_idx"),
            # The sweep's query: small, because sent rows (nearly all of them) are not in it.
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="outbox_pending_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=["email", "sms", "letter"]), name="outbox_notification_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed"]),
                name="outbox_notification_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="outbox_notification_sent_has_sent_at",
            ),
        ]

    def __str__(self):
        return f"{self.template} by {self.channel} ({self.status})"
