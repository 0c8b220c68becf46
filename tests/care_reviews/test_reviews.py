"""Recording a review (issue 14 items 2 and 3, and its bad input): completed with actions, declined
or not contactable with a reason; a date before the diagnosis or in the future, a patient of another
practice, completing twice: each refused in words naming the field, nothing written. A completed
review closes the patient's request; the patient asks once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from care_reviews.models import Kind, Outcome, Review, ReviewRequest
from care_reviews.services.reviews import ask_for_review, record_review
from portal.audit.models import AuditEvent
from tests.care_reviews.test_due import diagnosed

pytestmark = pytest.mark.django_db


def done(cast, diagnosis, **changes):
    fields = {
        "actor": cast.gp_a, "diagnosis": diagnosis, "kind": Kind.REVIEW, "outcome": Outcome.COMPLETED,
        "reviewed_on": timezone.localdate(), "mode": "phone", "experience": "Tired but coping",
        "concerns_financial": "Off work, worried about money", "medication_reviewed": True,
        "actions": [("Refer to benefits advice", "Practice social prescriber")],
    }  # fmt: skip
    return record_review(**(fields | changes))


def refused(cast, diagnosis, field, words, **changes):
    with pytest.raises(ValidationError) as error:
        done(cast, diagnosis, **changes)
    assert words in " ".join(error.value.message_dict[field]), error.value.message_dict
    assert not Review.objects.filter(diagnosis=diagnosis).exists()


def test_a_completed_review_with_its_actions_closes_the_request(cast):
    diagnosis = diagnosed(cast, 7)
    ReviewRequest.objects.create(patient=diagnosis.patient, practice=cast.practice_a)
    review = done(cast, diagnosis)
    assert review.practice == cast.practice_a and list(review.actions.values_list("owner", flat=True)) == [
        "Practice social prescriber"
    ]
    assert ReviewRequest.objects.get(patient=diagnosis.patient).review == review
    assert AuditEvent.objects.filter(action="create", object_id=str(review.pk), patient=diagnosis.patient).exists()


def test_bad_input_each_names_its_field(cast):
    diagnosis = diagnosed(cast, 7)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    refused(cast, diagnosis, "reviewed_on", "today or in the past", reviewed_on=tomorrow)
    before = diagnosis.date_of_diagnosis - datetime.timedelta(days=1)
    refused(cast, diagnosis, "reviewed_on", "on or after the diagnosis", reviewed_on=before)
    refused(cast, diagnosis, "mode", "face to face, phone or video", mode="")
    refused(cast, diagnosis, "reason", "why the review was not done", outcome=Outcome.DECLINED)
    refused(cast, diagnosis, "actions", "who will do action 1", actions=[("Blood test", "")])
    refused(cast, diagnosis, "next_review", "after this one", next_review=timezone.localdate())


def test_completing_twice_is_refused(cast):
    diagnosis = diagnosed(cast, 7)
    done(cast, diagnosis)
    with pytest.raises(ValidationError) as error:
        done(cast, diagnosis)
    assert "already recorded" in error.value.message_dict["kind"][0]
    assert Review.objects.filter(diagnosis=diagnosis).count() == 1
    done(cast, diagnosis, kind=Kind.EARLY_CONTACT, reviewed_on=diagnosis.date_of_diagnosis)  # the other kind is fine


def test_declined_keeps_the_reason_and_nothing_else(cast):
    diagnosis = diagnosed(cast, 7)
    review = done(cast, diagnosis, outcome=Outcome.DECLINED, reason="Prefers to wait until after surgery")
    assert review.reason.startswith("Prefers") and review.experience == "" and not review.medication_reviewed


def test_another_practice_and_other_roles_are_refused(cast):
    theirs = diagnosed(cast, 7, practice=cast.practice_b)
    with pytest.raises(PermissionDenied, match="not registered at your practice"):
        done(cast, theirs)
    ours = diagnosed(cast, 7)
    for who in (cast.cns_a, cast.admin, cast.patient_user):
        with pytest.raises((ValidationError, PermissionDenied)):
            done(cast, ours, actor=who)
    assert not Review.objects.exists()


def test_a_patient_asks_once(cast):
    first = ask_for_review(actor=cast.patient_user, patient=cast.patient, what_about="Trouble sleeping")
    again = ask_for_review(actor=cast.patient_user, patient=cast.patient)
    assert first == again and ReviewRequest.objects.count() == 1 and first.practice == cast.practice_a
    with pytest.raises(PermissionDenied):
        ask_for_review(actor=cast.gp_b, patient=cast.patient)
