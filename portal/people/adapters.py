from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied

from portal.access.client_ip import client_ip


class AccountAdapter(DefaultAccountAdapter):
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
