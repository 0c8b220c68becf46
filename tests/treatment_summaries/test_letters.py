"""Patient copies by post: the care team prints them as one PDF batch (a cover page, then the
stored summary), which marks them printed; other teams' letters and outsiders get nothing."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader, PdfWriter

from portal.audit.models import Action, AuditEvent
from portal.people.models import Patient
from tests.factories import PatientFactory
from tests.treatment_summaries.factories import clinician, complete_draft, sent
from treatment_summaries.models import PatientCopy
from treatment_summaries.services import letters, summaries

pytestmark = pytest.mark.django_db
URL = "/treatment-summaries/letters/"
BATCH_URL = "/treatment-summaries/letters/batch/"


def make_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def by_post(cast, pages=1, team=None, doctor=None, **patient_fields):
    """A summary sent to a patient who wants letters; returns the sent version."""
    team = team or cast.team_a
    patient = PatientFactory(
        care_teams=[team], registered_practice=cast.practice_a, preferred_contact=Patient.Contact.POST, **patient_fields
    )
    if team == cast.team_b:
        doctor = doctor or clinician(cast, team=cast.team_b, email="clinician.b@example.com")
        version = complete_draft(cast, patient=patient, actor=cast.cns_b)
        version = summaries.sign_off(actor=doctor, version=version, render_pdf=lambda v: make_pdf(pages))
        return summaries.send(actor=cast.cns_b, version=version)
    return sent(cast, doctor=doctor, pdf=make_pdf(pages), patient=patient)


def pages_of(content: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(BytesIO(content)).pages]


def test_pending_letters_are_the_teams_unprinted_posted_copies(cast):
    doctor = clinician(cast)
    letter = by_post(cast, doctor=doctor)
    sent(cast, doctor=doctor, patient=PatientFactory(care_teams=[cast.team_a]))  # by email: not a letter
    other_team = by_post(cast, team=cast.team_b)
    assert [c.version for c in letters.pending_letters(cast.team_a)] == [letter]
    assert [c.version for c in letters.pending_letters(cast.team_b)] == [other_team]


def test_the_batch_holds_a_cover_page_and_every_page_of_each_summary_and_marks_them_printed(cast):
    doctor = clinician(cast)
    first = by_post(cast, pages=1, doctor=doctor, given_name="Ada", family_name="Lovelace", postcode="LS1 4AP")
    second = by_post(cast, pages=2, doctor=doctor, given_name="Mary", family_name="Seacole", postcode="LS2 9JT")
    content = letters.letter_batch(cast.cns_a, cast.team_a)
    assert content.startswith(b"%PDF")
    text = pages_of(content)
    assert len(text) == (1 + 1) + (1 + 2)
    assert "Ada Lovelace" in text[0] and "LS1 4AP" in text[0]
    nhs_number = first.summary.patient.nhs_number
    assert f"NHS number {nhs_number[:3]} {nhs_number[3:6]} {nhs_number[6:]}" in text[0]  # as on every page
    assert "address from the practice system" in text[0].lower().replace("\n", " ")
    assert "Mary Seacole" in text[2] and "LS2 9JT" in text[2]
    for version in (first, second):
        copy = PatientCopy.objects.get(version=version)
        assert copy.printed_at is not None and copy.printed_by == cast.cns_a
        assert AuditEvent.objects.filter(
            action=Action.EXPORT, actor=cast.cns_a, patient=version.summary.patient, object_id=str(copy.pk)
        ).exists()
    assert letters.letter_batch(cast.cns_a, cast.team_a) == b""  # nothing left to print


def test_another_teams_letters_are_not_in_the_batch(cast):
    by_post(cast, pages=1, given_name="Ada", family_name="Lovelace")
    theirs = by_post(cast, pages=3, team=cast.team_b, given_name="Bea", family_name="Other")
    text = pages_of(letters.letter_batch(cast.cns_a, cast.team_a))
    assert len(text) == 2 and not any("Bea Other" in page for page in text)
    assert PatientCopy.objects.get(version=theirs).printed_at is None
    assert len(pages_of(letters.letter_batch(cast.cns_b, cast.team_b))) == 4


def test_a_superseded_versions_letter_is_not_printed(cast):
    doctor = clinician(cast)
    v1 = by_post(cast, pages=1, doctor=doctor)
    draft = summaries.amend(actor=doctor, version=v1, reason="Wrong stage")
    v2 = summaries.sign_off(actor=doctor, version=draft, render_pdf=lambda v: make_pdf(2))
    summaries.send(actor=doctor, version=v2)
    assert [c.version_id for c in letters.pending_letters(cast.team_a)] == [v2.pk]
    assert len(pages_of(letters.letter_batch(cast.cns_a, cast.team_a))) == 3


def test_outsiders_cannot_print_a_teams_letters(cast):
    letter = by_post(cast)
    for outsider in (cast.cns_b, cast.gp_a, cast.admin, cast.patient_user):
        with pytest.raises(PermissionDenied):
            letters.letter_batch(outsider, cast.team_a)
    assert PatientCopy.objects.get(version=letter).printed_at is None


# The page


def test_the_page_lists_pending_letters_and_downloads_the_batch(client, cast):
    letter = by_post(cast, pages=2, given_name="Ada", family_name="Lovelace")
    client.force_login(cast.cns_a)
    page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200 and "Ada Lovelace" in html and "Download letter batch" in html
    assert f'action="{BATCH_URL}"' in html
    assert AuditEvent.objects.filter(action=Action.VIEW, actor=cast.cns_a, patient=letter.summary.patient).exists()
    response = client.post(BATCH_URL)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and "Lovelace" not in response["Content-Disposition"]
    assert len(PdfReader(BytesIO(response.content)).pages) == 3
    assert PatientCopy.objects.get(version=letter).printed_by == cast.cns_a
    # Nothing left: a message, not a PDF.
    again = client.post(BATCH_URL, follow=True)
    assert again.redirect_chain == [(URL, 302)]
    assert "There are no letters to print." in again.content.decode()
    assert "Ada Lovelace" not in again.content.decode()


def test_the_batch_needs_a_post(client, cast):
    letter = by_post(cast)
    client.force_login(cast.cns_a)
    assert client.get(BATCH_URL).status_code == 405
    assert PatientCopy.objects.get(version=letter).printed_at is None


def test_outsiders_get_nothing_from_the_page(client, cast):
    letter = by_post(cast, given_name="Ada", family_name="Lovelace")
    for outsider in (cast.gp_a, cast.admin, cast.patient_user):
        client.force_login(outsider)
        page = client.get(URL)
        assert page.status_code in (403, 404) and "Ada Lovelace" not in page.content.decode()
        assert client.post(BATCH_URL).status_code in (403, 404)
    client.force_login(cast.cns_b)
    page = client.get(URL)
    assert page.status_code == 200 and "Ada Lovelace" not in page.content.decode()
    assert client.post(BATCH_URL).status_code == 302  # their own (empty) batch
    client.logout()
    assert client.get(URL).status_code == 302  # to sign in
    assert PatientCopy.objects.get(version=letter).printed_at is None
