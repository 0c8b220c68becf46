"""The patient's question pages: saved as they go, resumable, "Check your answers" with change
links that come back, and the send. Every bad input gets a clear message and loses nothing."""

import datetime

import pytest
from django.core.cache import cache

from hna.models import Assessment, ConcernAnswer, Passcode
from hna.services import assessments
from hna.views.patient import ALREADY_SENT, SESSION_KEY
from portal.audit.models import AuditEvent
from portal.outbox.models import Notification
from portal.worklist.models import Kind, WorkItem
from tests.hna.test_passcode_sign_in import NOT_RIGHT, sign_in, signed_in_client

pytestmark = pytest.mark.django_db
MINE = "/hna/my-assessment/"
PHYSICAL = MINE + "concerns/physical/"
PHYSICAL_SCORES = PHYSICAL + "scores/"


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()  # the per-IP sign-in counter lives in the (process-wide) cache


@pytest.fixture
def hna(cast):
    return assessments.set_up(
        actor=cast.cns_a,
        patient=cast.patient,
        point_of_pathway="01",
        trigger="diagnosis",
        offer_status="03",
        event_date=datetime.date.today(),
    )


@pytest.fixture
def patient(client, hna):
    return signed_in_client(client, hna)


def answers(hna):
    return {a.item.code: (a.ticked, a.score) for a in ConcernAnswer.objects.filter(assessment=hna.assessment)}


def fresh(hna) -> Assessment:
    return Assessment.objects.get(pk=hna.assessment.pk)


def tick_and_score(patient, scores=None):
    scores = scores or {"physical-pain": "7", "physical-fatigue": "5"}
    patient.post(PHYSICAL, {"concerns": list(scores)})
    return patient.post(PHYSICAL_SCORES, {f"score_{code}": value for code, value in scores.items()})


def answer_the_rest(patient):
    for category in ("practical", "family", "emotional", "spiritual", "lifestyle"):
        patient.post(f"{MINE}concerns/{category}/", {})
    patient.post(MINE + "distress/", {"distress_score": "6"})
    patient.post(MINE + "anything-else/", {"anything_else": "I look after my mum."})
    patient.post(MINE + "someone-with-you/", {"wants_company": "yes"})
    return patient.post(MINE + "communication/", {"needs": ["none"]})


def test_ticks_and_scores_are_saved_as_they_go(patient, hna):
    ticked = patient.post(PHYSICAL, {"concerns": ["physical-pain", "physical-fatigue"]})

    assert ticked.status_code == 302 and ticked.url == PHYSICAL_SCORES
    assert answers(hna)["physical-pain"] == (True, None) and answers(hna)["physical-nausea"] == (False, None)
    assert fresh(hna).status == Assessment.Status.IN_PROGRESS
    assert fresh(hna).last_page == "scores/physical"

    page = patient.get(PHYSICAL_SCORES).content.decode()
    assert "How much does each concern worry you?" in page and 'inputmode="numeric"' in page
    scored = patient.post(PHYSICAL_SCORES, {"score_physical-pain": "7", "score_physical-fatigue": "0"})

    assert scored.url == MINE + "concerns/practical/"
    assert answers(hna)["physical-pain"] == (True, 7) and answers(hna)["physical-fatigue"] == (True, 0)
    assert fresh(hna).last_page == "concerns/practical"


def test_a_category_with_nothing_ticked_has_no_scores_page(patient, hna):
    assert patient.post(PHYSICAL, {}).url == MINE + "concerns/practical/"
    assert patient.get(PHYSICAL_SCORES).url == MINE + "concerns/practical/"


def test_unticking_a_concern_clears_its_score(patient, hna):
    tick_and_score(patient)
    patient.post(PHYSICAL, {"concerns": ["physical-fatigue"]})
    assert answers(hna)["physical-pain"] == (False, None)
    assert answers(hna)["physical-fatigue"] == (True, 5)


def test_pages_come_in_category_order_then_the_other_questions(patient, hna):
    tick_and_score(patient)
    assert answer_the_rest(patient).url == MINE + "check/"
    assessment = fresh(hna)
    assert (assessment.distress_score, assessment.wants_company) == (6, "yes")
    assert assessment.anything_else == "I look after my mum." and assessment.communication_needs == []


