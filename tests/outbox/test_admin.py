"""The notification admin is read-only, never shows the context, and can retry failed rows. Which rows
it lists is the policy table's (tests/access/test_admin_policy.py): a service admin sees notifications
about no patient, as these are."""

import pytest

from portal.outbox import services
from portal.outbox.models import Notification
from portal.people.models import Role
from tests.factories import RoleAssignmentFactory, TrustFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, settings):
    settings.MFA_WAIVED = True
    user = UserFactory(is_staff=True, is_superuser=True)
    RoleAssignmentFactory(user=user, role=Role.SERVICE_ADMIN, organisation=TrustFactory())
    client.force_login(user)
    return client


def test_list_and_detail_are_read_only_and_hide_the_context(admin_client, queue):
    notification = queue(context={"name": "Ada", "passcode": "ZX81-SPECTRUM"})
    listing = admin_client.get("/admin/outbox/notification/?status__exact=pending&channel__exact=email")
    assert listing.status_code == 200
    assert "platform.test" in listing.content.decode()
    detail = admin_client.get(f"/admin/outbox/notification/{notification.pk}/change/")
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "ZX81-SPECTRUM" not in html
    assert 'name="_save"' not in html
    assert admin_client.get("/admin/outbox/notification/add/").status_code == 403


def test_retry_now_action_requeues_failed_rows(admin_client, queue, enqueued):
    notification = queue(channel="sms", recipient="07700900123")
    services.send(notification.pk)
    assert Notification.objects.get().status == "failed"
    response = admin_client.post(
        "/admin/outbox/notification/",
        {"action": "retry_now", "_selected_action": [str(notification.pk)]},
        follow=True,
    )
    assert "1 notification(s) queued to send again." in response.content.decode()
    assert Notification.objects.get().status == "pending"
