"""Treatment summary staff pages: writing a summary section by section, sign-off by a clinician
only, sending, amending, refused edits, and 404 for everyone outside the patient's care team."""

import datetime
import hashlib
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from portal.audit.models import Action, AuditEvent
from tests.factories import DiagnosisFactory, PatientFactory
from tests.treatment_summaries.factories import clinician, fresh
from treatment_summaries.models import PracticeDelivery, SideEffectOption, SummaryVersion, TreatmentSummary
from treatment_summaries.pdf import render_summary
from treatment_summaries.services import summaries

pytestmark = pytest.mark.django_db
LOCKED = "This version is signed off and cannot be changed. Amend the summary instead."


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def url(name, version_or_summary, **kwargs):
    summary_id = getattr(version_or_summary, "summary_id", None) or version_or_summary.pk
    return reverse(f"treatment_summaries:{name}", kwargs={"summary_id": summary_id, **kwargs})


def draft(cast):
    diagnosis = DiagnosisFactory(patient=cast.patient, treatment_intent="curative")
    return summaries.start(actor=cast.cns_a, patient=cast.patient, diagnosis=diagnosis)


def complete(cast, version=None, **fields):
    """A draft with everything sign-off needs (through the services)."""
    version = version or draft(cast)
    values = {
        "red_flags": "New lump or swelling",
        "responsible_clinician": "Dr Asha Rao",
        "ongoing_management": "Mammogram yearly for 5 years",
        "follow_up_pathway": "pifu",
        "patient_has_copy": True,
        "contacts_out_of_hours": "Acute oncology 0113 496 0001",
    } | fields
    version = summaries.update(actor=cast.cns_a, version=version, seen_lock_version=fresh(version).lock_version,
                               **values)  # fmt: skip
    summaries.add_treatment(actor=cast.cns_a, version=version, seen_lock_version=fresh(version).lock_version,
                            treatment_type="surgery", description="Wide local excision",
                            start_date=datetime.date(2025, 4, 1))  # fmt: skip
    return fresh(version)


def signed(cast, doctor=None):
    version = complete(cast)
    return summaries.sign_off(actor=doctor or clinician(cast), version=version, render_pdf=lambda v: b"%PDF-1.7")


def post_section(client, version, section, data):
    base = {"lock_version": fresh(version).lock_version, "version_number": version.number}
    return client.post(url(f"edit_{section}", version), base | data)


# The happy path


