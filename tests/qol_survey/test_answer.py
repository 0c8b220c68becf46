"""The respondent's pages: the link or code with the date of birth, one question per page saved as
they go, "Check your answers" and sending; and each bad input with its own clear message."""

import datetime

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from portal.audit.models import Action, AuditEvent
from portal.worklist.models import WorkItem
from qol_survey import presenters
from qol_survey.models import InvitationStatus, Response
from qol_survey.services import access, tokens
from tests.qol_survey.factories import make_invitation, make_response

pytestmark = pytest.mark.django_db
NOT_RIGHT = "The link or date of birth is not right"
CODE_NOT_RIGHT = "The code or date of birth is not right"


def open_invitation(cast, **fields):
    fields.setdefault("invited_on", timezone.localdate() - datetime.timedelta(days=7))
    return make_invitation(patient=cast.patient, team=cast.team_a, **fields)


def dob_form(born: datetime.date, **extra) -> dict:
    return {"date_of_birth_day": born.day, "date_of_birth_month": born.month, "date_of_birth_year": born.year, **extra}


def sign_in(client, invitation, born=None):
    born = born or invitation.patient.date_of_birth
    return client.post(tokens.link_path(invitation), dob_form(born))


def test_the_link_asks_the_date_of_birth_and_opens_the_survey(client, cast):
    invitation = open_invitation(cast)
    page = client.get(tokens.link_path(invitation))
    assert page.status_code == 200 and "Date of birth" in page.content.decode()
    assert "Stop getting this survey" in page.content.decode()  # the opt-out link, before any answer
    response = sign_in(client, invitation)
    assert response.status_code == 302 and response["Location"] == "/quality-of-life/answer/"
    intro = client.get("/quality-of-life/answer/")
    assert "36 questions" in intro.content.decode()
    assert AuditEvent.objects.filter(action=Action.SIGN_IN, object_id=str(invitation.pk)).exists()


def test_the_letter_code_opens_the_same_survey(client, cast):
    invitation = open_invitation(cast, channel="post")
    code = tokens.display_code(tokens.short_code(invitation)).lower()  # as people type it
    response = client.post("/quality-of-life/start/", dob_form(cast.patient.date_of_birth, code=code))
    assert response.status_code == 302
    assert client.session["qol_invitation_id"] == str(invitation.pk)


def test_one_message_for_a_wrong_date_an_unknown_token_and_a_wrong_code(client, cast):
    invitation = open_invitation(cast)
    wrong_date = sign_in(client, invitation, cast.patient.date_of_birth + datetime.timedelta(days=1))
    forged = client.post(tokens.link_path(invitation)[:-3] + "0/", dob_form(cast.patient.date_of_birth))
    code = client.post("/quality-of-life/start/", dob_form(cast.patient.date_of_birth, code="ABCDE-FGHJKMN"))
    assert NOT_RIGHT in wrong_date.content.decode() and NOT_RIGHT in forged.content.decode()
    assert CODE_NOT_RIGHT in code.content.decode()
    invitation.refresh_from_db()
    assert invitation.failed_attempts == 1  # only the wrong date of a real invitation counts on it
    assert "qol_invitation_id" not in client.session


@override_settings(QOL_DOB_ATTEMPTS=3)
def test_wrong_dates_lock_the_invitation_and_tell_its_team_once(client, cast):
    invitation = open_invitation(cast)
    wrong = cast.patient.date_of_birth + datetime.timedelta(days=1)
    for _ in range(2):
        assert NOT_RIGHT in sign_in(client, invitation, wrong).content.decode()
    locked = sign_in(client, invitation, wrong)
    assert "This survey is locked" in locked.content.decode()
    # Even the right date cannot open it now, and the team is told once
    assert "This survey is locked" in sign_in(client, invitation).content.decode()
    assert "qol_invitation_id" not in client.session
    items = WorkItem.objects.filter(source_type=access.LOCKED_SOURCE, source_id=str(invitation.pk))
    assert items.count() == 1 and items.get().team == cast.team_a


