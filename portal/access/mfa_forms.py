"""allauth.mfa's code forms with NHS.UK error messages: an empty code says what to enter, not
"This field is required." (ADR 0024). The wrong-code message is MFAAdapter's."""

from allauth.mfa.base import forms as base_forms
from allauth.mfa.totp import forms as totp_forms

ENTER_SECURITY_CODE = "Enter the 6-digit code from your authenticator app, or a recovery code"
ENTER_APP_CODE = "Enter the 6-digit code your authenticator app shows"


class _CodeMessage:
    required_message = ENTER_SECURITY_CODE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["required"] = self.required_message


class AuthenticateForm(_CodeMessage, base_forms.AuthenticateForm):
    """The code step of signing in."""


class ReauthenticateForm(_CodeMessage, base_forms.ReauthenticateForm):
    """The code check before a change to how someone signs in."""


class ActivateTOTPForm(_CodeMessage, totp_forms.ActivateTOTPForm):
    """Setting up an authenticator app: the code proves it was added."""

    required_message = ENTER_APP_CODE
