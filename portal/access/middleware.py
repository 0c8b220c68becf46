"""Sign-in hardening on every request: the absolute session limit, and MFA for staff."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage import default_storage
from django.shortcuts import redirect

from portal.access.limits import absolute_limit_passed, signed_out_message, touch
from portal.access.mfa import must_set_up_totp
from portal.access.remembered import remembered


class SessionLimitsMiddleware:
    """Signs a user out once they have been signed in for SESSION_ABSOLUTE_SECONDS, and renews the
    idle limit of a live session at most once a minute (portal.access.limits.touch)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and absolute_limit_passed(request.session):
            logout(request)  # flushes the session: its qsessions row goes too
            response = redirect_to_login(request.get_full_path())
            # MessageMiddleware sits further in and never sees this request, so the
            # message is stored here (in a cookie: the session was just emptied).
            storage = default_storage(request)
            storage.add(messages.INFO, signed_out_message())
            storage.update(response)
            return response
        touch(request.session)
        return self.get_response(request)


# Pages a staff user without an authenticator app may still open: setting one up (with the
# password check allauth asks for first), their recovery codes, and signing out. The
# two-factor overview is where allauth sends someone it will not let set up an app (an
# unverified email address) with the reason: without it they would loop back to activation.
MFA_SETUP_VIEWS = frozenset(
    {
        "mfa_activate_totp",
        "mfa_index",
        "account_reauthenticate",
        "account_logout",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
    }
)
OPEN_PATH_PREFIXES = ("/static/", "/assets/")
OPEN_PATHS = frozenset({"/health"})


class RequireStaffMFAMiddleware:
    """A signed-in staff user with no TOTP authenticator is sent to set one up, from any page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if settings.MFA_WAIVED or not request.user.is_authenticated:
            return None
        path = request.path_info
        if path in OPEN_PATHS or path.startswith(OPEN_PATH_PREFIXES):
            return None
        if request.resolver_match.view_name in MFA_SETUP_VIEWS:
            return None
        # Held in the session until an authenticator or a role changes (ADR 0056).
        if remembered(request, "must_set_up_totp", lambda: must_set_up_totp(request.user)):
            return redirect("mfa_activate_totp")
        return None