@override_settings(QOL_DOB_ATTEMPTS=2)
def test_the_team_unlocks_a_locked_survey_and_the_right_date_opens_it_again(client, cast):
    invitation = open_invitation(cast)
    wrong = cast.patient.date_of_birth + datetime.timedelta(days=1)
    for _ in range(2):
        sign_in(client, invitation, wrong)
    staff = client.__class__()
    staff.force_login(cast.cns_a)
    entry = staff.get(f"/quality-of-life/team/paper/{invitation.pk}/").content.decode()
    assert "The online survey is locked" in entry and "Unlock the online survey" in entry
    outsider = client.__class__()
    outsider.force_login(cast.cns_b)
    assert outsider.post(f"/quality-of-life/team/paper/{invitation.pk}/unlock/").status_code == 404
    done = staff.post(f"/quality-of-life/team/paper/{invitation.pk}/unlock/", follow=True).content.decode()
    assert "can answer it online again" in done and "The online survey is locked" not in done
    invitation.refresh_from_db()
    assert invitation.locked_at is None and invitation.failed_attempts == 0
    item = WorkItem.objects.get(source_type=access.LOCKED_SOURCE, source_id=str(invitation.pk))
    assert item.status == "done"
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(invitation.pk), actor=cast.cns_a).exists()
    assert sign_in(client, invitation).status_code == 302  # the right date opens it now


@override_settings(QOL_ATTEMPTS_PER_IP=2)
def test_the_address_is_throttled_on_wrong_guesses_only(client, cast):
    cache.clear()
    invitation = open_invitation(cast)
    other = open_invitation(cast)
    assert sign_in(client, invitation).status_code == 302  # a right one counts nothing
    for _ in range(2):
        client.post("/quality-of-life/start/", dob_form(cast.patient.date_of_birth, code="ABCDE-FGHJKMN"))
    refused = sign_in(client, other)
    assert refused.status_code == 429 and "Wait 15 minutes" in refused.content.decode()


@pytest.mark.parametrize(
    ("fields", "page"),
    [
        ({"status": InvitationStatus.EXPIRED}, "This survey has closed"),
        ({"invited_on": datetime.date(2026, 1, 5)}, "This survey has closed"),  # past its date, not yet swept
        ({"status": InvitationStatus.OPTED_OUT}, "You have asked not to take part"),
    ],
)
def test_a_closed_invitation_gets_its_own_page_after_a_right_date(client, cast, fields, page):
    invitation = open_invitation(cast, **fields)
    assert page in sign_in(client, invitation).content.decode()
    wrong = sign_in(client, invitation, cast.patient.date_of_birth + datetime.timedelta(days=3))
    assert page not in wrong.content.decode()  # a wrong date learns nothing about it


def test_an_answered_invitation_opens_its_report(client, cast):
    invitation = open_invitation(cast)
    make_response(invitation)
    response = sign_in(client, invitation)
    assert response["Location"] == "/quality-of-life/report/"
    assert "Your quality of life report" in client.get("/quality-of-life/report/").content.decode()


