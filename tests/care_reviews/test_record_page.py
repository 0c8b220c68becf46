"""The review form (issue 14 items 2 and 3; issue 13 items 1 and 2): the practice records a review
with what was discussed, signposting picked from the wellbeing library and directory (matched to the
shared care plan's concerns) and actions with owners; beside it the newest treatment summary, and
the care plan only where the patient shared it. Saving closes the due item and gives the patient
their summary on My care and as a PDF. Bad input: a clear message, everything typed kept; another
practice's patient: 404."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from care_reviews.models import Kind, Outcome, Review, ReviewRequest
from care_reviews.services.due import State, due_list
from portal.audit.models import AuditEvent
from tests.factories import DiagnosisFactory, PatientFactory
from tests.hna.test_care_plans import locked_plan
from tests.hna.test_plan_signposting import library_entries  # noqa: F401 (a fixture)
from tests.pdf_text import pdf_text
from tests.treatment_summaries.factories import make_version

pytestmark = pytest.mark.django_db


def diagnosis_of(patient, months_ago=8):
    return DiagnosisFactory(patient=patient, date_of_diagnosis=timezone.localdate() - relativedelta(months=months_ago))


def url(diagnosis, kind="review"):
    return f"/care-reviews/diagnoses/{diagnosis.pk}/{kind}/"


def date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def posted(today=None, **changes):
    today = today or timezone.localdate()
    data = {
        "outcome": "completed", "mode": "phone", "experience": "Tired but coping & <working> part time",
        "concerns_financial": "Off work, worried about money", "medication_reviewed": "on",
        "consequences_discussed": "on", "signposting": "Our own note on rest",
        "action_1": "Refer to benefits advice", "owner_1": "Practice social prescriber",
        "getting_back_in": "Ring the practice; out of hours NHS 111",
        **date_fields("reviewed_on", today), **date_fields("next_review", today + relativedelta(months=6)),
    }  # fmt: skip
    return data | changes


def test_a_gp_records_a_review_with_signposting_and_the_patient_gets_their_summary(client, cast, library_entries):  # noqa: F811
    leaflet, benefits, service = library_entries
    diagnosis = diagnosis_of(cast.patient)
    ReviewRequest.objects.create(patient=cast.patient, practice=cast.practice_a, what_about="Money")
    client.force_login(cast.gp_a)
    form = client.get(url(diagnosis)).content.decode()
    assert "Medication review done" in form and "Living with fatigue" in form and "Energy clinic" in form
    assert "What the hospital has shared" in form
    picks = [f"resource:{leaflet.pk}", f"service:{service.pk}"]
    response = client.post(url(diagnosis), posted(signposted=picks))
    review = Review.objects.get(diagnosis=diagnosis, kind=Kind.REVIEW)
    assert response.status_code == 302 and response["Location"] == f"/care-reviews/reviews/{review.pk}/"
    assert review.outcome == Outcome.COMPLETED and review.medication_reviewed
    assert not review.recurrence_symptoms_discussed
    lines = review.signposting.splitlines()
    picked = ["Living with fatigue: https://example.org/fatigue", "Energy clinic: 0300 000 0001"]
    assert lines == ["Our own note on rest", *picked]
    agreed = [(a.action, a.owner) for a in review.actions.all()]
    assert agreed == [("Refer to benefits advice", "Practice social prescriber")]
    assert ReviewRequest.objects.get(patient=cast.patient).closed_at is not None
    row = next(r for r in due_list(cast.gp_a).rows if r.diagnosis == diagnosis)
    assert row.review.state == State.DONE
    # The patient: My care lists it, the page and the PDF say what was discussed.
    client.force_login(cast.patient_user)
    assert f"/care-reviews/reviews/{review.pk}/" in client.get("/care-reviews/mine/").content.decode()
    page = client.get(f"/care-reviews/reviews/{review.pk}/").content.decode()
    assert "Living with fatigue: https://example.org/fatigue<br>" in page and "summary.pdf" in page
    assert "&lt;working&gt;" in page  # typed markup is text
    pdf = client.get(f"/care-reviews/reviews/{review.pk}/summary.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Tired but coping & <working> part time" in text and "Energy clinic: 0300 000 0001" in text
    assert "Refer to benefits advice (Practice social prescriber)" in text
    logged = AuditEvent.objects.filter(action="view", object_id=str(review.pk), actor=cast.patient_user)
    assert logged.count() == 3  # the list, the page, the PDF


def test_the_early_contact_form_is_shorter(client, cast):
    diagnosis = diagnosis_of(cast.patient, months_ago=1)
    client.force_login(cast.gp_a)
    form = client.get(url(diagnosis, "early-contact")).content.decode()
    assert "Early contact" in form and "Physical concerns" in form
    assert "Medication review done" not in form and "Next review" not in form
    response = client.post(url(diagnosis, "early-contact"), posted(medication_reviewed="on"))
    assert response.status_code == 302
    early = Review.objects.get(diagnosis=diagnosis)
    assert early.kind == Kind.EARLY_CONTACT and not early.medication_reviewed and early.next_review is None


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"reviewed_on_year": 2099}, "The date of the review must be today or in the past"),
        ({"reviewed_on_year": 2001}, "The date of the review must be on or after the diagnosis"),
        ({"owner_1": ""}, "Enter who will do action 1"),
        ({"mode": ""}, "Choose how the review was done"),
        ({"outcome": "declined"}, "Enter why the review was not done"),
        ({"reviewed_on_month": 13}, "Date must be a real date"),
    ],
)
def test_bad_input_says_what_is_wrong_and_keeps_what_was_typed(client, cast, changes, words):
    diagnosis = diagnosis_of(cast.patient)
    client.force_login(cast.gp_a)
    response = client.post(url(diagnosis), posted(**changes))
    page = response.content.decode()
    assert response.status_code == 400 and words in page, page
    assert "There is a problem" in page and "Tired but coping &amp; &lt;working&gt; part time" in page
    assert "Refer to benefits advice" in page and not Review.objects.exists()


def test_every_problem_is_named_at_once(client, cast):
    diagnosis = diagnosis_of(cast.patient)
    client.force_login(cast.gp_a)
    page = client.post(url(diagnosis), posted(reviewed_on_year=2099, owner_1="", mode="")).content.decode()
    for words in ("must be today or in the past", "Enter who will do action 1", "Choose how the review was done"):
        assert words in page, words


def test_completing_twice_is_refused_and_declined_keeps_its_reason(client, cast):
    diagnosis = diagnosis_of(cast.patient)
    client.force_login(cast.gp_a)
    assert client.post(url(diagnosis), posted()).status_code == 302
    again = client.post(url(diagnosis), posted())
    assert again.status_code == 400 and "A completed cancer care review is already recorded" in again.content.decode()
    other = diagnosis_of(PatientFactory(registered_practice=cast.practice_a))
    declined = client.post(url(other), posted(outcome="not_contactable", reason="Three calls, no answer"))
    assert declined.status_code == 302
    saved = Review.objects.get(diagnosis=other)
    assert saved.reason == "Three calls, no answer" and saved.experience == "" and not saved.actions.exists()


def test_another_practice_and_other_roles_get_404(client, cast):
    diagnosis = diagnosis_of(cast.patient)
    for who in (cast.gp_b, cast.cns_a, cast.patient_user, cast.admin):
        client.force_login(who)
        assert client.get(url(diagnosis)).status_code == 404, who
        assert client.post(url(diagnosis), posted()).status_code == 404, who
    client.force_login(cast.gp_a)
    assert client.get(url(diagnosis, "something-else")).status_code == 404
    assert not Review.objects.exists()


def test_beside_the_form_the_summary_and_only_a_shared_care_plan(client, cast):
    diagnosis = diagnosis_of(cast.patient)
    make_version(cast, "sent")
    hidden = locked_plan(cast, shared=False)
    client.force_login(cast.gp_a)
    page = client.get(url(diagnosis)).content.decode()
    assert "End of treatment summary, version 1" in page
    assert "No care and support plans shared with your practice." in page and f"/hna/plans/{hidden.pk}/" not in page
    shared = locked_plan(cast, shared=True)
    page = client.get(url(diagnosis)).content.decode()
    assert f"/hna/plans/{shared.pk}/" in page and "Concerns: " in page
    logged = AuditEvent.objects.filter(actor=cast.gp_a, action="view", object_id=str(shared.pk))
    assert logged.exists()


def test_the_due_list_links_each_step_to_its_form_or_its_review(client, cast):
    due = diagnosis_of(cast.patient)
    client.force_login(cast.gp_a)
    page = client.get("/care-reviews/").content.decode()
    assert url(due) in page and url(due, "early-contact") in page
    client.post(url(due), posted())
    review = Review.objects.get(diagnosis=due)
    page = client.get("/care-reviews/").content.decode()
    assert f"/care-reviews/reviews/{review.pk}/" in page and url(due) not in page
    assert datetime.date.today() >= due.date_of_diagnosis
