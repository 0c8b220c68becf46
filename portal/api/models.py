"""Per-client API tokens. A token acts for one user, so the API sees exactly what that user
would see in the role they are using. Only a keyed hash of the token is stored: a copy of the
database (or a backup) is not a set of working credentials."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from portal.db import BaseModel
from portal.ui.presenters import format_date

PREFIX_LENGTH = 8  # 48 bits of the token: enough to find the row, far too little to guess the rest
# A token is a standing credential held by another system: it must be renewed, so a leaked copy or a
# forgotten integration stops working on its own (ADR 17).
DEFAULT_LIFETIME = timedelta(days=90)
MAX_LIFETIME = timedelta(days=365)


def default_expiry():
    return timezone.now() + DEFAULT_LIFETIME


def hash_token(raw: str, key: str | None = None) -> str:
    """HMAC-SHA256 of the raw token, keyed with SECRET_KEY (or an older key being rotated out)."""
    key = settings.SECRET_KEY if key is None else key
    return hmac.new(key.encode(), raw.encode(), hashlib.sha256).hexdigest()


class ApiToken(BaseModel):
    client_name = models.CharField(
        max_length=200, help_text="The system that will use this token, like 'Trust EPR integration'"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        help_text="The token acts as this user: it sees only what this user may see",
    )
    prefix = models.CharField(max_length=PREFIX_LENGTH, db_index=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(
        default=default_expiry, help_text="90 days from today unless you choose otherwise; at most 365 days"
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"
        constraints = [
            # The backstop for clean(): no row, however written, outlives the maximum.
            models.CheckConstraint(
                condition=models.Q(expires_at__lte=models.F("created_at") + MAX_LIFETIME),
                name="api_token_expires_within_a_year",
                violation_error_message="An API token can last at most 365 days",
            ),
        ]

    def __str__(self):
        return f"{self.client_name} ({self.prefix}…)"

    def clean(self):
        if self.expires_at is None:
            return  # the form already said the field is required
        now = timezone.now()
        if self._state.adding and self.expires_at <= now:
            raise ValidationError({"expires_at": "The expiry must be in the future"})
        # A new token counts from now; a change to an issued one from the day it was issued.
        latest = (self.created_at or now) + MAX_LIFETIME
        if self.expires_at > latest:
            raise ValidationError(
                {"expires_at": f"An API token can last at most 365 days: choose {format_date(latest)} or earlier"}
            )

    def set_new_token(self) -> str:
        """Give this token a fresh secret and return it: the only moment it exists in clear."""
        raw = secrets.token_urlsafe(32)
        self.prefix = raw[:PREFIX_LENGTH]
        self.token_hash = hash_token(raw)
        return raw

    def matches(self, raw: str) -> bool:
        # Constant-time comparison; older SECRET_KEYs still verify while they are being rotated out.
        keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        return any(hmac.compare_digest(self.token_hash, hash_token(raw, key)) for key in keys)

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"
