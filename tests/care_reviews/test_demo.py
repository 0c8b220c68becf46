"""The care review demo stages seed_demo makes (care_reviews/demo.py): Hillside's GP finds a patient
at every point of the early contact and the review on the due list, and patient.two reads their
completed review in My care. The states are worked out from the day of seeding, so they hold on
any day the demo is made."""

import pytest
from django.conf import settings

from care_reviews import demo
from care_reviews.models import Kind, Outcome, Review, ReviewRequest
from care_reviews.services.due import State, due_list
from portal.people.demo import demo_email, demo_nhs_number
from portal.people.models import Patient, User
from tests.conftest import give_totp

pytestmark = pytest.mark.django_db

# Each stage, in demo.STAGES order: (early contact, review) on the due list.
EXPECTED = [
    (State.DUE, State.NOT_YET),
    (State.DONE, State.NOT_YET),
    (State.DONE, State.DUE),
    (State.DONE, State.OVERDUE),
    (State.DONE, State.DONE),
    (State.DONE, State.DECLINED),
    (State.DONE, State.NOT_CONTACTABLE),
    (State.DONE, State.NOT_YET),
]


def stage_patient(k) -> Patient:
    return Patient.objects.get(nhs_number=demo_nhs_number(demo.FIRST_INDEX + k))


def sign_in(client, local) -> User:
    user = User.objects.get(email=demo_email(local))
    if user.role_assignments.exists():
        give_totp(user)
    assert client.login(email=user.email, password=settings.DEMO_PASSWORD)
    return user


def test_hillside_has_a_patient_at_every_stage(seeded_demo):
    assert len(EXPECTED) == len(demo.STAGES)
    rows = {row.patient.pk: row for row in due_list(User.objects.get(email=demo_email(demo.GP))).rows}
    for k, (early, review) in enumerate(EXPECTED):
        row = rows[stage_patient(k).pk]
        assert (row.early.state, row.review.state) == (early, review), demo.STAGES[k][0]
        assert row.requested == demo.STAGES[k][3]
        assert row.patient.registered_practice.name == "Hillside Medical Practice"
    for stage in ("review due", "early contact due", "asked for by the patient"):
        assert stage in seeded_demo  # seed_demo --list names them


def test_the_completed_review_has_its_actions_signposting_and_next_review(seeded_demo):
    done = Review.objects.get(patient=stage_patient(4), kind=Kind.REVIEW)
    assert done.outcome == Outcome.COMPLETED and done.mode and done.signposting
    assert done.next_review > done.reviewed_on and done.recorded_by.email == demo_email(demo.GP)
    assert [a.owner for a in done.actions.all()] == [owner for _action, owner in demo.ACTIONS]
    declined = Review.objects.get(patient=stage_patient(5), kind=Kind.REVIEW)
    assert declined.outcome == Outcome.DECLINED and declined.reason == demo.DECLINED
    (asked,) = ReviewRequest.objects.filter(closed_at__isnull=True)
    assert asked.patient == stage_patient(7) and asked.what_about == demo.ASKED


def test_the_due_list_shows_them_to_hillside_only(seeded_demo, client):
    sign_in(client, demo.GP)
    html = client.get("/care-reviews/").content.decode()
    links = [f"/patients/{stage_patient(k).pk}/" for k in range(len(demo.STAGES))]
    assert all(link in html for link in links) and demo.ASKED in html
    client.logout()
    sign_in(client, "gp.millbrook")
    other = client.get("/care-reviews/").content.decode()
    assert not any(link in other for link in links)


def test_patient_two_reads_their_review_from_my_care(seeded_demo, client):
    user = sign_in(client, "patient.two")
    assert user.patient.registered_practice.name == "Hillside Medical Practice"
    assert "/care-reviews/mine/" in client.get("/").content.decode()
    (review,) = Review.objects.filter(patient=user.patient)
    assert review.outcome == Outcome.COMPLETED
    mine = client.get("/care-reviews/mine/").content.decode()
    assert f"/care-reviews/reviews/{review.pk}/" in mine
    page = client.get(f"/care-reviews/reviews/{review.pk}/")
    assert page.status_code == 200 and demo.ACTIONS[1][0] in page.content.decode()


@pytest.mark.parametrize("gp", demo.GPS)
def test_each_practice_has_a_working_history_not_a_wall_of_overdue(seeded_demo, gp):
    found = due_list(User.objects.get(email=demo_email(gp)))
    share = found.indicator.numerator / found.indicator.denominator
    assert 0.5 <= share < 1, found.indicator  # most reviewed in time, some left to do
    overdue = [r for r in found.rows if State.OVERDUE in (r.early.state, r.review.state)]
    assert 0 < len(overdue) <= len(found.rows) // 3
