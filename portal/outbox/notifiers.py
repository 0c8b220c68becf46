"""Notifier backends: Django email (console in development, SMTP) and GOV.UK Notify (production).

A backend sends one Notification and returns the provider's reference, or raises TemporaryFailure
(try again later) or PermanentFailure (trying again cannot help). Reasons are short texts of ours:
they end up in Notification.last_error, so they never carry the message body or a secret."""

import smtplib
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from jinja2 import UndefinedError
from notifications_python_client import NotificationsAPIClient
from notifications_python_client.errors import APIError

from portal.outbox import rendering
from portal.outbox.models import Notification

NOTIFY_TEMPLATE_ID_KEY = "notify_template_id"
NOTIFY_ADDRESS_LINES = 7


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


def get_notifier():
    """GOV.UK Notify when its API key is configured, otherwise Django's email backend."""
    if settings.NOTIFY_API_KEY:
        return NotifyNotifier(settings.NOTIFY_API_KEY)
    return EmailNotifier()


class EmailNotifier:
    """Email only. There is no SMS gateway or print room behind Django's email backend, so SMS and
    letters fail at once with a clear reason rather than retrying for hours (ADR 0008)."""

    def send(self, notification):
        channel = notification.channel
        if channel == Notification.Channel.SMS:
            raise PermanentFailure("no SMS provider configured")
        if channel == Notification.Channel.LETTER:
            raise PermanentFailure("no letter provider configured")
        try:
            subject, body = rendering.render(notification.template, channel, notification.context)
        except rendering.TemplateMissing as exc:
            raise PermanentFailure(str(exc)) from None
        except UndefinedError:
            raise PermanentFailure(f"template {notification.template} needs a value the context lacks") from None
        # Our own Message-ID, so the row records which email it became.
        domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or None
        message_id = make_msgid(domain=domain)
        message = EmailMessage(
            subject, body, settings.DEFAULT_FROM_EMAIL, [notification.recipient], headers={"Message-ID": message_id}
        )
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused:
            raise PermanentFailure("recipient refused by the mail server") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(f"mail server error: {type(exc).__name__}") from None
        return message_id


class NotifyNotifier:
    """GOV.UK Notify: the wording lives in Notify templates; our context is their personalisation.
    The Notify template id comes from context["notify_template_id"] or settings.NOTIFY_TEMPLATE_IDS."""

    def __init__(self, api_key):
        self.client = NotificationsAPIClient(api_key)

    def send(self, notification):
        context = dict(notification.context)
        template_id = context.pop(NOTIFY_TEMPLATE_ID_KEY, None) or getattr(settings, "NOTIFY_TEMPLATE_IDS", {}).get(
            notification.template
        )
        if not template_id:
            raise PermanentFailure(f"no Notify template id for {notification.template}")
        reference = str(notification.id)  # lets Notify's dashboard be searched for this row
        try:
            response = self._send(notification, template_id, context, reference)
        except APIError as exc:
            raise _notify_failure(exc) from None
        return response["id"]

    def _send(self, notification, template_id, personalisation, reference):
        channel = notification.channel
        if channel == Notification.Channel.EMAIL:
            return self.client.send_email_notification(
                email_address=notification.recipient,
                template_id=template_id,
                personalisation=personalisation,
                reference=reference,
            )
        if channel == Notification.Channel.SMS:
            return self.client.send_sms_notification(
                phone_number=notification.recipient,
                template_id=template_id,
                personalisation=personalisation,
                reference=reference,
            )
        lines = [line.strip() for line in notification.recipient.splitlines() if line.strip()]
        if len(lines) > NOTIFY_ADDRESS_LINES:
            raise PermanentFailure(f"postal address has more than {NOTIFY_ADDRESS_LINES} lines")
        address = {f"address_line_{n}": line for n, line in enumerate(lines, start=1)}
        return self.client.send_letter_notification(
            template_id=template_id, personalisation={**personalisation, **address}, reference=reference
        )


def _notify_failure(exc):
    # Notify's status codes: 429 (rate limit) and 5xx (including "no response", which the client
    # reports as 503) may pass; any other 4xx is our request being wrong, and a retry cannot fix it.
    # Only Notify's error class names are kept: their messages may quote what we sent.
    status = exc.status_code
    kinds = sorted({e.get("error", "") for e in _errors(exc)} - {""})
    reason = f"Notify HTTP {status}" + (f" {', '.join(kinds)}" if kinds else "")
    if status == 429 or status >= 500:
        return TemporaryFailure(reason[:300])
    return PermanentFailure(reason[:300])


def _errors(exc):
    try:
        errors = exc.response.json().get("errors", [])
    except (AttributeError, TypeError, ValueError):
        return []
    return [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []
