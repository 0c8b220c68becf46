"""Notifier backends. GOV.UK Notify is outside: only its client class is mocked, never called."""

from unittest import mock

import pytest
from notifications_python_client.errors import HTTPError

from portal.outbox import notifiers, services
from portal.outbox.models import Notification
from portal.outbox.notifiers import EmailNotifier, NotifyNotifier, get_notifier
from portal.outbox.rendering import render

pytestmark = pytest.mark.django_db

TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


@pytest.fixture
def notify(settings):
    settings.NOTIFY_API_KEY = "test-key"
    settings.NOTIFY_TEMPLATE_IDS = {"platform.test": TEMPLATE_ID}
    with mock.patch.object(notifiers, "NotificationsAPIClient") as client_class:
        client = client_class.return_value
        for method in ("send_email_notification", "send_sms_notification", "send_letter_notification"):
            getattr(client, method).return_value = {"id": "notify-ref-1"}
        yield client_class


def notify_error(status, error="BadRequestError", message="Missing personalisation: name"):
    response = mock.Mock(status_code=status)
    response.json.return_value = {"status_code": status, "errors": [{"error": error, "message": message}]}
    return HTTPError(response)


def test_get_notifier_follows_the_notify_key(settings):
    settings.NOTIFY_API_KEY = ""
    assert isinstance(get_notifier(), EmailNotifier)
    settings.NOTIFY_API_KEY = "test-key"
    with mock.patch.object(notifiers, "NotificationsAPIClient"):
        assert isinstance(get_notifier(), NotifyNotifier)


def test_notify_email_gets_the_template_id_context_and_our_reference(queue, notify, mailoutbox):
    notification = queue()
    services.send(notification.pk)
    notify.assert_called_once_with("test-key")
    notify.return_value.send_email_notification.assert_called_once_with(
        email_address="ada@example.com",
        template_id=TEMPLATE_ID,
        personalisation={"name": "Ada"},
        reference=str(notification.pk),
    )
    row = Notification.objects.get()
    assert (row.status, row.provider_reference) == ("sent", "notify-ref-1")
    assert mailoutbox == []


def test_notify_sms_takes_a_template_id_from_the_context(queue, notify):
    context = {"name": "Ada", "notify_template_id": "sms-template"}
    notification = queue(channel="sms", recipient="07700900123", context=context)
    services.send(notification.pk)
    notify.return_value.send_sms_notification.assert_called_once_with(
        phone_number="07700900123",
        template_id="sms-template",
        personalisation={"name": "Ada"},
        reference=str(notification.pk),
    )
    assert Notification.objects.get().status == "sent"


def test_notify_letter_sends_the_address_as_lines(queue, notify):
    notification = queue(channel="letter", recipient="Ada Lovelace\n1 High Street\n\nLeeds\nLS1 4AP\n")
    services.send(notification.pk)
    notify.return_value.send_letter_notification.assert_called_once_with(
        template_id=TEMPLATE_ID,
        personalisation={
            "name": "Ada",
            "address_line_1": "Ada Lovelace",
            "address_line_2": "1 High Street",
            "address_line_3": "Leeds",
            "address_line_4": "LS1 4AP",
        },
        reference=str(notification.pk),
    )


def test_a_template_with_no_notify_id_fails(queue, notify, settings):
    settings.NOTIFY_TEMPLATE_IDS = {}
    notification = queue()
    services.send(notification.pk)
    row = Notification.objects.get()
    assert (row.status, row.last_error) == ("failed", "no Notify template id for platform.test")
    notify.return_value.send_email_notification.assert_not_called()


def test_notify_rejecting_the_request_fails_and_keeps_no_message_text(queue, notify):
    notify.return_value.send_email_notification.side_effect = notify_error(400)
    notification = queue()
    services.send(notification.pk)
    row = Notification.objects.get()
    assert (row.status, row.last_error) == ("failed", "Notify HTTP 400 BadRequestError")


@pytest.mark.parametrize("status", [429, 500, 503])
def test_notify_busy_or_down_is_retried(queue, notify, status):
    notify.return_value.send_email_notification.side_effect = notify_error(status, "Error", "try later")
    notification = queue()
    services.send(notification.pk)
    row = Notification.objects.get()
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, f"Notify HTTP {status} Error")


def test_rendering_is_plain_text_not_html():
    subject, body = render("platform.test", "email", {"name": "Ada & <Bob>"})
    assert subject == "Test message"
    assert "Dear Ada & <Bob>," in body
    assert render("platform.test", "sms", {"name": "Ada"})[0] == ""
