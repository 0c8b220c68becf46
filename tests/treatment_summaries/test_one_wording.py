"""A summary reads the same wherever it is shown (issue 10, item 2): the clinician's page, the
version page, the GP inbox, the PDF the GP and the patient download, and the API. Staging shows
what was entered, once ("T1c", not "TT1c"); an empty field has one wording everywhere."""

import pytest
from django.urls import reverse

from tests.api.conftest import Api, issue_token
from tests.pdf_text import pdf_text
from tests.treatment_summaries.factories import make_version
from tests.treatment_summaries.pages import row, summary_rows
from treatment_summaries.pdf import render_summary
from treatment_summaries.presenters import SummaryPresenter, staging_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("t", "n", "m", "shown"),
    [
        ("T1c", "N0", "M0", "T1c N0 M0"),  # as the form's hints suggest
        ("1c", "0", "0", "T1c N0 M0"),  # the letter left out: added, once
        ("pT2", "pN1a", "cM0", "pT2 pN1a cM0"),  # pathological and clinical prefixes kept
        ("t1c", " N0 ", "", "t1c N0"),  # as typed, trimmed; an empty one left out
        ("Tis", "NX", "M1b", "Tis NX M1b"),
        ("", "", "", ""),
    ],
)
def test_staging_text_shows_what_was_entered_once(t, n, m, shown):
    assert staging_text(t, n, m) == shown


@pytest.fixture
def sent_staged(cast):
    """A summary sent to practice A with T1c N0 M0 as entered and no carer contact, its PDF real."""
    version = make_version(cast, "sent", pdf=render_summary, t_stage="T1c", n_stage="N0", m_stage="M0")
    return version, version.practice_deliveries.get()


def staff_pages(client, cast, version):
    client.force_login(cast.cns_a)
    kwargs = {"summary_id": version.summary_id}
    summary = client.get(reverse("treatment_summaries:summary", kwargs=kwargs)).content.decode()
    page = client.get(reverse("treatment_summaries:version", kwargs=kwargs | {"version_id": version.pk}))
    return summary, page.content.decode()


def inbox_page(client, cast, delivery):
    client.force_login(cast.gp_a)
    return client.get(
        reverse("treatment_summaries:inbox_delivery", kwargs={"delivery_id": delivery.pk})
    ).content.decode()


def test_staging_is_shown_once_on_every_page_the_pdf_and_the_api(client, cast, sent_staged):
    version, delivery = sent_staged
    summary, version_page = staff_pages(client, cast, version)
    gp = inbox_page(client, cast, delivery)
    for html in (summary, version_page, gp):
        assert row(html, "Staging (T, N, M)") == "T1c N0 M0"
        assert "TT1c" not in html and "NN0" not in html and "MM0" not in html
    pdf = pdf_text(bytes(version.pdf))
    assert "Staging (T, N, M) T1c N0 M0" in pdf and "TT1c" not in pdf
    client.force_login(cast.patient_user)  # the patient's copy is the same frozen PDF
    mine = client.get(reverse("treatment_summaries:my_summary_pdf", kwargs={"version_id": version.pk}))
    assert "T1c N0 M0" in pdf_text(mine.content) and "TT1c" not in pdf_text(mine.content)
    body = Api(client, issue_token(cast.gp_a)[1]).get("/api/v1/treatment-summaries/").json()
    stored = body["results"][0]["versions"][0]
    assert (stored["t_stage"], stored["n_stage"], stored["m_stage"]) == ("T1c", "N0", "M0")  # as entered


def test_the_gp_reads_every_row_in_the_clinicians_words(client, cast, sent_staged):
    version, delivery = sent_staged
    summary, _ = staff_pages(client, cast, version)
    gp = inbox_page(client, cast, delivery)
    # Every row but the GP actions, which the inbox shows in their own section with the answers.
    labels = [
        label
        for group in SummaryPresenter(version).groups()
        for name, label, _value in group["rows"]
        if name != "gp_actions"
    ]
    staff_rows, gp_rows = dict(summary_rows(summary)), dict(summary_rows(gp))
    differ = {label: (staff_rows.get(label), gp_rows.get(label)) for label in labels}
    differ = {label: pair for label, pair in differ.items() if pair[0] != pair[1] or pair[0] is None}
    assert differ == {}, "label: (clinician sees, GP sees)"


def test_an_empty_carer_contact_is_not_recorded_for_everyone(client, cast, sent_staged):
    version, delivery = sent_staged
    summary, version_page = staff_pages(client, cast, version)
    for html in (summary, version_page, inbox_page(client, cast, delivery)):
        assert row(html, "Carer or emergency contact") == "Not recorded"
    assert "Carer or emergency contact Not recorded" in " ".join(pdf_text(bytes(version.pdf)).split())