def test_write_sign_off_and_send(client, cast):
    DiagnosisFactory(patient=cast.patient, treatment_intent="curative", icd10_code="C50.4")
    client.force_login(cast.cns_a)
    start_url = reverse("treatment_summaries:start", kwargs={"patient_id": cast.patient.pk})
    assert "Write a treatment summary" in client.get(f"/patients/{cast.patient.pk}/").content.decode()
    assert "filled in from the diagnosis" in client.get(start_url).content.decode()
    response = client.post(start_url)
    summary = TreatmentSummary.objects.get(patient=cast.patient)
    assert response.url == url("summary", summary)
    version = summary.versions.get()
    assert version.diagnosis_text == "Breast cancer (C50.4)" and version.treatment_aim == "curative"

    sections = {
        "diagnosis": {"diagnosis_text": "Invasive ductal carcinoma, left breast", "date_of_diagnosis_day": "1",
                      "date_of_diagnosis_month": "3", "date_of_diagnosis_year": "2025", "t_stage": "T2",
                      "n_stage": "N0", "m_stage": "M0", "staging_comments": "Grade 2, ER positive"},
        "aim": {"treatment_aim": "adjuvant", "follow_up_pathway": "pifu"},
        "contacts": {"red_flags": "New lump in the breast or armpit", "contacts_in_hours": "Breast CNS 0113 496 0000",
                     "contacts_out_of_hours": "Acute oncology 0113 496 0001", "responsible_clinician": "Dr Asha Rao",
                     "cns_name": "Nurse Kim"},
        "plan": {"referrals": "Lymphoedema clinic", "ongoing_management": "Mammogram yearly for 5 years",
                 "new_medication": "Letrozole 2.5 mg daily"},
        "information": {"information_given": "Good prognosis discussed", "patient_has_copy": "yes",
                        "carer_contact": "Sam (partner) 07700 900123"},
    }  # fmt: skip
    for section, data in sections.items():
        response = post_section(client, version, section, data)
        assert response.status_code == 302, (section, response.content.decode()[:3000])
    treatments = url("treatments", version)
    for kind, text, start, end in (("surgery", "Wide local excision", "1", "1"), ("hormone", "Letrozole", "2", "")):
        data = {"lock_version": fresh(version).lock_version, "version_number": 1, "treatment_type": kind,
                "description": text, "start_date_day": "10", "start_date_month": start, "start_date_year": "2025",
                "end_date_day": end and "20", "end_date_month": end and "4",
                "end_date_year": end and "2025"}  # fmt: skip
        assert client.post(treatments, data).status_code == 302
    for text in ("Check bone density every 2 years", "Prescribe letrozole for 5 years", "Add to the cancer register"):
        data = {"lock_version": fresh(version).lock_version, "version_number": 1, "text": text}
        assert client.post(url("gp_actions", version), data).status_code == 302
    effects_page = client.get(url("edit_effects", version)).content.decode()
    assert "Hot flushes and sweats" in effects_page and "Wound infection" in effects_page
    assert "Tiredness" not in effects_page  # chemotherapy was not given
    flushes = SideEffectOption.objects.get(treatment_type="hormone", code__contains="hot-flushes")
    response = post_section(client, version, "effects", {"ticks_hormone_side_effect": [str(flushes.pk)],
                                                          "side_effects_text": "Joint stiffness"})  # fmt: skip
    assert response.status_code == 302

    page = client.get(url("summary", version)).content.decode()
    for words in ("Invasive ductal carcinoma", "T2 N0 M0", "Letrozole 2.5 mg daily", "Hot flushes and sweats",
                  "Prescribe letrozole for 5 years", "Wide local excision"):  # fmt: skip
        assert words in page
    assert client.get(url("sign_off", version)).status_code == 200

    doctor = clinician(cast)
    client.force_login(doctor)
    assert "Sign off as Asha Rao" in client.get(url("sign_off", version)).content.decode()
    assert client.post(url("sign_off", version)).status_code == 302
    version = fresh(version)
    assert (version.status, version.signed_off_by) == ("signed_off", doctor)
    content = bytes(version.pdf)
    assert hashlib.sha256(content).hexdigest() == version.pdf_sha256
    text = pdf_text(content)
    for words in ("End of treatment summary", "Invasive ductal carcinoma, left breast", "T2 N0 M0", "Adjuvant",
                  "Wide local excision", "Letrozole", "Hot flushes and sweats", "Joint stiffness",
                  "New lump in the breast or armpit", "Acute oncology 0113 496 0001", "Nurse Kim", "Lymphoedema clinic",
                  "Mammogram yearly for 5 years", "Patient-initiated follow-up", "Check bone density every 2 years",
                  "Add to the cancer register", "Good prognosis discussed", "Sam (partner)", "Signed off",
                  cast.patient.full_name):  # fmt: skip
        assert words in text, words

    pdf = client.get(reverse("treatment_summaries:version_pdf", kwargs={"version_id": version.pk}))
    assert pdf.content == content and pdf["Content-Disposition"] == 'attachment; filename="treatment-summary-v1.pdf"'
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(version.pk), actor=doctor).exists()

    response = client.post(url("send", version), follow=True)
    assert "Sent to Practice A and to the patient by email" in response.content.decode()
    assert PracticeDelivery.objects.filter(version=version, practice=cast.practice_a).exists()
    page = client.get(url("summary", version)).content.decode()
    assert "Sent" in page and "Practice A" in page and "No answer yet" in page and "Amend this summary" in page


