"""Per-client API tokens. A token acts for one user, so the API sees exactly what that user
would see in the role they are using. Only a keyed hash of the token is stored: a copy of the
database (or a backup) is not a set of working credentials."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from portal.db import BaseModel

PREFIX_LENGTH = 8  # 48 bits of the token: enough to find the row, far too little to guess the rest


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
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Leave empty for no expiry")
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.client_name} ({self.prefix}…)"

    def clean(self):
        if self._state.adding and self.expires_at and self.expires_at <= timezone.now():
            raise ValidationError({"expires_at": "The expiry must be in the future"})

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
        if self.expires_at and self.expires_at <= timezone.now():
            return "expired"
        return "active"
