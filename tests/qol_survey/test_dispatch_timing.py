"""Reminder and expiry timing (issue 12 item 4), with the clock frozen: the daily run on the day,
not the day before. A reminder offers a paper copy; an invitation expires at 12 weeks."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from portal.audit.models import Action, AuditEvent
from portal.outbox.models import Notification
from portal.people.models import Patient
from qol_survey.models import Invitation, InvitationSend, InvitationStatus, Purpose, QolLetter
from qol_survey.services import dispatch
from tests.qol_survey.dispatch_helpers import TODAY, due
from tests.qol_survey.factories import make_response

pytestmark = pytest.mark.django_db
days = datetime.timedelta


def daily_run_on(day: datetime.date) -> dict:
    """The beat's run at 07:30 on `day`: no date given, the service reads the clock."""
    at = datetime.datetime.combine(day, datetime.time(7, 30), tzinfo=timezone.get_default_timezone())
    with time_machine.travel(at, tick=False):
        assert timezone.localdate() == day
        return dispatch.run()


def invited(contact=Patient.Contact.EMAIL, **patient) -> Invitation:
    made = due(contact, **patient)
    daily_run_on(TODAY)
    return Invitation.objects.get(diagnosis=made)


def test_the_reminder_goes_on_day_21_not_day_20_and_once():
    invitation = invited(given_name="Ada")
    assert daily_run_on(TODAY + days(20))["reminded"] == 0
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.INVITED and invitation.reminded_on is None
    assert daily_run_on(TODAY + days(21))["reminded"] == 1
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REMINDED and invitation.reminded_on == TODAY + days(21)
    assert daily_run_on(TODAY + days(22))["reminded"] == 0
    [note] = Notification.objects.filter(template="qol_survey.reminder")
    assert note.idempotency_key == f"qol-reminder:{invitation.pk}"
    assert InvitationSend.objects.filter(invitation=invitation, purpose=Purpose.REMINDER).count() == 1
    assert AuditEvent.objects.filter(object_id=str(invitation.pk), action=Action.UPDATE).count() == 1


def test_the_reminder_message_offers_a_paper_copy_by_phone_and_keeps_the_links():
    from portal.outbox import rendering

    invitation = invited()
    daily_run_on(TODAY + days(21))
    note = Notification.objects.get(template="qol_survey.reminder")
    subject, body = rendering.render(note.template, note.channel, note.context)
    assert "paper copy" in body and invitation.team.phone in body
    assert note.context["secret_link"] in body and note.context["secret_opt_out_link"] in body
    assert f"{invitation.expires_on:%-d %B %Y}" in body and subject


def test_a_patient_who_prefers_post_gets_a_reminder_letter():
    invitation = invited(Patient.Contact.POST)
    daily_run_on(TODAY + days(21))
    assert set(QolLetter.objects.filter(invitation=invitation).values_list("kind", flat=True)) == {
        Purpose.INVITATION,
        Purpose.REMINDER,
    }


def test_who_has_answered_or_opted_out_is_not_reminded():
    answered, opted_out = invited(), invited()
    make_response(answered)
    Invitation.objects.filter(pk=opted_out.pk).update(status=InvitationStatus.OPTED_OUT)
    assert daily_run_on(TODAY + days(21))["reminded"] == 0
    assert not Notification.objects.filter(template="qol_survey.reminder").exists()


def test_a_run_missed_on_day_21_reminds_on_the_next_run():
    invitation = invited()
    assert daily_run_on(TODAY + days(25))["reminded"] == 1
    invitation.refresh_from_db()
    assert invitation.reminded_on == TODAY + days(25)


def test_an_open_invitation_expires_on_day_84_not_day_83():
    invitation = invited()
    daily_run_on(TODAY + days(21))
    assert daily_run_on(TODAY + days(83))["expired"] == 0
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REMINDED and invitation.closed_at is None
    assert daily_run_on(TODAY + days(84))["expired"] == 1
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.EXPIRED and invitation.closed_at is not None
    assert timezone.localtime(invitation.closed_at).date() == TODAY + days(84)
    assert daily_run_on(TODAY + days(85))["expired"] == 0


def test_an_answered_invitation_does_not_expire():
    invitation = invited()
    make_response(invitation)
    daily_run_on(TODAY + days(84))
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.RESPONDED


def test_an_invitation_never_reminded_is_not_reminded_once_expired():
    invitation = invited()
    done = daily_run_on(TODAY + days(90))  # dispatch stopped for weeks
    invitation.refresh_from_db()
    assert done["reminded"] == 0 and done["expired"] == 1
    assert invitation.status == InvitationStatus.EXPIRED
