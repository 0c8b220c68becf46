"""/api/v1/care-reviews/ and /api/v1/care-reviews/requests/ (issue 14 item 6): scoped by the policy
table (the patient's practice and the patient, no one else), every record shown in the access log,
read-only, and the list's queries flat."""

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from care_reviews.models import Kind, Outcome, ReviewRequest
from care_reviews.services.reviews import ask_for_review
from portal.audit.models import AuditEvent
from tests.care_reviews.test_due import diagnosed
from tests.care_reviews.test_reviews import done
from tests.factories import DiagnosisFactory

pytestmark = pytest.mark.django_db
REVIEWS = "/api/v1/care-reviews/"
REQUESTS = "/api/v1/care-reviews/requests/"
ACTIONS = [("Refer to benefits advice", "Practice social prescriber"), ("Blood test in 3 months", "Patient")]


def reviewed(cast, patient=None, **changes):
    """A completed review of `patient` (the cast's patient by default) by practice A's GP."""
    diagnosis = DiagnosisFactory(
        patient=patient or cast.patient, date_of_diagnosis=timezone.localdate() - relativedelta(months=7)
    )
    return done(cast, diagnosis, **changes)


def test_the_practice_lists_and_reads_its_reviews_with_their_actions(cast, api_as):
    review = reviewed(cast, actions=ACTIONS, next_review=timezone.localdate() + relativedelta(months=6))
    api = api_as(cast.gp_a)
    listed = api.get(REVIEWS).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == str(review.pk)
    detail = api.get(f"{REVIEWS}{review.pk}/").json()
    assert (detail["patient"], detail["nhs_number"]) == (str(cast.patient.pk), cast.patient.nhs_number)
    assert (detail["kind"], detail["outcome"], detail["mode"]) == ("review", "completed", "phone")
    assert detail["practice_ods_code"] == cast.practice_a.ods_code
    assert detail["concerns_financial"] == "Off work, worried about money" and detail["medication_reviewed"]
    assert [(a["action"], a["owner"]) for a in detail["actions"]] == ACTIONS
    assert detail["next_review"] == review.next_review.isoformat()
    assert detail["recorded_by"] == str(cast.gp_a)


def test_a_declined_review_gives_its_reason(cast, api_as):
    review = reviewed(cast, outcome=Outcome.DECLINED, reason="Prefers to wait", actions=[])
    detail = api_as(cast.gp_a).get(f"{REVIEWS}{review.pk}/").json()
    assert (detail["outcome"], detail["reason"], detail["mode"], detail["actions"]) == (
        "declined",
        "Prefers to wait",
        "",
        [],
    )


@pytest.mark.parametrize("outsider", ["gp_b", "cns_a", "cns_b", "admin", "auditor"])
def test_anyone_but_the_practice_and_the_patient_sees_none_of_it(cast, api_as, outsider):
    review = reviewed(cast)
    request = ReviewRequest.objects.create(patient=cast.patient, practice=cast.practice_a, what_about="Sleep")
    api = api_as(getattr(cast, outsider))
    for path, record in ((REVIEWS, review), (REQUESTS, request)):
        assert api.get(path).json()["count"] == 0, path
        missing = api.get(f"{path}{record.pk}/")
        assert missing.status_code == 404 and missing.json()["detail"].startswith("There is no "), path
    assert not AuditEvent.objects.filter(action="view").exists()


def test_the_patient_sees_only_their_own(cast, api_as):
    mine = reviewed(cast)
    stranger = diagnosed(cast, 7)
    theirs = done(cast, stranger)  # same practice, another patient
    api = api_as(cast.patient_user)
    assert [r["id"] for r in api.get(REVIEWS).json()["results"]] == [str(mine.pk)]
    assert api.get(f"{REVIEWS}{mine.pk}/").json()["actions"][0]["owner"] == "Practice social prescriber"
    assert api.get(f"{REVIEWS}{theirs.pk}/").status_code == 404
    # The GP sees both: they are both the practice's.
    assert api_as(cast.gp_a).get(REVIEWS).json()["count"] == 2


def test_each_review_shown_is_in_the_access_log(cast, api_as):
    first = reviewed(cast)
    other = diagnosed(cast, 7)
    second = done(cast, other)
    api = api_as(cast.gp_a)
    assert api.get(REVIEWS).json()["count"] == 2
    events = AuditEvent.objects.filter(action="view", object_type="care_reviews.review")
    assert {(e.actor, e.patient_id, e.object_id) for e in events} == {
        (cast.gp_a, cast.patient.pk, str(first.pk)),
        (cast.gp_a, other.patient.pk, str(second.pk)),
    }
    api.get(f"{REVIEWS}{first.pk}/")
    assert events.filter(object_id=str(first.pk)).count() == 2


def test_open_requests_for_the_practice_and_the_patient_and_a_closed_one_by_id(cast, api_as):
    asked = ask_for_review(actor=cast.patient_user, patient=cast.patient, what_about="Trouble sleeping")
    for who in (cast.gp_a, cast.patient_user):
        listed = api_as(who).get(REQUESTS).json()
        assert [(r["id"], r["what_about"], r["review"]) for r in listed["results"]] == [
            (str(asked.pk), "Trouble sleeping", None)
        ]
    event = AuditEvent.objects.filter(action="view", object_type="care_reviews.reviewrequest").first()
    assert (event.patient, event.object_id) == (cast.patient, str(asked.pk))
    review = reviewed(cast)  # a completed review closes the request
    api = api_as(cast.gp_a)
    assert api.get(REQUESTS).json()["count"] == 0
    closed = api.get(f"{REQUESTS}{asked.pk}/").json()
    assert closed["review"] == str(review.pk) and closed["closed_at"] is not None
    assert closed["practice_ods_code"] == cast.practice_a.ods_code


@pytest.mark.parametrize("bad", ["not-an-id", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_id_is_404(cast, api_as, bad):
    api = api_as(cast.gp_a)
    for path in (REVIEWS, REQUESTS):
        assert api.get(f"{path}{bad}/").status_code == 404, path


def test_no_token_is_401(cast, client):
    review = reviewed(cast)
    for path in (REVIEWS, f"{REVIEWS}{review.pk}/", REQUESTS, f"{REQUESTS}{review.pk}/"):
        response = client.get(path)
        assert response.status_code == 401 and "count" not in response.json(), path
    assert not AuditEvent.objects.filter(action="view").exists()


def test_read_only(cast, api_as):
    review = reviewed(cast)
    api = api_as(cast.gp_a)
    assert api.post(REVIEWS, {"kind": Kind.REVIEW}).status_code == 405
    assert api.post(REQUESTS, {"what_about": "x"}).status_code == 405
    assert api.client.delete(f"{REVIEWS}{review.pk}/", headers=api.headers).status_code == 405


def test_the_list_costs_the_same_queries_for_one_review_as_for_five(cast, api_as):
    api = api_as(cast.gp_a)
    api.get(REVIEWS)  # warm up: the first use of a token records last_used_at

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(REVIEWS).status_code == 200
        return len(ctx.captured_queries)

    reviewed(cast)
    one = count()
    for _ in range(4):
        done(cast, diagnosed(cast, 7))
    assert api.get(REVIEWS).json()["count"] == 5
    assert count() == one


def test_both_are_in_the_schema_read_only():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in (REVIEWS, REQUESTS):
        assert set(schema["paths"][path]) == {"get"} and set(schema["paths"][f"{path}{{id}}/"]) == {"get"}, path
