"""`Authorization: Bearer <token>` for API clients. The request then acts as the token's user,
so scoping and the role in use are exactly that user's. Tokens never appear in logs or errors."""

import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from portal.access.mfa import must_set_up_totp
from portal.api.models import PREFIX_LENGTH, ApiToken
from portal.people.roles import role_in_use

KEYWORD = b"bearer"
TOKEN_SHAPE = re.compile(rb"[A-Za-z0-9_-]{%d,200}" % PREFIX_LENGTH)  # ours are 43 characters
# Writing last_used_at on every call would turn each read into a write; a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)
NO_MFA = (
    "The account this API token acts for has no authenticator app set up. Staff API tokens work only "
    "once their user has set up two-factor authentication by signing in to the portal"
)


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None  # not ours: let session authentication try
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Give the API token after 'Bearer', with no spaces in it")
        token = self._find(parts[1])
        if token is None:
            raise exceptions.AuthenticationFailed("The API token is not valid")
        if token.status == "revoked":
            raise exceptions.AuthenticationFailed("The API token has been revoked")
        if token.status == "expired":
            raise exceptions.AuthenticationFailed("The API token has expired")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("The account this API token acts for is not active")
        # A staff token reaches what the staff page would, and those pages need MFA (ADR 7): a token
        # must not be the way round it for someone who never set it up (ADR 17).
        if not settings.MFA_WAIVED and must_set_up_totp(token.user):
            raise exceptions.AuthenticationFailed(NO_MFA)
        self._touch(token)
        # RoleInUseMiddleware ran before authentication saw an anonymous user; put the token user's
        # role on the request so every reader of request.role agrees with scoping.
        request._request.role = role_in_use(token.user)
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to requests with no credentials.
        return 'Bearer realm="api"'

    @staticmethod
    def _find(value: bytes) -> ApiToken | None:
        # Only the URL-safe base64 alphabet can be ours; checking first keeps odd bytes (NUL,
        # non-ASCII) away from the database driver.
        if not TOKEN_SHAPE.fullmatch(value):
            return None
        raw = value.decode()
        candidates = ApiToken.objects.filter(prefix=raw[:PREFIX_LENGTH]).select_related("user")
        return next((t for t in candidates if t.matches(raw)), None)

    @staticmethod
    def _touch(token: ApiToken) -> None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Tells drf-spectacular how our authentication appears in the OpenAPI schema."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A per-client token issued by a service admin in the Django admin",
        }
