"""Treatment summary services: drafting, sign-off, sending and amending, and their bad input."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from portal.audit.models import Action, AuditEvent
from portal.outbox.models import Notification
from portal.people.models import Patient, Role
from tests.factories import DiagnosisFactory, PatientFactory, RoleAssignmentFactory, UserFactory
from tests.treatment_summaries.factories import (
    COMPLETE,
    FAKE_PDF,
    clinician,
    complete_draft,
    fresh,
    sent,
    signed_off,
)
from treatment_summaries.models import (
    GPAction,
    PatientCopy,
    PracticeDelivery,
    SideEffectOption,
    SummaryVersion,
    Treatment,
)
from treatment_summaries.services import summaries
from treatment_summaries.services.summaries import StaleEdit, VersionLocked

pytestmark = pytest.mark.django_db

# Drafting


def test_start_prefills_from_the_diagnosis_and_the_team(cast):
    cast.team_a.out_of_hours_phone = "0113 496 0999"
    cast.team_a.save()
    diagnosis = DiagnosisFactory(patient=cast.patient, treatment_intent="curative")
    version = summaries.start(actor=cast.cns_a, patient=cast.patient, diagnosis=diagnosis)
    assert (version.status, version.number) == ("draft", 1)
    assert version.summary.team == cast.team_a and version.summary.diagnosis == diagnosis
    assert version.diagnosis_text == "Breast cancer (C50.9)"
    assert version.date_of_diagnosis == diagnosis.date_of_diagnosis
    assert version.treatment_aim == "curative"
    assert cast.team_a.name in version.contacts_in_hours and cast.team_a.phone in version.contacts_in_hours
    assert cast.team_a.email in version.contacts_in_hours
    assert version.contacts_out_of_hours == "0113 496 0999"
    assert version.cns_name == cast.cns_a.get_full_name() and version.responsible_clinician == ""


def test_start_by_a_clinician_names_them_responsible(cast):
    doctor = clinician(cast)
    version = summaries.start(actor=doctor, patient=cast.patient)
    assert version.responsible_clinician == doctor.get_full_name() and version.cns_name == ""


def test_only_the_patients_care_team_can_start(cast):
    for outsider in (cast.cns_b, cast.gp_a, cast.admin, cast.patient_user):
        with pytest.raises(PermissionDenied):
            summaries.start(actor=outsider, patient=cast.patient)
    support = UserFactory(email="support.a@example.com")
    RoleAssignmentFactory(user=support, role=Role.SUPPORT_WORKER, organisation=cast.trust, team=cast.team_a)
    with pytest.raises(PermissionDenied):
        summaries.start(actor=support, patient=cast.patient)
    assert not SummaryVersion.objects.exists()


def test_start_refuses_another_patients_diagnosis(cast):
    other = DiagnosisFactory(patient=PatientFactory(care_teams=[cast.team_a]))
    with pytest.raises(ValidationError) as caught:
        summaries.start(actor=cast.cns_a, patient=cast.patient, diagnosis=other)
    assert "diagnosis" in caught.value.message_dict
    assert not SummaryVersion.objects.exists()


def test_update_saves_and_bumps_the_lock_version(cast):
    version = summaries.start(actor=cast.cns_a, patient=cast.patient)
    saved = summaries.update(actor=cast.cns_a, version=version, seen_lock_version=0, t_stage="T2", n_stage="N0")
    assert (fresh(saved).t_stage, fresh(saved).n_stage, fresh(saved).lock_version) == ("T2", "N0", 1)


def test_update_with_a_stale_lock_version_saves_nothing(cast):
    version = summaries.start(actor=cast.cns_a, patient=cast.patient)
    summaries.update(actor=cast.cns_a, version=version, seen_lock_version=0, t_stage="T2")
    with pytest.raises(StaleEdit):
        summaries.update(actor=cast.cns_a, version=version, seen_lock_version=0, t_stage="T4", m_stage="M1")
    assert (fresh(version).t_stage, fresh(version).m_stage, fresh(version).lock_version) == ("T2", "", 1)


def test_update_refuses_unknown_fields_and_bad_choices(cast):
    version = summaries.start(actor=cast.cns_a, patient=cast.patient)
    with pytest.raises(ValueError, match="status"):
        summaries.update(actor=cast.cns_a, version=version, seen_lock_version=0, status="sent")
    with pytest.raises(ValidationError):
        summaries.update(actor=cast.cns_a, version=version, seen_lock_version=0, treatment_aim="miracle")
    assert fresh(version).treatment_aim == "" and fresh(version).status == "draft"


def test_another_team_cannot_edit(cast):
    version = summaries.start(actor=cast.cns_a, patient=cast.patient)
    with pytest.raises(PermissionDenied):
        summaries.update(actor=cast.cns_b, version=version, seen_lock_version=0, t_stage="T1")
    assert fresh(version).t_stage == ""


def test_treatments_end_dates_before_start_dates_are_refused(cast):
    version = summaries.start(actor=cast.cns_a, patient=cast.patient)
    with pytest.raises(ValidationError) as caught:
        summaries.add_treatment(
            actor=cast.cns_a,
            version=version,
            seen_lock_version=0,
            treatment_type="chemotherapy",
            description="FEC-T",
            start_date=datetime.date(2025, 5, 1),
            end_date=datetime.date(2025, 4, 30),
        )
    assert "end_date" in caught.value.message_dict
    assert not Treatment.objects.exists()
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Treatment.objects.create(
            version=version,
            treatment_type="chemotherapy",
            description="FEC-T",
            start_date=datetime.date(2025, 5, 1),
            end_date=datetime.date(2025, 4, 30),
        )


def test_several_treatments_and_removing_one(cast):
    version = summaries.start(actor=cast.cns_a, patient=cast.patient)
    first = summaries.add_treatment(
        actor=cast.cns_a,
        version=version,
        seen_lock_version=0,
        treatment_type="surgery",
        description="Mastectomy",
        start_date=datetime.date(2025, 4, 1),
        end_date=datetime.date(2025, 4, 1),
    )
    summaries.add_treatment(
        actor=cast.cns_a,
        version=version,
        seen_lock_version=1,
        treatment_type="radiotherapy",
        description="40 Gy in 15 fractions",
        start_date=datetime.date(2025, 5, 1),
    )
    assert [t.position for t in version.treatments.all()] == [0, 1]
    summaries.remove_treatment(actor=cast.cns_a, treatment=first)
    assert [t.description for t in version.treatments.all()] == ["40 Gy in 15 fractions"]
    assert fresh(version).lock_version == 3


def test_gp_actions_are_added_in_order_and_removed(cast):
    version = summaries.start(actor=cast.cns_a, patient=cast.patient)
    texts = ["Check PSA every 6 months", "Add to the supportive care register", "Review bone health"]
    made = []
    for n, text in enumerate(texts):
        made.append(summaries.add_gp_action(actor=cast.cns_a, version=version, seen_lock_version=n, text=f" {text} "))
    assert [a.text for a in version.gp_actions.all()] == texts
    summaries.remove_gp_action(actor=cast.cns_a, action=made[1])
    assert [a.text for a in version.gp_actions.all()] == [texts[0], texts[2]]
    with pytest.raises(ValidationError):
        summaries.add_gp_action(actor=cast.cns_a, version=version, seen_lock_version=4, text="   ")
    with pytest.raises(StaleEdit):
        summaries.add_gp_action(actor=cast.cns_a, version=version, seen_lock_version=0, text="Late")
    assert version.gp_actions.count() == 2


def test_side_effects_tick_list(cast):
    version = summaries.start(actor=cast.cns_a, patient=cast.patient)
    options = list(SideEffectOption.objects.filter(treatment_type="radiotherapy")[:2])
    assert len(options) == 2  # loaded as data
    summaries.set_side_effects(
        actor=cast.cns_a, version=version, seen_lock_version=0, option_ids=[o.pk for o in options]
    )
    assert set(fresh(version).side_effects.all()) == set(options)
    assert fresh(version).lock_version == 1


# Sign-off


def test_missing_for_sign_off_lists_each_missing_field(cast):
    version = summaries.start(actor=cast.cns_a, patient=cast.patient)
    missing = dict(summaries.missing_for_sign_off(version))
    expected = {name for name, _ in summaries.REQUIRED_FOR_SIGN_OFF} - {"contacts_in_hours"}  # prefilled
    assert set(missing) == expected | {"treatments", "patient_has_copy"}
    assert missing["red_flags"] == "Enter the red-flag symptoms that need referral back"
    assert summaries.missing_for_sign_off(complete_draft(cast, patient=PatientFactory(care_teams=[cast.team_a]))) == []


def test_a_cns_cannot_sign_off(cast):
    version = complete_draft(cast)
    with pytest.raises(PermissionDenied):
        summaries.sign_off(actor=cast.cns_a, version=version, render_pdf=lambda v: FAKE_PDF)
    assert fresh(version).status == "draft" and fresh(version).pdf is None


def test_a_clinician_of_another_team_cannot_sign_off(cast):
    other = clinician(cast, team=cast.team_b, email="clinician.b@example.com")
    version = complete_draft(cast)
    with pytest.raises(PermissionDenied):
        summaries.sign_off(actor=other, version=version, render_pdf=lambda v: FAKE_PDF)
    assert fresh(version).status == "draft"


def test_a_clinician_signs_off_and_the_pdf_is_stored_with_its_hash(cast):
    doctor = clinician(cast)
    version = complete_draft(cast)
    rendered = []

    def render(v):
        rendered.append(v.status)
        return FAKE_PDF

    summaries.sign_off(actor=doctor, version=version, render_pdf=render)
    version = fresh(version)
    assert rendered == ["signed_off"]  # rendered once, as the signed-off version
    assert version.status == "signed_off"
    assert bytes(version.pdf) == FAKE_PDF
    assert version.pdf_sha256 == hashlib.sha256(FAKE_PDF).hexdigest()
    assert version.signed_off_by == doctor
    assert abs(version.signed_off_at - timezone.now()) < datetime.timedelta(minutes=1)


def test_sign_off_with_missing_fields_lists_them_and_keeps_the_draft(cast):
    doctor = clinician(cast)
    version = summaries.start(actor=cast.cns_a, patient=cast.patient)
    version = summaries.update(
        actor=cast.cns_a, version=version, seen_lock_version=0, diagnosis_text="Breast cancer", red_flags=""
    )
    with pytest.raises(ValidationError) as caught:
        summaries.sign_off(actor=doctor, version=version, render_pdf=lambda v: FAKE_PDF)
    errors = caught.value.message_dict
    assert {"red_flags", "treatment_aim", "treatments", "patient_has_copy", "follow_up_pathway"} <= set(errors)
    assert "diagnosis_text" not in errors
    assert errors["treatments"] == ["Add at least one treatment given, with its dates"]
    version = fresh(version)
    assert version.status == "draft" and version.pdf is None and version.signed_off_at is None
    assert version.diagnosis_text == "Breast cancer"


def test_the_database_refuses_a_signed_off_row_without_a_hash(cast):
    doctor = clinician(cast)
    version = complete_draft(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        SummaryVersion.objects.filter(pk=version.pk).update(
            status="signed_off", signed_off_at=timezone.now(), signed_off_by=doctor, pdf_sha256=""
        )
    signed = summaries.sign_off(actor=doctor, version=version, render_pdf=lambda v: FAKE_PDF)
    # Now the frozen-version trigger (migration 0003) refuses it even before the check constraint.
    with pytest.raises(DatabaseError), transaction.atomic():
        SummaryVersion.objects.filter(pk=signed.pk).update(pdf_sha256="")


def test_every_edit_of_a_signed_off_version_is_refused(cast):
    version = signed_off(cast, gp_actions=["Check PSA"])
    treatment, action = Treatment.objects.get(version=version), GPAction.objects.get(version=version)
    lock = version.lock_version
    attempts = [
        lambda: summaries.update(actor=cast.cns_a, version=version, seen_lock_version=lock, t_stage="T1"),
        lambda: summaries.set_side_effects(actor=cast.cns_a, version=version, seen_lock_version=lock, option_ids=[]),
        lambda: summaries.add_treatment(
            actor=cast.cns_a,
            version=version,
            seen_lock_version=lock,
            treatment_type="other",
            description="x",
            start_date=datetime.date(2025, 1, 1),
        ),
        lambda: summaries.remove_treatment(actor=cast.cns_a, treatment=treatment),
        lambda: summaries.add_gp_action(actor=cast.cns_a, version=version, seen_lock_version=lock, text="More"),
        lambda: summaries.remove_gp_action(actor=cast.cns_a, action=action),
        lambda: summaries.sign_off(actor=version.signed_off_by, version=version, render_pdf=lambda v: b"other"),
    ]
    for attempt in attempts:
        with pytest.raises(VersionLocked):
            attempt()
    after = fresh(version)
    assert after.t_stage == "" and bytes(after.pdf) == FAKE_PDF
    assert Treatment.objects.filter(version=version).count() == 1 and version.gp_actions.count() == 1


# Sending


def test_send_to_the_practice_and_the_patient_by_email(cast):
    cast.practice_a.email = "practice.a@example.com"
    cast.practice_a.save()
    version = sent(cast)
    assert version.status == "sent" and version.sent_at is not None
    delivery = PracticeDelivery.objects.get(version=version)
    assert delivery.practice == cast.practice_a and delivery.state == "new"
    assert PatientCopy.objects.get(version=version).channel == "email"
    practice_note = Notification.objects.get(idempotency_key=f"eots-practice:{version.pk}")
    assert (practice_note.recipient, practice_note.channel) == ("practice.a@example.com", "email")
    assert practice_note.template == "treatment_summaries.practice"
    patient_note = Notification.objects.get(idempotency_key=f"eots-patient:{version.pk}")
    assert (patient_note.recipient, patient_note.channel) == (cast.patient.email, "email")
    assert patient_note.patient == cast.patient and not patient_note.context["amended"]


def test_no_practice_email_no_practice_notification(cast):
    version = sent(cast)
    assert PracticeDelivery.objects.filter(version=version, practice=cast.practice_a).exists()
    assert not Notification.objects.filter(idempotency_key=f"eots-practice:{version.pk}").exists()


@pytest.mark.parametrize(
    ("preference", "patient_fields", "channel", "notified"),
    [
        (Patient.Contact.EMAIL, {}, "email", True),
        (Patient.Contact.SMS, {"mobile": "07700900123"}, "sms", True),
        (Patient.Contact.POST, {}, "letter", False),
        (Patient.Contact.EMAIL, {"email": ""}, "letter", False),
        (Patient.Contact.SMS, {"mobile": ""}, "letter", False),
    ],
)
def test_the_patients_copy_goes_by_their_preference(cast, preference, patient_fields, channel, notified):
    patient = PatientFactory(
        care_teams=[cast.team_a], registered_practice=cast.practice_a, preferred_contact=preference, **patient_fields
    )
    version = sent(cast, patient=patient)
    assert PatientCopy.objects.get(version=version).channel == channel
    note = Notification.objects.filter(idempotency_key=f"eots-patient:{version.pk}").first()
    assert (note is not None) == notified
    if notified:
        assert note.channel == channel
        assert note.recipient == (patient.email if channel == "email" else patient.mobile)


def test_a_draft_cannot_be_sent_and_a_second_send_is_refused(cast):
    draft = complete_draft(cast)
    with pytest.raises(ValidationError):
        summaries.send(actor=cast.cns_a, version=draft)
    version = sent(cast, patient=PatientFactory(care_teams=[cast.team_a]))
    with pytest.raises(ValidationError):
        summaries.send(actor=cast.cns_a, version=version)
    assert PracticeDelivery.objects.filter(version=version).count() == 1
    assert Notification.objects.filter(idempotency_key=f"eots-patient:{version.pk}").count() == 1


def test_another_team_cannot_send(cast):
    version = signed_off(cast)
    with pytest.raises(PermissionDenied):
        summaries.send(actor=cast.cns_b, version=version)
    assert fresh(version).status == "signed_off" and not PracticeDelivery.objects.exists()


# Amending


def test_amend_needs_a_reason_and_only_of_the_sent_version(cast):
    version = sent(cast)
    for reason in ("", "   ", None):
        with pytest.raises(ValidationError):
            summaries.amend(actor=cast.cns_a, version=version, reason=reason)
    with pytest.raises(ValidationError):
        summaries.amend(
            actor=cast.cns_a, version=complete_draft(cast, patient=PatientFactory(care_teams=[cast.team_a])), reason="x"
        )
    with pytest.raises(PermissionDenied):
        summaries.amend(actor=cast.cns_b, version=version, reason="Wrong date")
    assert SummaryVersion.objects.filter(summary=version.summary).count() == 1


def test_amend_copies_everything_into_a_new_draft(cast):
    options = list(SideEffectOption.objects.filter(treatment_type="surgery")[:2])
    version = sent(cast, t_stage="T2", side_effects=[o.pk for o in options], gp_actions=["Check wound", "Bone health"])
    draft = summaries.amend(actor=cast.cns_a, version=version, reason=" The stage was wrong ")
    assert (draft.status, draft.number, draft.amendment_reason, draft.is_amendment) == (
        "draft",
        2,
        "The stage was wrong",
        True,
    )
    assert draft.t_stage == "T2" and draft.red_flags == COMPLETE["red_flags"] and draft.patient_has_copy is True
    assert [t.description for t in draft.treatments.all()] == ["Wide local excision"]
    assert [a.text for a in draft.gp_actions.all()] == ["Check wound", "Bone health"]
    assert set(draft.side_effects.all()) == set(options)
    assert draft.pdf is None and draft.pdf_sha256 == "" and draft.signed_off_at is None
    assert fresh(version).status == "sent"  # until the amendment is sent


def test_a_second_amend_returns_the_open_draft(cast):
    version = sent(cast)
    first = summaries.amend(actor=cast.cns_a, version=version, reason="Wrong date")
    again = summaries.amend(actor=cast.cns_a, version=version, reason="Something else")
    assert again.pk == first.pk and SummaryVersion.objects.filter(summary=version.summary).count() == 2


def test_sending_the_amendment_supersedes_the_old_version_which_keeps_its_pdf(cast):
    cast.practice_a.email = "practice.a@example.com"
    cast.practice_a.save()
    doctor = clinician(cast)
    v1 = sent(cast, doctor=doctor)
    v1_hash = v1.pdf_sha256
    draft = summaries.amend(actor=doctor, version=v1, reason="Wrong date of diagnosis")
    summaries.update(
        actor=doctor, version=draft, seen_lock_version=draft.lock_version, date_of_diagnosis=datetime.date(2025, 2, 1)
    )
    v2 = summaries.sign_off(actor=doctor, version=draft, render_pdf=lambda v: b"%PDF-1.4 amended")
    v2 = summaries.send(actor=doctor, version=v2)
    v1 = fresh(v1)
    assert v1.status == "superseded" and bytes(v1.pdf) == FAKE_PDF and v1.pdf_sha256 == v1_hash
    assert v1.date_of_diagnosis == datetime.date(2025, 3, 1)
    assert v2.status == "sent" and v2.number == 2
    assert fresh(v2).pdf_sha256 == hashlib.sha256(b"%PDF-1.4 amended").hexdigest()
    assert PracticeDelivery.objects.filter(version=v2, practice=cast.practice_a).exists()
    assert PracticeDelivery.objects.filter(version=v1).exists()  # the old delivery stays, readable
    practice_note = Notification.objects.get(idempotency_key=f"eots-practice:{v2.pk}")
    patient_note = Notification.objects.get(idempotency_key=f"eots-patient:{v2.pk}")
    assert practice_note.context["amended"] and patient_note.context["amended"]
    # Nothing is ever lost: both versions are still there.
    assert list(SummaryVersion.objects.filter(summary=v1.summary).values_list("number", flat=True)) == [2, 1]


def test_amendment_sign_off_needs_its_reason(cast):
    """The database will not hold an amendment without a reason."""
    version = sent(cast)
    draft = summaries.amend(actor=cast.cns_a, version=version, reason="Wrong date")
    with pytest.raises(IntegrityError), transaction.atomic():
        SummaryVersion.objects.filter(pk=draft.pk).update(amendment_reason="")


# Audit


def test_create_update_sign_off_and_send_are_audited(cast):
    doctor = clinician(cast)
    version = summaries.start(actor=cast.cns_a, patient=cast.patient)
    events = AuditEvent.objects.filter(object_type="treatment_summaries.summaryversion", object_id=str(version.pk))
    assert events.filter(action=Action.CREATE, actor=cast.cns_a, patient=cast.patient).count() == 1
    summaries.update(actor=cast.cns_a, version=version, seen_lock_version=0, t_stage="T1")
    assert events.filter(action=Action.UPDATE, actor=cast.cns_a).count() == 1
    version = complete_draft(cast, patient=PatientFactory(care_teams=[cast.team_a]))
    summaries.sign_off(actor=doctor, version=version, render_pdf=lambda v: FAKE_PDF)
    summaries.send(actor=doctor, version=version)
    later = AuditEvent.objects.filter(object_id=str(version.pk), actor=doctor, action=Action.UPDATE)
    assert later.count() == 2
