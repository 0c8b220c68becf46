"""Follow-up letters for patients who prefer post: the care team prints them as one PDF batch, which
marks them printed; other teams' letters and outsiders get nothing."""

import datetime
from io import BytesIO

import pytest
from pypdf import PdfReader

from followup.models import FollowupLetter, PathwayKind
from followup.services import sweep
from portal.audit.models import Action, AuditEvent
from portal.people.models import Patient
from tests.factories import PatientFactory
from tests.followup.sweep_helpers import TODAY, add_test, quiet_pathway

pytestmark = pytest.mark.django_db
URL = "/follow-up/letters/"
BATCH_URL = "/follow-up/letters/batch/"


def by_post(cast, team=None, **patient_fields):
    """A patient who prefers post with a mammogram due in 14 days, and the sweep run: one letter."""
    team = team or cast.team_a
    patient = PatientFactory(
        care_teams=[team], registered_practice=cast.practice_a, preferred_contact=Patient.Contact.POST, **patient_fields
    )
    pathway = quiet_pathway(patient=patient, team=team)
    add_test(pathway, TODAY + datetime.timedelta(days=14), code="MAMMOGRAM")
    sweep.run(TODAY)
    return FollowupLetter.objects.get(patient=patient)


def text_of(content: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(BytesIO(content)).pages]


def test_the_page_lists_pending_letters_and_downloads_the_batch(client, cast):
    letter = by_post(cast, given_name="Ada", family_name="Lovelace")
    client.force_login(cast.cns_a)
    page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200 and "Ada Lovelace" in html and "Test reminder" in html
    assert f'action="{BATCH_URL}"' in html
    assert AuditEvent.objects.filter(action=Action.VIEW, actor=cast.cns_a, patient=letter.patient).exists()
    response = client.post(BATCH_URL)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Lovelace" not in response["Content-Disposition"]
    [text] = text_of(response.content)
    assert "Dear Ada" in text and "Mammogram is due on 15 June 2026" in text
    letter.refresh_from_db()
    assert letter.printed_by == cast.cns_a and letter.printed_at is not None
    assert AuditEvent.objects.filter(action=Action.EXPORT, actor=cast.cns_a, patient=letter.patient).exists()
    again = client.post(BATCH_URL, follow=True)
    assert again.redirect_chain == [(URL, 302)]
    assert "There are no letters to print." in again.content.decode()


def test_one_page_per_letter_and_the_practice_letter_is_addressed_to_the_practice(client, cast):
    by_post(cast, given_name="Ada")
    patient = PatientFactory(care_teams=[cast.team_a], registered_practice=cast.practice_a, given_name="Bea")
    quiet_pathway(patient=patient, team=cast.team_a, kind=PathwayKind.PATIENT_INITIATED, pifu_end=TODAY)
    sweep.run(TODAY + datetime.timedelta(days=1))  # practice A has no email address: a letter
    client.force_login(cast.cns_a)
    pages = text_of(client.post(BATCH_URL).content)
    assert len(pages) == 2
    assert "Practice A" in pages[1] and "discharged to your care" in pages[1] and "Bea" not in pages[1]


def test_the_batch_needs_a_post(client, cast):
    letter = by_post(cast)
    client.force_login(cast.cns_a)
    assert client.get(BATCH_URL).status_code == 405
    letter.refresh_from_db()
    assert letter.printed_at is None


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
    letter.refresh_from_db()
    assert letter.printed_at is None