def test_each_answer_is_saved_at_once_and_they_carry_on_where_they_stopped(client, cast):
    invitation = open_invitation(cast)
    sign_in(client, invitation)
    first = client.get("/quality-of-life/answer/1/").content.decode()
    assert "Getting about on foot, today" in first and "No trouble getting about" in first
    assert "Question 1 of 36" in first
    assert client.post("/quality-of-life/answer/1/", {"answer": "2"})["Location"] == "/quality-of-life/answer/2/"
    assert client.post("/quality-of-life/answer/2/", {"skip": "yes", "answer": "3"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.draft == {"health-profile-5d": {"MO": 2, "SC": None}}
    # A new browser, the same link: straight back to question 3
    other = client.__class__()
    assert sign_in(other, invitation)["Location"] == "/quality-of-life/answer/3/"
    assert 'value="2" checked' in other.get("/quality-of-life/answer/1/").content.decode().replace("\n", " ")


def test_health_today_takes_a_number_from_0_to_100_with_a_clear_message(client, cast):
    invitation = open_invitation(cast)
    sign_in(client, invitation)
    for typed in ("101", "eighty", "-1"):
        page = client.post("/quality-of-life/answer/6/", {"answer": typed})
        assert page.status_code == 200
        assert "Your health today must be a whole number from 0 to 100" in page.content.decode()
    assert client.post("/quality-of-life/answer/6/", {"answer": "75"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.draft["health-profile-5d"]["VAS"] == 75


def test_an_answer_outside_the_scale_is_refused_and_nothing_saved(client, cast):
    invitation = open_invitation(cast)
    sign_in(client, invitation)
    client.post("/quality-of-life/answer/7/", {"answer": "3"})
    page = client.post("/quality-of-life/answer/7/", {"answer": "9"})
    assert "Select one of the answers to question 7" in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.draft == {"cancer-30": {"q1": 3}}


def test_no_question_page_without_the_date_of_birth(client, cast):
    open_invitation(cast)
    response = client.get("/quality-of-life/answer/1/")
    assert response.status_code == 302 and response["Location"] == "/quality-of-life/start/"


def answer_all(client, skip=()):
    for number in range(1, 37):
        data = {"skip": "yes"} if number in skip else {"answer": "80" if number == 6 else "1"}
        client.post(f"/quality-of-life/answer/{number}/", data)


def test_check_your_answers_lists_everything_says_what_was_skipped_and_sends(client, cast):
    invitation = open_invitation(cast)
    sign_in(client, invitation)
    answer_all(client, skip=(9, 10))
    page = client.get("/quality-of-life/answer/check/").content.decode()
    assert "You have not answered 2 questions" in page
    assert page.count("your answer to question") == 36  # a Change link for each, named for screen readers
    assert "Send a copy of your report to your GP?" in page
    # Not saying whether the team may contact them is asked again, nothing lost
    refused = client.post("/quality-of-life/answer/check/", {"share_with_gp": "yes"})
    assert "Select yes if your care team may contact you about your answers" in refused.content.decode()
    sent = client.post("/quality-of-life/answer/check/", {"share_with_gp": "no", "may_contact": "yes"})
    assert sent["Location"] == "/quality-of-life/report/"
    response = Response.objects.get(invitation=invitation)
    assert (response.share_with_gp, response.may_contact) == (False, True)
    assert {"q3", "q4"}.isdisjoint(response.answers["cancer-30"]) and response.answers["cancer-30"]["q5"] == 1


def test_a_change_link_comes_back_to_check_your_answers(client, cast):
    invitation = open_invitation(cast)
    sign_in(client, invitation)
    answer_all(client)
    assert presenters.step_url(12, "check") in client.get("/quality-of-life/answer/check/").content.decode()
    back = client.post(presenters.step_url(12, "check"), {"answer": "4"})
    assert back["Location"] == "/quality-of-life/answer/check/"
    invitation.refresh_from_db()
    assert invitation.draft["cancer-30"]["q6"] == 4


def test_a_response_sent_twice_says_so_and_keeps_the_first(client, cast):
    invitation = open_invitation(cast)
    sign_in(client, invitation)
    answer_all(client)
    first = client.post("/quality-of-life/answer/check/", {"share_with_gp": "yes", "may_contact": "no"})
    assert first.status_code == 302
    again = client.post("/quality-of-life/answer/check/", {"share_with_gp": "no", "may_contact": "yes"}, follow=True)
    assert "Your quality of life report" in again.content.decode()
    assert Response.objects.get(invitation=invitation).share_with_gp is True


def test_a_refused_send_keeps_the_draft(client, cast, monkeypatch):
    invitation = open_invitation(cast)
    sign_in(client, invitation)
    answer_all(client)
    from qol_survey.services import responses

    def closed(*args, **kwargs):
        raise responses.AlreadyAnswered()

    monkeypatch.setattr(responses, "submit", closed)
    page = client.post("/quality-of-life/answer/check/", {"share_with_gp": "yes", "may_contact": "no"})
    assert "This survey has already been sent" in page.content.decode()
    invitation.refresh_from_db()
    assert len(invitation.draft["cancer-30"]) == 30


def test_an_answer_the_instrument_no_longer_takes_names_its_question(client, cast):
    invitation = open_invitation(cast)
    sign_in(client, invitation)
    answer_all(client)
    type(invitation).objects.filter(pk=invitation.pk).update(
        draft={**invitation.__class__.objects.get(pk=invitation.pk).draft, "cancer-30": {"q29": 9}}
    )
    page = client.post("/quality-of-life/answer/check/", {"share_with_gp": "yes", "may_contact": "no"})
    text = page.content.decode()
    assert "The answer to question 35 is not one we can take" in text
    assert presenters.step_url(35, "check") in text
    assert not Response.objects.filter(invitation=invitation).exists()


def test_pages_are_never_cached(client, cast):
    invitation = open_invitation(cast)
    sign_in(client, invitation)
    assert "no-store" in client.get("/quality-of-life/answer/1/")["Cache-Control"]
