"""What people do with API tokens besides using them: list their own, and revoke one.

A token belongs to the user it acts for. That user may see and revoke their own tokens (from
"Your API tokens"); a service admin may revoke anyone's (from the Django admin). Nobody else
learns that a token exists: another user's token is a 404, as if there were none."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from portal.api.models import ApiToken

ADMIN_PERMISSION = "api.change_apitoken"


def own_tokens(user):
    """The user's own tokens, newest first: revoked and expired ones too, so they can tell them apart."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "id")


def find_own_token(user, token_id) -> ApiToken:
    """One of the user's own tokens by its id; anyone else's (or none, or a malformed id) is a 404."""
    try:
        pk = uuid.UUID(str(token_id))
    except ValueError:
        raise Http404("No such API token") from None
    token = own_tokens(user).filter(pk=pk).first()
    if token is None:
        raise Http404("No such API token")
    return token


def may_revoke(actor, token: ApiToken) -> bool:
    return actor.is_authenticated and (token.user_id == actor.pk or actor.has_perm(ADMIN_PERMISSION))


def revoke(token: ApiToken, *, actor) -> bool:
    """Revoke the token at once (its next request is a 401). Only its owner or a service admin may.
    Returns False if it was already revoked: revoking twice keeps the first time."""
    if not may_revoke(actor, token):
        raise PermissionDenied("Only the token's own user or a service admin can revoke it")
    with transaction.atomic():
        # Compare-and-set, so two clicks (or the owner and an admin at once) record one revocation.
        now = timezone.now()
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now, updated_at=now)
    if changed:
        token.revoked_at = now
    return bool(changed)
