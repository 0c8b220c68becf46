"""Who must use two-factor authentication: every staff user, before any patient data is shown."""

from allauth.mfa.models import Authenticator

from portal.people.models import RoleAssignment


def is_staff_user(user) -> bool:
    """Staff = Django admin access or at least one role assignment. Patients have neither."""
    return user.is_staff or RoleAssignment.objects.filter(user=user).exists()


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def must_set_up_totp(user) -> bool:
    """True for a signed-in staff user who has no authenticator app yet."""
    return user.is_authenticated and not has_totp(user) and is_staff_user(user)
