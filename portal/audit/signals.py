"""Sign-ins and failed sign-ins go to the access log too."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from portal.audit.models import Action
from portal.audit.services import record


@receiver(user_logged_in)
def on_sign_in(sender, request, user, **kwargs):
    record(Action.SIGN_IN, request=request, actor=user)


@receiver(user_login_failed)
def on_failed_sign_in(sender, credentials, request=None, **kwargs):
    # Only the address tried, never the password (Django already masks it in `credentials`).
    tried = str(credentials.get("email") or credentials.get("username") or "")[:254]
    record(Action.FAILED_SIGN_IN, request=request, label=f"anonymous ({tried})" if tried else "anonymous")