def test_start_asks_which_diagnosis_when_there_are_several(client, cast):
    DiagnosisFactory(patient=cast.patient, icd10_code="C50.1")
    second = DiagnosisFactory(patient=cast.patient, tumour_site="colorectal", icd10_code="C18.7")
    client.force_login(cast.cns_a)
    start_url = reverse("treatment_summaries:start", kwargs={"patient_id": cast.patient.pk})
    html = client.post(start_url).content.decode()
    assert "Select the diagnosis this summary is about" in html and "<title>Error: " in html
    assert not TreatmentSummary.objects.exists()
    assert client.post(start_url, {"diagnosis": str(second.pk)}).status_code == 302
    assert "(C18.7)" in SummaryVersion.objects.get().diagnosis_text


# Bad input


def test_a_cns_cannot_sign_off(client, cast):
    version = complete(cast)
    client.force_login(cast.cns_a)
    refusal = "A clinical nurse specialist cannot sign off a treatment summary"
    assert refusal in client.get(url("sign_off", version)).content.decode()
    response = client.post(url("sign_off", version))
    assert response.status_code == 403
    assert refusal in response.content.decode() and "only a clinician can" in response.content.decode()
    assert fresh(version).status == "draft"


def test_missing_fields_are_listed_and_the_draft_kept(client, cast):
    version = summaries.start(actor=cast.cns_a, patient=cast.patient)
    client.force_login(clinician(cast))
    for response in (client.get(url("sign_off", version)), client.post(url("sign_off", version))):
        html = response.content.decode()
        assert response.status_code == 200 and "<title>Error: " in html
        for message in ("Enter the diagnosis", "Select the treatment aim", "Add at least one treatment given",
                        "Select whether the patient has a copy", "Enter the red-flag symptoms"):  # fmt: skip
            assert message in html
        assert f'href="{url("edit_diagnosis", version)}#id_diagnosis_text"' in html
        assert f'href="{url("treatments", version)}#treatment_type"' in html
        assert f'href="{url("edit_information", version)}#id_patient_has_copy"' in html
    assert fresh(version).status == "draft"


def test_an_end_date_before_the_start_date_is_refused(client, cast):
    version = draft(cast)
    client.force_login(cast.cns_a)
    data = {"lock_version": 0, "version_number": 1, "treatment_type": "chemotherapy", "description": "FEC-T",
            "start_date_day": "10", "start_date_month": "5", "start_date_year": "2025",
            "end_date_day": "9", "end_date_month": "5", "end_date_year": "2025"}  # fmt: skip
    html = client.post(url("treatments", version), data).content.decode()
    assert "The end date must be the same as or after the start date" in html and "FEC-T" in html
    assert not version.treatments.exists()


def test_a_stale_edit_is_refused_and_the_typed_values_kept(client, cast):
    version = draft(cast)
    client.force_login(cast.cns_a)
    first = client.post(url("edit_plan", version), {"lock_version": 0, "version_number": 1, "referrals": "Dietitian"})
    assert first.status_code == 302
    second = client.post(url("edit_plan", version), {"lock_version": 0, "version_number": 1, "referrals": "Physio"})
    html = second.content.decode()
    assert second.status_code == 200 and "Someone else changed this summary while you were editing" in html
    assert "Physio" in html and "Dietitian" in html  # their values, and what the summary says now
    assert 'name="lock_version" value="1"' in html
    assert fresh(version).referrals == "Dietitian"


def test_editing_a_signed_off_version_is_refused(client, cast):
    version = signed(cast)
    client.force_login(cast.cns_a)
    response = post_section(client, version, "plan", {"referrals": "Typed after sign-off"})
    html = response.content.decode()
    assert response.status_code == 200 and LOCKED in html and "Typed after sign-off" in html
    assert fresh(version).referrals == ""
    for name in ("edit_diagnosis", "edit_effects", "treatments", "gp_actions"):
        assert client.get(url(name, version)).status_code == 302
    treatment = version.treatments.get()
    remove = url("remove_treatment", version, treatment_id=treatment.pk)
    assert LOCKED in client.post(remove, follow=True).content.decode()
    assert version.treatments.count() == 1
    assert "Check and sign off" not in client.get(url("summary", version)).content.decode()