@pytest.mark.parametrize("value", ["11", "-1", "5.5", "seven", "1e3"])
def test_a_score_outside_0_to_10_or_not_whole_is_refused(patient, hna, value):
    tick_and_score(patient)
    response = patient.post(PHYSICAL_SCORES, {"score_physical-pain": value, "score_physical-fatigue": "2"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Score for Pain must be a number from 0 to 10" in html and "<title>Error: " in html
    assert answers(hna)["physical-pain"] == (True, 7)  # nothing lost
    assert answers(hna)["physical-fatigue"] == (True, 5)  # and nothing half-saved


def test_a_missing_score_is_asked_for(patient, hna):
    patient.post(PHYSICAL, {"concerns": ["physical-pain"]})
    html = patient.post(PHYSICAL_SCORES, {"score_physical-pain": ""}).content.decode()
    assert "Enter a score from 0 to 10 for Pain" in html


def test_a_score_for_a_concern_not_ticked_is_refused(patient, hna):
    tick_and_score(patient)
    crafted = {"score_physical-pain": "3", "score_physical-fatigue": "3", "score_physical-nausea": "9"}

    response = patient.post(PHYSICAL_SCORES, crafted)

    assert "You can only score a concern you have ticked" in response.content.decode()
    assert answers(hna)["physical-nausea"] == (False, None)
    assert answers(hna)["physical-pain"] == (True, 7)


def test_a_tick_not_on_the_list_is_refused(patient, hna):
    tick_and_score(patient)
    response = patient.post(PHYSICAL, {"concerns": ["physical-pain", "emotional-worry"]})
    assert "Select concerns from the list" in response.content.decode()
    assert answers(hna)["physical-fatigue"] == (True, 5)


def test_an_unknown_category_is_not_found(patient):
    assert patient.get(MINE + "concerns/astrology/").status_code == 404


@pytest.mark.parametrize("value", [None, "", "11", "six"])
def test_distress_needs_a_number_from_0_to_10(patient, hna, value):
    patient.post(MINE + "distress/", {"distress_score": "4"})
    response = patient.post(MINE + "distress/", {} if value is None else {"distress_score": value})
    assert "Select a number from 0 to 10" in response.content.decode()
    assert fresh(hna).distress_score == 4


def test_communication_needs_are_checked(patient, hna):
    both = patient.post(MINE + "communication/", {"needs": ["hearing", "none"]}).content.decode()
    assert "Select the help you need, or select &#39;None of these&#39;" in both
    other = patient.post(MINE + "communication/", {"needs": ["other"], "detail": ""}).content.decode()
    assert "Tell us what would help with communication" in other
    nothing = patient.post(MINE + "communication/", {}).content.decode()
    assert "Select the help you need, or select" in nothing

    done = patient.post(MINE + "communication/", {"needs": ["sight", "other"], "detail": "Large print"})

    assert done.url == MINE + "check/"
    assert (fresh(hna).communication_needs, fresh(hna).communication_detail) == (["sight", "other"], "Large print")


def test_a_language_need_keeps_the_language(patient, hna):
    """Issue 10, item 4: ticking language and interpreter and typing "Polish" saved an empty detail."""
    done = patient.post(MINE + "communication/", {"needs": ["language", "interpreter"], "detail": "Polish"})

    assert done.status_code == 302 and done.url == MINE + "check/"
    assert (fresh(hna).communication_needs, fresh(hna).communication_detail) == (["language", "interpreter"], "Polish")
    check = patient.get(MINE + "check/").content.decode()
    assert "Language other than English: Polish" in check and "An interpreter" in check
    assert 'value="Polish"' in patient.get(MINE + "communication/").content.decode()  # kept when they come back


@pytest.mark.parametrize("need", ["language", "interpreter"])
def test_a_language_need_asks_which_language_and_keeps_the_ticks(patient, hna, need):
    response = patient.post(MINE + "communication/", {"needs": [need, "hearing"], "detail": "  "})

    html = response.content.decode()
    assert response.status_code == 200 and "Tell us which language you would like to use" in html
    assert f'value="{need}" checked' in html and 'value="hearing" checked' in html  # nothing typed is lost
    assert fresh(hna).communication_needs == []


def test_none_of_these_clears_what_was_said_before(patient, hna):
    patient.post(MINE + "communication/", {"needs": ["language"], "detail": "Polish"})
    patient.post(MINE + "communication/", {"needs": ["none"], "detail": "Polish"})
    assert (fresh(hna).communication_needs, fresh(hna).communication_detail) == ([], "")


def test_check_answers_lists_every_answer_with_change_links(patient, hna):
    tick_and_score(patient)
    answer_the_rest(patient)

    html = patient.get(MINE + "check/").content.decode()

    for text in ("Pain: 7 out of 10", "Tired, exhausted or fatigued: 5 out of 10", "None ticked", "6 out of 10"):
        assert text in html
    for text in ("I look after my mum.", "Yes", "Communication needs", "None"):
        assert text in html
    for path in ("concerns/physical/", "concerns/physical/scores/", "concerns/lifestyle/", "distress/"):
        assert f'href="{MINE}{path}?return=check"' in html
    for path in ("anything-else/", "someone-with-you/", "communication/"):
        assert f'href="{MINE}{path}?return=check"' in html


def test_a_change_link_comes_back_to_check_answers(patient, hna):
    tick_and_score(patient)
    answer_the_rest(patient)

    page = patient.get(MINE + "distress/?return=check").content.decode()
    assert 'action="/hna/my-assessment/distress/?return=check"' in page
    assert f'href="{MINE}check/"' in page  # the back link

    assert patient.post(MINE + "distress/?return=check", {"distress_score": "2"}).url == MINE + "check/"
    assert fresh(hna).distress_score == 2


def test_a_new_tick_from_check_answers_asks_for_its_score_then_comes_back(patient, hna):
    tick_and_score(patient)
    answer_the_rest(patient)

    ticked = patient.post(
        f"{PHYSICAL}?return=check", {"concerns": ["physical-pain", "physical-fatigue", "physical-sleep"]}
    )
    assert ticked.url == f"{PHYSICAL_SCORES}?return=check"

    scores = {"score_physical-pain": "7", "score_physical-fatigue": "5", "score_physical-sleep": "8"}
    assert patient.post(f"{PHYSICAL_SCORES}?return=check", scores).url == MINE + "check/"
    assert "Sleep problems or nightmares: 8 out of 10" in patient.get(MINE + "check/").content.decode()


def test_the_return_parameter_only_accepts_check_answers(patient):
    response = patient.post(MINE + "distress/?return=https://evil.example/", {"distress_score": "2"})
    assert response.url == MINE + "anything-else/"
    assert "evil" not in patient.get(MINE + "distress/?return=https://evil.example/").content.decode()


def test_save_and_come_back_later_then_resume_where_they_were(client, patient, hna, cast):
    tick_and_score(patient)
    left = patient.post(MINE + "concerns/practical/", {"concerns": ["practical-money"], "later": "yes"})

    assert left.url == MINE + "saved/"
    assert SESSION_KEY not in client.session
    assert answers(hna)["practical-money"] == (True, None)
    saved = client.get(left.url).content.decode()
    assert "Your answers have been saved" in saved and "Your passcode works until" in saved
    assert client.get(MINE + "distress/").url == "/hna/start/"

    back = sign_in(client, hna.passcode, cast.patient.date_of_birth)

    assert back.url == MINE + "concerns/practical/scores/"


def test_leaving_from_a_page_with_a_bad_answer_keeps_what_was_saved(client, patient, hna, cast):
    patient.post(MINE + "distress/", {"distress_score": "3"})
    left = patient.post(MINE + "distress/", {"distress_score": "", "later": "yes"})

    assert left.url == MINE + "saved/"
    assert fresh(hna).distress_score == 3 and fresh(hna).last_page == "distress"
    assert sign_in(client, hna.passcode, cast.patient.date_of_birth).url == MINE + "distress/"


def test_patient_pages_write_nothing_to_the_access_log(patient, hna):
    before = AuditEvent.objects.count()
    tick_and_score(patient)
    answer_the_rest(patient)
    patient.get(MINE + "check/")
    assert AuditEvent.objects.count() == before


def test_send_to_the_care_team(client, patient, hna, cast):
    tick_and_score(patient)
    answer_the_rest(patient)

    sent = patient.post(MINE + "check/")

    assert sent.url == MINE + "sent/"
    assessment = fresh(hna)
    assert assessment.status == Assessment.Status.SUBMITTED and assessment.submitted_at
    assert WorkItem.objects.filter(kind=Kind.HNA_SUBMITTED, team=cast.team_a, patient=cast.patient).exists()
    email = Notification.objects.get(template="hna.submitted")
    assert email.recipient == cast.cns_a.email
    assert Passcode.objects.get(assessment=hna.assessment).state == "used"
    page = client.get(sent.url)
    html = page.content.decode()
    assert "What happens next" in html and cast.team_a.name in html and cast.team_a.phone in html
    assert 'href="/hna/account/"' in html and "Create an account to see your care plan online" in html
    assert "no-store" in page["Cache-Control"]


def test_after_sending_a_re_post_and_every_page_say_it_was_sent(client, patient, hna, cast):
    tick_and_score(patient)
    answer_the_rest(patient)
    patient.post(MINE + "check/")

    again = client.post(MINE + "check/", follow=True)  # the send button pressed again

    assert again.redirect_chain[-1][0] == "/hna/start/"
    assert again.status_code == 200 and ALREADY_SENT in again.content.decode()
    assert WorkItem.objects.filter(kind=Kind.HNA_SUBMITTED).count() == 1
    for path in (PHYSICAL, MINE + "check/"):
        # a later page (or the back button) in a session from before the send
        session = client.session
        session[SESSION_KEY] = str(Passcode.objects.get(assessment=hna.assessment).pk)
        session.save()
        response = client.get(path, follow=True)
        assert response.redirect_chain[-1][0] == "/hna/start/"
        assert ALREADY_SENT in response.content.decode() and "Pain: 7" not in response.content.decode()
    signed_in_again = sign_in(client, hna.passcode, cast.patient.date_of_birth).content.decode()
    assert ALREADY_SENT in signed_in_again and NOT_RIGHT not in signed_in_again


def test_send_refuses_a_ticked_concern_without_a_score(patient, hna):
    patient.post(PHYSICAL, {"concerns": ["physical-pain"]})
    response = patient.post(MINE + "check/")
    html = response.content.decode()
    assert "Give a score from 0 to 10 for 1 ticked concern" in html and "<title>Error: " in html
    assert f'href="{PHYSICAL_SCORES}?return=check"' in html
    assert fresh(hna).status == Assessment.Status.IN_PROGRESS
