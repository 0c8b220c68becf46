from allauth.mfa.adapter import DefaultMFAAdapter

from portal.access.mfa import is_staff_user


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": "The code is not correct. Enter the code your authenticator app shows now",
        "cannot_delete_authenticator": (
            "You cannot turn off two-factor authentication. If you have lost your phone, "
            "contact your service administrator"
        ),
    }

    def can_delete_authenticator(self, authenticator):
        # Staff must keep two-factor authentication; a service admin resets a lost device.
        return not is_staff_user(authenticator.user)
