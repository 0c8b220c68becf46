"""Dispatch (issue 12 item 4): one invitation per patient and diagnosis due, on the right team and
channel, sent once by email, SMS or a letter; a second run does nothing, and a run stopped half-way
is completed by the next."""

import datetime

import pytest
from django.conf import settings

from portal.audit.models import Action, AuditEvent
from portal.outbox.models import Notification
from portal.people.models import Patient
from qol_survey.models import Channel, Invitation, InvitationSend, InvitationStatus, Purpose, QolLetter
from qol_survey.services import dispatch, dispatch_send, tokens
from tests.factories import CareTeamFactory, DiagnosisFactory
from tests.qol_survey.dispatch_helpers import DUE, TODAY, crowd, due, tally

pytestmark = pytest.mark.django_db
days = datetime.timedelta


def test_every_diagnosis_due_gets_one_invitation_with_its_dates():
    made = due()
    DiagnosisFactory(patient=made.patient, icd10_code="C44.1", date_of_diagnosis=DUE)  # other skin cancer: not due
    due(diagnosed=DUE + days(1))  # 18 months tomorrow
    done = dispatch.run(TODAY)
    [invitation] = Invitation.objects.all()
    assert (invitation.patient, invitation.diagnosis) == (made.patient, made)
    assert invitation.status == InvitationStatus.INVITED
    assert invitation.invited_on == TODAY
    assert invitation.remind_on == TODAY + days(settings.QOL_REMINDER_DAYS)
    assert invitation.expires_on == TODAY + days(settings.QOL_EXPIRY_DAYS)
    assert invitation.serial > 0 and invitation.draft == {}
    assert done == {"invited": 1, "email": 1, "sms": 0, "post": 0, "reminded": 0, "expired": 0}


def test_a_patient_with_two_cancers_due_is_asked_about_each():
    first = due()
    second = DiagnosisFactory(
        patient=first.patient, tumour_site="colorectal", icd10_code="C18.7", date_of_diagnosis=DUE
    )
    dispatch.run(TODAY)
    assert set(Invitation.objects.values_list("diagnosis", flat=True)) == {first.pk, second.pk}
    assert len({inv.serial for inv in Invitation.objects.all()}) == 2


def test_the_team_is_the_one_for_the_diagnosis_site_else_the_lowest_id_else_none():
    breast, colorectal, prostate = (CareTeamFactory(tumour_site=site) for site in ("breast", "colorectal", "prostate"))
    matched = due(site="colorectal", code="C18.7", teams=[breast, colorectal])
    other = due(site="prostate", code="C61", teams=[breast, colorectal])
    alone = due(teams=[])
    dispatch.run(TODAY)
    team_of = dict(Invitation.objects.values_list("diagnosis", "team"))
    assert team_of[matched.pk] == colorectal.pk
    assert team_of[other.pk] == min(breast.pk, colorectal.pk)
    assert team_of[alone.pk] is None
    assert prostate.pk not in team_of.values()


@pytest.mark.parametrize(
    ("contact", "fields", "channel"),
    [
        (Patient.Contact.EMAIL, {}, Channel.EMAIL),
        (Patient.Contact.EMAIL, {"email": ""}, Channel.POST),
        (Patient.Contact.SMS, {}, Channel.SMS),
        (Patient.Contact.SMS, {"mobile": ""}, Channel.POST),
        (Patient.Contact.POST, {}, Channel.POST),
    ],
)
def test_the_channel_is_the_preference_when_we_hold_the_address_else_post(contact, fields, channel):
    made = due(contact, **fields)
    dispatch.run(TODAY)
    invitation = Invitation.objects.get(diagnosis=made)
    assert invitation.channel == channel
    assert InvitationSend.objects.get(invitation=invitation, purpose=Purpose.INVITATION).channel == channel


