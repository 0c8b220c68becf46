"""The treatment summary demo stages seed_demo makes (treatment_summaries/demo.py): each patient's
summary in the state its stage names, made the way the pages make it."""

import hashlib

import pytest

from portal.outbox.models import Notification
from portal.people.demo import demo_email, demo_nhs_number
from portal.people.models import Patient, User
from treatment_summaries import demo
from treatment_summaries.models import PatientCopy, SummaryVersion
from treatment_summaries.services import inbox, summaries

pytestmark = pytest.mark.django_db


def user(local) -> User:
    return User.objects.get(email=demo_email(local))


def only_version(index) -> SummaryVersion:
    """The one version of the one summary of demo patient `index`."""
    patient = Patient.objects.get(nhs_number=demo_nhs_number(index))
    (summary,) = patient.treatment_summaries.all()
    (version,) = summary.versions.all()
    return version


def test_draft_is_started_from_the_diagnosis_and_not_ready_to_sign_off(seeded_demo):
    version = only_version(demo.DRAFT)
    assert version.status == SummaryVersion.Status.DRAFT
    assert version.summary.diagnosis is not None
    assert version.summary.started_by == user(demo.CNS)
    assert version.treatments.count() == 1
    assert summaries.missing_for_sign_off(version)  # there is still something to write


def test_signed_off_summary_has_its_pdf_and_is_not_sent(seeded_demo):
    version = only_version(demo.SIGNED_OFF)
    assert version.status == SummaryVersion.Status.SIGNED_OFF
    assert version.signed_off_by == user(demo.CLINICIAN)
    pdf = bytes(version.pdf)
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == version.pdf_sha256
    assert [a.text for a in version.gp_actions.order_by("position")] == demo.GP_ACTIONS
    assert version.treatments.count() == 3 and version.side_effects.count() == len(demo.SIDE_EFFECTS)
    assert not version.practice_deliveries.exists()


def test_sent_summary_waits_unopened_in_the_practice_inbox_and_the_patient_copy_is_a_letter(seeded_demo):
    version = only_version(demo.SENT)
    assert version.status == SummaryVersion.Status.SENT
    (delivery,) = version.practice_deliveries.all()
    assert (delivery.practice.name, delivery.state) == ("Millbrook Surgery", "new")
    # As in real use, the practice was emailed that it has a summary waiting.
    assert Notification.objects.filter(idempotency_key=f"eots-practice:{version.pk}").get().recipient == (
        delivery.practice.email
    )
    assert version.patient_copy.channel == PatientCopy.Channel.LETTER  # on the team's letters page


def test_read_summary_was_opened_by_the_gp_and_not_acknowledged(seeded_demo):
    (delivery,) = only_version(demo.READ).practice_deliveries.all()
    assert delivery.state == "read"
    assert delivery.first_read_by == user(demo.GP)


def test_acknowledged_summary_has_every_gp_action_answered(seeded_demo):
    version = only_version(demo.ACKNOWLEDGED)
    (delivery,) = version.practice_deliveries.all()
    assert delivery.state == "acknowledged"
    assert delivery.acknowledged_by == user(demo.GP)
    actions = list(version.gp_actions.order_by("position"))
    latest = inbox.latest_responses(actions)
    assert [(latest[a.pk].status, latest[a.pk].note) for a in actions] == demo.ANSWERS
    # The patient with an account reads it in My care.
    assert SummaryVersion.objects.visible_to(version.summary.patient.user).filter(pk=version.pk).exists()
