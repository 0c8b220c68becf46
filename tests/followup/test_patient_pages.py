"""The patient's follow-up pages and the team's triage pages, by role: the patient sees only their
own, another team gets 404, every page that shows patient data writes to the access log."""

import datetime

import pytest
from django.utils import timezone

from followup.models import CheckIn, Concern, Rating
from followup.services import concerns
from portal.audit.models import Action, AuditEvent
from tests.followup.factories import make_pathway
from tests.followup.test_patient_services import SYMPTOMS, pifu, support_worker

pytestmark = pytest.mark.django_db


def body(response):
    return response.content.decode()


def test_my_care_links_the_plan_only_with_a_pathway(client, cast):
    client.force_login(cast.patient_user)
    assert "/follow-up/mine/" not in body(client.get("/"))
    assert client.get("/follow-up/mine/").status_code == 404
    pifu(cast)
    assert "/follow-up/mine/" in body(client.get("/"))


def test_the_patient_sees_their_plan_symptoms_and_who_to_call(client, cast):
    pathway = pifu(cast)
    client.force_login(cast.patient_user)
    page = body(client.get("/follow-up/mine/"))
    assert "Your follow-up plan" in page and "Sam Jones, colorectal CNS" in page
    assert "worried about a symptom" in page
    assert AuditEvent.objects.filter(action=Action.VIEW, object_id=str(pathway.pk), actor=cast.patient_user).exists()
    symptoms = body(client.get("/follow-up/mine/symptoms/"))
    assert SYMPTOMS[0] in symptoms and "0161 000 0000" in symptoms and "111" in symptoms
    assert client.get("/follow-up/mine/results/").status_code == 200


def test_the_patient_raises_a_concern_step_by_step(client, cast):
    pifu(cast)
    client.force_login(cast.patient_user)
    assert client.post("/follow-up/mine/worried/details/").status_code == 302  # no draft: back to step one
    response = client.post("/follow-up/mine/worried/", {"symptoms": ["Not a listed one"]})
    assert response.status_code == 200 and "error" in body(response).lower()
    assert client.post("/follow-up/mine/worried/", {"symptoms": []}).status_code == 302
    empty = client.post("/follow-up/mine/worried/details/", {"details": "  "})
    assert "Select a symptom on the last page" in body(empty)
    client.post("/follow-up/mine/worried/", {"symptoms": [SYMPTOMS[0]]})
    assert client.post("/follow-up/mine/worried/details/", {"details": "Since Monday"}).status_code == 302
    check = body(client.get("/follow-up/mine/worried/check/"))
    assert SYMPTOMS[0] in check and "Since Monday" in check
    assert client.post("/follow-up/mine/worried/check/").url == "/follow-up/mine/worried/sent/"
    concern = Concern.objects.get()
    assert (concern.symptoms, concern.details, concern.raised_by) == ([SYMPTOMS[0]], "Since Monday", cast.patient_user)
    sent = body(client.get("/follow-up/mine/worried/sent/"))
    assert "Your concern has been sent" in sent and "Sent: waiting for your team" in sent
    concerns.triage(cast.cns_a, concern, Rating.AMBER)
    assert "Your team has looked at it" in body(client.get("/follow-up/mine/"))


def test_outside_the_window_the_patient_is_told_who_to_call(client, cast):
    pifu(cast, pifu_start=datetime.date(2019, 1, 1), pifu_end=datetime.date(2020, 1, 1))
    client.force_login(cast.patient_user)
    page = body(client.get("/follow-up/mine/worried/"))
    assert "Call us about your symptom" in page and "0161 000 0000" in page and "999" in page
    assert client.post("/follow-up/mine/worried/", {"symptoms": [SYMPTOMS[0]]}).status_code == 200
    assert not Concern.objects.exists()


def test_staff_and_other_patients_do_not_reach_the_patient_pages(client, cast):
    pifu(cast)
    for user in (cast.cns_a, cast.gp_a, cast.admin):
        client.force_login(user)
        assert client.get("/follow-up/mine/").status_code == 404


def test_a_check_in_answered_yes_opens_a_red_concern(client, cast):
    pathway = pifu(cast)
    CheckIn.objects.create(pathway=pathway, sent_at=timezone.now(), due_by=timezone.localdate())
    client.force_login(cast.patient_user)
    assert "Answer your check-in" in body(client.get("/follow-up/mine/"))
    missing = client.post("/follow-up/mine/check-in/", {"q0": "yes"})
    assert "Select yes or no for" in body(missing)
    response = client.post("/follow-up/mine/check-in/", {"q0": "yes", "q1": "no"})
    assert response.url == "/follow-up/mine/worried/sent/"
    assert Concern.objects.get().rating == Rating.RED
    assert "no check-in to answer" in body(client.get("/follow-up/mine/check-in/"))


