"""The treatment summary demo stages seed_demo makes (treatment_summaries/demo.py): each patient's
summary in the state its stage names, made the way the pages make it."""

import hashlib

import pytest

from portal.outbox.models import Notification
from portal.people.demo import demo_email, demo_nhs_number
from portal.people.models import Patient, User
from tests.people.test_demo_pages import sign_in
from treatment_summaries import demo
from treatment_summaries.models import PatientCopy, SignOffBy, SummaryVersion, sign_off_setting
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
    assert [(a.option.code if a.option else None, a.text) for a in version.gp_actions.order_by("position")] == [
        ("medication", f"Medication: {demo.GP_ACTIONS[0][1]}"),
        ("bone-health", f"Bone health: {demo.GP_ACTIONS[1][1]}"),
        (None, demo.GP_ACTIONS[2][1]),
    ]  # chosen from the prompts, the details beside them
    assert version.signed_off_role == "clinician"
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


def staff_page(client, url) -> str:
    """The page as the demo CNS reads it (signed in with an authenticator app, as staff must be)."""
    sign_in(client, demo.CNS)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_demo_trust_lets_a_cns_sign_off_and_one_summary_shows_it(seeded_demo, client):
    version = only_version(demo.CNS_SIGNED)
    assert sign_off_setting(version.summary.team.organisation_id) == SignOffBy.CLINICIAN_OR_CNS
    assert (version.status, version.signed_off_by, version.signed_off_role) == ("sent", user(demo.CNS), "cns")
    # Kept at sign-off: the mammograms of the pathway the follow-up demo put this patient on.
    plan = version.surveillance_plan
    assert plan["pathway"].startswith("Professional-led follow-up") and [r["code"] for r in plan["rows"]] == [
        "MAMMOGRAM"
    ]
    page = staff_page(client, f"/treatment-summaries/{version.summary_id}/")
    assert f"by {user(demo.CNS).get_full_name()}, clinical nurse specialist" in page
    assert "Follow-up and surveillance tests" in page and "Mammogram: yearly, next due" in page


def test_the_draft_says_no_pathway_is_set_yet(seeded_demo, client):
    version = only_version(demo.DRAFT)
    page = staff_page(client, f"/treatment-summaries/{version.summary_id}/")
    assert "No follow-up pathway is set for this patient yet" in page


def test_the_palliative_summary_tells_the_gp_of_the_support(seeded_demo):
    version = only_version(demo.PALLIATIVE)
    assert (version.status, version.treatment_aim, version.follow_up_pathway) == ("sent", "palliative", "palliative")
    assert (version.benefits_form, version.prescription_exemption, version.supportive_care_register) == (
        "sr1",
        "given",
        True,
    )
    assert version.benefits_form_date is not None
    assert {a.option.code for a in version.gp_actions.all()} == {"supportive-care-register", "benefits", "bone-health"}
    (delivery,) = version.practice_deliveries.all()
    assert delivery.practice.name == "Hillside Medical Practice"
