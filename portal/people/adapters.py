from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY, get_authentication_records
from django.core.exceptions import PermissionDenied

from portal.access.client_ip import client_ip
from portal.access.mfa import must_set_up_totp

LOGGED_IN_MESSAGE = "account/messages/logged_in.txt"


class AccountAdapter(DefaultAccountAdapter):
    # allauth's wording, in NHS.UK style: say what is wrong and what to do (ADR 0024). One message
    # still covers a wrong password, an unknown email address and a disabled account (ADR 0004).
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "The email address or password is not right. Check them and try again.",
        "incorrect_password": "The password is not right. Check it and try again.",
        "too_many_login_attempts": "You have tried to sign in too many times. Wait 5 minutes and try again.",
    }

    def is_open_for_signup(self, request):
        # Staff accounts are created by service admins. Patient self-sign-up comes with the
        # HNA issue, where a passcode + date of birth check links the account to a record.
        return False

    def authenticate(self, request, **credentials):
        # allauth sends a right password on a disabled account to /accounts/inactive/, which
        # tells an attacker the password was right. Treat it as any other failed sign-in.
        user = super().authenticate(request, **credentials)
        return user if user is not None and user.is_active else None

    def get_client_ip(self, request):
        # The access log's rule (portal/access/client_ip.py), so a throttle counts the address the
        # log records. Like allauth's own, refuse a request whose address is unknown.
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def post_login(self, request, user, **kwargs):
        if must_set_up_totp(user):
            count_sign_in_as_reauthentication(request, user)
        return super().post_login(request, user, **kwargs)

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="", message=None):
        # A member of staff without an authenticator app is not in yet: they go straight on to
        # set one up, and that page says why. "Successfully signed in" there would say otherwise.
        user = (message_context or {}).get("user")
        if message_template == LOGGED_IN_MESSAGE and user is not None and must_set_up_totp(user):
            return
        super().add_message(request, level, message_template, message_context, extra_tags, message)


def count_sign_in_as_reauthentication(request, user) -> None:
    """The password a member of staff has just signed in with also counts as allauth's password
    check before setting up an authenticator app (for allauth's 5 minutes, like a check made on
    its own page), so their first sign-in does not ask for it twice in a row (ADR 0024).

    Only a sign-in made with a password in this request counts: the last authentication record
    in the session is that password, not yet marked as a reauthentication."""
    records = get_authentication_records(request, user)
    if records and records[-1].get("method") == "password" and not records[-1].get("reauthenticated"):
        records[-1] = {**records[-1], "reauthenticated": True}
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records