def test_amending_needs_a_reason_and_supersedes_once_sent(client, cast):
    v1 = summaries.send(actor=cast.cns_a, version=signed(cast))
    client.force_login(cast.cns_a)
    html = client.post(url("amend", v1), {"reason": "  "}).content.decode()
    assert "Enter the reason for the amendment" in html
    assert client.post(url("amend", v1), {"reason": "Wrong date of diagnosis"}).status_code == 302
    v2 = SummaryVersion.objects.get(summary=v1.summary, number=2)
    page = client.get(url("summary", v1)).content.decode()
    assert "Amended" in page and "Wrong date of diagnosis" in page and "Check and sign off" in page
    summaries.sign_off(actor=SummaryVersion.objects.get(pk=v1.pk).signed_off_by, version=v2, render_pdf=render_summary)
    client.post(url("send", v2))
    assert fresh(v1).status == "superseded" and fresh(v2).status == "sent"
    old = client.get(url("version", v1, version_id=v1.pk)).content.decode()
    assert "Superseded" in old and "replaced by version 2" in old and "Change" not in old
    assert "Amended" in pdf_text(bytes(fresh(v2).pdf))
    history = client.get(url("summary", v1)).content.decode()
    assert url("version", v1, version_id=v1.pk) in history and "Superseded" in history


def test_a_draft_has_no_pdf(client, cast):
    version = draft(cast)
    client.force_login(cast.cns_a)
    assert client.get(reverse("treatment_summaries:version_pdf", kwargs={"version_id": version.pk})).status_code == 404


# The team list


def test_the_team_list_counts_first_with_flat_queries(client, cast):
    client.force_login(cast.cns_a)
    list_url = reverse("treatment_summaries:team_list")

    def add(n):
        for _ in range(n):
            patient = PatientFactory(registered_practice=cast.practice_a, care_teams=[cast.team_a])
            summaries.start(actor=cast.cns_a, patient=patient)

    add(2)
    client.get(list_url)  # the first request after sign-in reads the role and MFA state (ADR 0056)
    with CaptureQueriesContext(connection) as few:
        client.get(list_url)
    add(6)
    signed(cast)
    with CaptureQueriesContext(connection) as many:
        html = client.get(list_url).content.decode()
    assert len(many) == len(few)
    assert "9 summaries for your team" in html
    assert html.index("Draft</strong> 8") < html.index("<table")
    assert "Signed off</strong> 1" in html


# Who may see what


def every_url(version):
    treatment, action = version.treatments.first(), version.gp_actions.first()
    names = ("summary", "sign_off", "send", "amend", "treatments", "gp_actions") + tuple(
        f"edit_{s}" for s in ("diagnosis", "aim", "effects", "contacts", "plan", "information")
    )
    urls = [url(name, version) for name in names]
    urls += [
        url("version", version, version_id=version.pk),
        url("remove_treatment", version, treatment_id=treatment.pk),
        url("remove_gp_action", version, gp_action_id=action.pk),
        reverse("treatment_summaries:version_pdf", kwargs={"version_id": version.pk}),
        reverse("treatment_summaries:start", kwargs={"patient_id": version.summary.patient_id}),
    ]
    return urls


def test_outsiders_get_404_on_every_url(client, cast):
    version = signed(cast)
    version = summaries.amend(actor=cast.cns_a, version=summaries.send(actor=cast.cns_a, version=version), reason="x")
    summaries.add_gp_action(actor=cast.cns_a, version=version, seen_lock_version=0, text="PSA every 6 months")
    for outsider in (cast.cns_b, cast.gp_b, cast.admin):
        client.force_login(outsider)
        for page in every_url(version):
            statuses = {client.get(page).status_code, client.post(page).status_code}
            assert statuses <= {404, 405} and 404 in statuses, (outsider.email, page, statuses)
    assert version.gp_actions.count() == 1 and version.treatments.count() == 1
    client.force_login(cast.gp_b)
    assert client.get(reverse("treatment_summaries:team_list")).status_code == 403