def test_the_queue_and_concern_page_by_team(client, cast):
    pathway = pifu(cast)
    concern = concerns.raise_concern(cast.patient_user, pathway, [SYMPTOMS[0]], "Since Monday")
    client.force_login(cast.cns_a)
    assert str(concern.pk) in body(client.get("/follow-up/concerns/"))
    page = body(client.get(f"/follow-up/concerns/{concern.pk}/"))
    assert "Since Monday" in page and "Save the rating" in page
    assert AuditEvent.objects.filter(action=Action.VIEW, object_id=str(concern.pk), actor=cast.cns_a).exists()
    for outsider in (cast.cns_b, cast.gp_a, cast.auditor):
        client.force_login(outsider)
        assert client.get(f"/follow-up/concerns/{concern.pk}/").status_code == 404
        assert str(concern.pk) not in body(client.get("/follow-up/concerns/"))
    client.force_login(cast.patient_user)
    assert client.get(f"/follow-up/concerns/{concern.pk}/").status_code == 404


def test_triage_outcome_and_close_through_the_pages(client, cast):
    concern = concerns.raise_concern(cast.patient_user, pifu(cast), [SYMPTOMS[0]], "")
    url = f"/follow-up/concerns/{concern.pk}/"
    client.force_login(support_worker(cast))
    assert "A CNS or clinician rates" in body(client.get(url))
    assert client.post(url + "triage/", {"rating": "red"}).status_code == 404
    client.force_login(cast.cns_a)
    bad = client.post(url + "triage/", {"rating": "purple"})
    assert bad.status_code == 400 and "Select" in body(bad)
    early = client.post(url + "close/")
    assert early.status_code == 400 and "Record the outcome" in body(early)
    assert client.post(url + "triage/", {"rating": "red", "note": "Call today"}).status_code == 302
    assert client.post(url + "outcome/", {"outcome": "clinic", "note": "Tuesday"}).status_code == 302
    assert client.post(url + "close/").status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.rating, concern.outcome) == ("closed", "red", "clinic")
    assert concern.changes.count() == 4


def test_staff_raise_a_concern_on_the_patients_behalf(client, cast):
    pathway = pifu(cast)
    url = f"/follow-up/concerns/raise/{pathway.pk}/"
    client.force_login(cast.cns_b)
    assert client.get(url).status_code == 404
    client.force_login(cast.cns_a)
    assert SYMPTOMS[1] in body(client.get(url))
    empty = client.post(url, {"details": ""})
    assert "Select a symptom" in body(empty) and not Concern.objects.exists()
    response = client.post(url, {"symptoms": [SYMPTOMS[1]], "details": "Phoned at 10am"})
    concern = Concern.objects.get()
    assert response.url == f"/follow-up/concerns/{concern.pk}/"
    assert concern.raised_on_behalf and concern.raised_by == cast.cns_a


def url_ids(cast) -> dict:
    """For tests/access/test_url_scoping.py: a concern and a pathway of team A, for a patient of their
    own (so the other follow-up parts' pathway for cast.patient does not clash with this one)."""
    from tests.factories import PatientFactory

    patient = PatientFactory(care_teams=[cast.team_a], registered_practice=cast.practice_a)
    pathway = make_pathway(patient=patient, team=cast.team_a, trigger_symptoms=SYMPTOMS)
    concern = concerns.open_concern(cast.cns_a, pathway, [SYMPTOMS[0]], "", on_behalf=True)
    return {"concern_id": concern.pk, "concern_raise:pathway_id": pathway.pk}


def test_a_test_whose_date_has_passed_tells_the_patient_what_to_do_now(client, cast):
    # "Book ... in the 2 weeks before this date" was shown for a date already gone (seen in the demo).
    from followup.patient_views import WHAT_TO_DO, WHAT_TO_DO_LATE

    pathway = pifu(cast)
    late, *rest = pathway.tests.order_by("due_date")
    late.due_date = timezone.localdate() - datetime.timedelta(days=16)
    late.save()
    client.force_login(cast.patient_user)
    page = body(client.get("/follow-up/mine/"))
    where = late.test_type.where_taken
    assert f"{late.due_date.day} {late.due_date:%B %Y}. {WHAT_TO_DO_LATE[where]}" in page
    assert page.count(WHAT_TO_DO_LATE[where]) == 1
    upcoming = rest[0]
    assert f"{upcoming.due_date.day} {upcoming.due_date:%B %Y}. {WHAT_TO_DO[upcoming.test_type.where_taken]}" in page