def test_email_and_sms_go_through_the_outbox_with_the_link_and_post_makes_a_letter():
    team = CareTeamFactory(tumour_site="breast", name="Breast care team", phone="0113 496 0301")
    by_email, by_sms, by_post = crowd(3, team)
    dispatch.run(TODAY)
    for made, channel, recipient in ((by_email, "email", by_email.patient.email), (by_sms, "sms", "07700 900123")):
        invitation = Invitation.objects.get(diagnosis=made)
        note = Notification.objects.get(idempotency_key=dispatch_send.key(invitation, Purpose.INVITATION))
        assert (note.channel, note.recipient, note.patient) == (channel, recipient, made.patient)
        assert note.template == "qol_survey.invitation"
        assert note.context["secret_link"] == settings.PORTAL_BASE_URL + tokens.link_path(invitation)
        assert note.context["secret_opt_out_link"] == settings.PORTAL_BASE_URL + tokens.opt_out_path(invitation)
        assert note.context["team"] == "Breast care team" and note.context["team_phone"] == "0113 496 0301"
    [letter] = QolLetter.objects.all()
    assert (letter.patient, letter.team, letter.kind) == (by_post.patient, team, Purpose.INVITATION)
    assert not Notification.objects.filter(patient=by_post.patient).exists()


def test_each_invitation_is_audited_as_made_by_the_system():
    made = due()
    dispatch.run(TODAY)
    invitation = Invitation.objects.get()
    event = AuditEvent.objects.get(object_id=str(invitation.pk))
    assert (event.action, event.patient, event.actor_label) == (Action.CREATE, made.patient, "system:qol-dispatch")


def test_running_twice_invites_and_sends_nothing_more():
    crowd(7)
    first = dispatch.run(TODAY, chunk=2)
    after_first = tally()
    second = dispatch.run(TODAY, chunk=2)
    assert first["invited"] == 7 and first["email"] + first["sms"] + first["post"] == 7
    assert second == {"invited": 0, "email": 0, "sms": 0, "post": 0, "reminded": 0, "expired": 0}
    assert tally() == after_first
    assert after_first["sends"] == after_first["invitations"] == 7
    assert after_first["notifications"] + after_first["letters"] == 7


def test_next_day_invites_only_the_newly_due():
    crowd(2)
    dispatch.run(TODAY)
    later = due(diagnosed=DUE + days(1))
    done = dispatch.run(TODAY + days(1))
    assert done["invited"] == 1
    assert Invitation.objects.get(diagnosis=later).invited_on == TODAY + days(1)


def test_invitations_a_run_made_but_never_sent_are_sent_by_the_next():
    crowd(3)
    assert dispatch.invite(TODAY) == 3  # the worker died after the insert
    assert tally()["sends"] == 0
    done = dispatch.run(TODAY)
    assert done["invited"] == 0 and done["email"] + done["sms"] + done["post"] == 3
    assert tally()["sends"] == 3


def test_a_run_stopped_mid_chunk_keeps_finished_chunks_and_the_next_run_completes_it(monkeypatch):
    crowd(9)
    real_tell, calls = dispatch_send.tell, []

    def dies_on_the_second_chunk(invitations, purpose, channels):
        calls.append(len(invitations))
        real_tell(invitations, purpose, channels)  # written, then the worker "dies" before commit
        if len(calls) == 2:
            raise SystemExit("killed")

    monkeypatch.setattr(dispatch_send, "tell", dies_on_the_second_chunk)
    with pytest.raises(SystemExit):
        dispatch.run(TODAY, chunk=3)
    assert tally()["invitations"] == 9
    assert tally()["sends"] == 3  # the first chunk only: the second rolled back with its messages
    assert tally()["notifications"] + tally()["letters"] == 3
    monkeypatch.setattr(dispatch_send, "tell", real_tell)
    done = dispatch.run(TODAY, chunk=3)
    assert done["email"] + done["sms"] + done["post"] == 6
    after = tally()
    assert after["sends"] == after["notifications"] + after["letters"] == 9
    assert after["audit"] == 9  # each invitation audited once


def test_an_address_removed_after_the_invitation_was_made_sends_a_letter():
    made = due(Patient.Contact.EMAIL)
    dispatch.invite(TODAY)
    Patient.objects.filter(pk=made.patient.pk).update(email="")
    done = dispatch.run(TODAY)
    assert done["post"] == 1 and QolLetter.objects.filter(patient=made.patient).exists()
