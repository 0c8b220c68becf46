"""Opting out: from the link in a message, from a letter's code, or from any survey page; the date of
birth first, then a confirm page; the patient asked no more and the invitation closed; audited."""

import datetime

import pytest
from django.utils import timezone

from portal.audit.models import Action, AuditEvent
from qol_survey.models import InvitationStatus
from qol_survey.services import tokens
from tests.qol_survey.factories import make_invitation, make_response
from tests.qol_survey.test_answer import dob_form, sign_in

pytestmark = pytest.mark.django_db


def invitation_for(cast, **fields):
    fields.setdefault("invited_on", timezone.localdate() - datetime.timedelta(days=7))
    return make_invitation(patient=cast.patient, team=cast.team_a, **fields)


def confirm(client):
    page = client.get("/quality-of-life/opt-out/confirm/")
    assert "Are you sure you want to stop getting this survey?" in page.content.decode()
    done = client.post("/quality-of-life/opt-out/confirm/")
    assert done["Location"] == "/quality-of-life/opt-out/done/"
    return client.get(done["Location"]).content.decode()


def test_the_link_in_a_message_asks_the_date_of_birth_then_confirms(client, cast):
    invitation = invitation_for(cast)
    asked = client.get(tokens.opt_out_path(invitation)).content.decode()
    assert "Stop getting this survey" in asked and "Date of birth" in asked
    moved = client.post(tokens.opt_out_path(invitation), dob_form(cast.patient.date_of_birth))
    assert moved["Location"] == "/quality-of-life/opt-out/confirm/"
    assert "You will not get this survey again" in confirm(client)
    invitation.refresh_from_db()
    cast.patient.refresh_from_db()
    assert cast.patient.survey_opt_out and invitation.status == InvitationStatus.OPTED_OUT
    assert invitation.closed_at is not None
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(invitation.pk)).exists()
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(cast.patient.pk)).exists()


def test_a_letter_code_opts_out_too(client, cast):
    invitation = invitation_for(cast, channel="post")
    data = dob_form(cast.patient.date_of_birth, code=tokens.short_code(invitation))
    assert client.post(tokens.OPT_OUT_PATH, data)["Location"] == "/quality-of-life/opt-out/confirm/"
    confirm(client)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.OPTED_OUT


def test_a_wrong_date_of_birth_opts_no_one_out(client, cast):
    invitation = invitation_for(cast)
    page = client.post(tokens.opt_out_path(invitation), dob_form(datetime.date(1990, 1, 1)))
    assert "The link or date of birth is not right" in page.content.decode()
    assert client.post("/quality-of-life/opt-out/confirm/")["Location"] == "/quality-of-life/opt-out/"
    cast.patient.refresh_from_db()
    assert not cast.patient.survey_opt_out


def test_every_survey_page_links_to_opting_out(client, cast):
    invitation = invitation_for(cast)
    sign_in(client, invitation)
    for url in ("/quality-of-life/answer/", "/quality-of-life/answer/1/", "/quality-of-life/answer/check/"):
        assert 'href="/quality-of-life/opt-out/confirm/"' in client.get(url).content.decode(), url
    # From a survey page there is no second date of birth to give
    assert client.get(tokens.opt_out_path(invitation))["Location"] == "/quality-of-life/opt-out/confirm/"
    confirm(client)
    assert "You have asked not to take part" in client.get("/quality-of-life/answer/1/").content.decode()


def test_opting_out_after_answering_keeps_the_answers(client, cast):
    invitation = invitation_for(cast)
    make_response(invitation)
    sign_in(client, invitation)
    confirm(client)
    invitation.refresh_from_db()
    cast.patient.refresh_from_db()
    assert invitation.status == InvitationStatus.RESPONDED and cast.patient.survey_opt_out
    assert "Your quality of life report" in client.get("/quality-of-life/report/").content.decode()
