"""Survey letters for patients who prefer post (issue 12 item 4): the care team's list, the PDF batch
with the link, the short code and the opt-out address (a reminder with a paper copy of the survey
to tick), and the CSV for the mailing house; each marks the letters printed and is audited."""

import csv
import datetime
import io
from io import BytesIO

import pytest
from django.conf import settings
from django.db import transaction
from pypdf import PdfReader

from portal.audit.models import Action, AuditEvent
from portal.people.models import Patient
from qol_survey.models import Invitation, InvitationStatus, Purpose, QolLetter
from qol_survey.services import dispatch, dispatch_letters, tokens
from tests.qol_survey.dispatch_helpers import TODAY, due

pytestmark = pytest.mark.django_db
URL = "/quality-of-life/letters/"
BATCH_URL = f"{URL}batch/"
CSV_URL = f"{URL}mailing-house.csv"


def by_post(cast, team=None, **patient) -> Invitation:
    """A patient of the team who prefers post, due today, and dispatch run: one letter."""
    made = due(Patient.Contact.POST, teams=[team or cast.team_a], **patient)
    dispatch.run(TODAY)
    return Invitation.objects.get(diagnosis=made)


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(content)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_page_lists_pending_letters_and_the_batch_prints_them_with_the_code(client, cast):
    invitation = by_post(cast, given_name="Ada", family_name="Lovelace", address="1 Mill Lane\nLeeds")
    client.force_login(cast.cns_a)
    page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200 and "Ada Lovelace" in html and "Invitation" in html
    assert f'action="{BATCH_URL}"' in html and f'action="{CSV_URL}"' in html
    assert AuditEvent.objects.filter(action=Action.VIEW, actor=cast.cns_a, patient=invitation.patient).exists()
    response = client.post(BATCH_URL)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Lovelace" not in response["Content-Disposition"]
    text = flat(text_of(response.content))
    code = tokens.display_code(tokens.short_code(invitation))
    assert "Dear Ada" in text and "1 Mill Lane" in text and "LS1 4AP" in text
    assert code in text
    assert settings.PORTAL_BASE_URL + tokens.START_PATH in text
    assert settings.PORTAL_BASE_URL + tokens.OPT_OUT_PATH in text
    assert f"{invitation.expires_on:%-d %B %Y}" in text
    letter = QolLetter.objects.get(invitation=invitation)
    assert letter.printed_by == cast.cns_a and letter.printed_at is not None
    assert AuditEvent.objects.filter(action=Action.EXPORT, actor=cast.cns_a, object_id=str(letter.pk)).exists()
    again = client.post(BATCH_URL, follow=True)
    assert again.redirect_chain == [(URL, 302)]
    assert "There are no letters to print." in again.content.decode()


def test_the_link_in_the_letter_is_the_invitations_own(client, cast):
    invitation = by_post(cast)
    context = dispatch_letters.letter_context(QolLetter.objects.get(invitation=invitation))
    assert context["link"] == settings.PORTAL_BASE_URL + tokens.link_path(invitation)
    assert tokens.matches(invitation, code=context["code"])


def test_a_reminder_letter_comes_with_a_paper_copy_of_the_survey_to_tick(client, cast):
    invitation = by_post(cast, given_name="Bea")
    client.force_login(cast.cns_a)
    client.post(BATCH_URL)  # the invitation letter, printed
    dispatch.run(TODAY + datetime.timedelta(days=21))
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.REMINDED
    pages = [flat(page.extract_text() or "") for page in PdfReader(BytesIO(client.post(BATCH_URL).content)).pages]
    assert "Dear Bea" in pages[0] and "paper copy" in pages[0]
    paper = " ".join(pages[1:])
    code = tokens.display_code(tokens.short_code(invitation))
    assert code in paper
    from qol_survey.models import Instrument

    for instrument_code in ("health-profile-5d", "cancer-30"):
        instrument = Instrument.current(instrument_code)
        assert instrument.name in paper
        for item in instrument.items.all():
            assert flat(item.wording)[:40] in paper
    assert "Very often or very much" in paper and "I cannot manage getting about at all" in paper


def test_the_mailing_house_csv_has_a_row_a_letter_and_marks_them_printed(client, cast):
    first = by_post(cast, given_name="Ada", family_name="Lovelace", address="1 Mill Lane\nLeeds")
    second = by_post(cast, given_name="=cmd", family_name="Byron")
    client.force_login(cast.cns_a)
    response = client.post(CSV_URL)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "Lovelace" not in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == dispatch_letters.CSV_COLUMNS
    by_name = {row["name"]: row for row in rows}
    assert by_name["Ada Lovelace"] == {
        "name": "Ada Lovelace",
        "address_lines": "1 Mill Lane | Leeds",
        "postcode": "LS1 4AP",
        "short_code": tokens.display_code(tokens.short_code(first)),
        "link": settings.PORTAL_BASE_URL + tokens.link_path(first),
        "kind": Purpose.INVITATION,
    }
    assert "'=cmd Byron" in by_name  # a spreadsheet formula is neutralised
    assert by_name["'=cmd Byron"]["short_code"] == tokens.display_code(tokens.short_code(second))
    assert not QolLetter.objects.filter(printed_at=None).exists()
    assert AuditEvent.objects.filter(action=Action.EXPORT, actor=cast.cns_a).count() == 2
    assert client.post(BATCH_URL).status_code == 302  # handed to the mailing house: not printed again


def test_the_batch_and_csv_need_a_post(client, cast):
    by_post(cast)
    client.force_login(cast.cns_a)
    assert client.get(BATCH_URL).status_code == 405 and client.get(CSV_URL).status_code == 405
    assert QolLetter.objects.filter(printed_at=None).count() == 1


def test_outsiders_and_other_teams_get_nothing(client, cast):
    invitation = by_post(cast, given_name="Ada", family_name="Lovelace")
    for outsider in (cast.gp_a, cast.admin, cast.patient_user):
        client.force_login(outsider)
        page = client.get(URL)
        assert page.status_code in (403, 404) and "Ada Lovelace" not in page.content.decode()
        assert client.post(BATCH_URL).status_code in (403, 404)
        assert client.post(CSV_URL).status_code in (403, 404)
    client.force_login(cast.cns_b)
    page = client.get(URL)
    assert page.status_code == 200 and "Ada Lovelace" not in page.content.decode()
    assert client.post(BATCH_URL).status_code == 302 and client.post(CSV_URL).status_code == 302
    client.logout()
    assert client.get(URL).status_code == 302
    assert QolLetter.objects.get(invitation=invitation).printed_at is None


@pytest.mark.django_db(transaction=True)  # the second batch runs on a connection of its own
def test_letters_another_batch_is_printing_are_skipped_not_printed_twice(cast):
    from tests.qol_survey.test_dispatch_concurrency import in_thread

    invitation = by_post(cast)
    with transaction.atomic():
        held = list(QolLetter.objects.select_for_update().filter(invitation=invitation))  # the first batch
        thread, out = in_thread(dispatch_letters.mailing_csv, cast.cns_a, cast.team_a)
        thread.join(timeout=30)
        assert out == {"result": ""}  # nothing to hand over: the held letter is skipped, not waited for
    assert held and QolLetter.objects.get(invitation=invitation).printed_at is None
