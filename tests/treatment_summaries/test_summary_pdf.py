"""The treatment summary PDF: rendered once at sign-off from the summary's presenter, with typed
markup printed as text and nothing fetched but our print stylesheet (issue 6, "Safe PDFs")."""

import datetime
import hashlib

import pytest
from django.urls import reverse

from portal.ui.pdf import RefusedURL, StaticOnlyFetcher
from tests.pdf_text import assert_no_run_together
from tests.pdf_text import pdf_text as pdf_lines
from tests.treatment_summaries.factories import clinician, complete_draft, fresh
from tests.treatment_summaries.test_staff_pages import complete, pdf_text, url
from treatment_summaries.models import SideEffectOption
from treatment_summaries.pdf import render_summary
from treatment_summaries.services import summaries

pytestmark = pytest.mark.django_db
METADATA = "http://169.254.169.254/"
PASSWD = "file:///etc/passwd"
IMG = f'<img src="{METADATA}">'
LINK = f'<link rel=stylesheet href="{PASSWD}">'


def test_markup_in_free_text_is_printed_not_fetched(client, cast, fetched, no_network):
    version = complete(cast, red_flags=IMG, side_effects_text=LINK, carer_contact=f"{IMG}\n{LINK}")
    summaries.add_gp_action(actor=cast.cns_a, version=version, seen_lock_version=fresh(version).lock_version,
                            text=f'<style>@import url("{METADATA}");</style>')  # fmt: skip
    client.force_login(clinician(cast))
    html = client.get(url("summary", version)).content.decode()
    assert "&lt;img src=" in html and '<img src="http://169' not in html and "&lt;link rel=stylesheet" in html
    assert client.post(url("sign_off", version)).status_code == 302
    version = fresh(version)
    assert version.status == "signed_off"
    assert fetched == ["file:///static/css/print.css"]  # the print stylesheet, and nothing else
    text = pdf_text(bytes(version.pdf))
    assert IMG in text and LINK in text  # shown as the words typed
    assert hashlib.sha256(bytes(version.pdf)).hexdigest() == version.pdf_sha256


TWO_TREATMENTS = [
    ("surgery", "Wide local excision", datetime.date(2024, 2, 12), datetime.date(2024, 2, 12)),
    ("radiotherapy", "40 Gy in 15 fractions", datetime.date(2024, 3, 4), None),
]
TWO_ACTIONS = ("Prescribe letrozole 2.5 mg daily for 5 years", "Check bone health with a DEXA scan")
# Two of each kind, so each list has a pair that could run together.
SIDE_EFFECTS = ("radiotherapy-skin", "hormone-hot-flushes", "hormone-bone-health", "hormone-joint-pain")


def test_each_list_item_is_on_its_own_line_in_the_signed_off_pdf(client, cast):
    options = SideEffectOption.objects.filter(code__in=SIDE_EFFECTS)
    version = complete_draft(cast, treatments=TWO_TREATMENTS, gp_actions=TWO_ACTIONS, side_effects=options)
    client.force_login(clinician(cast))
    assert client.post(url("sign_off", version)).status_code == 302
    text = pdf_lines(bytes(fresh(version).pdf))
    treatments = [
        "Surgery: Wide local excision (12 February 2024 to 12 February 2024)",
        "Radiotherapy: 40 Gy in 15 fractions (4 March 2024, ongoing)",
    ]
    assert_no_run_together(text, treatments, newline=True)
    assert_no_run_together(text, TWO_ACTIONS, newline=True)
    side = ["Hot flushes and sweats (hormone therapy)", "Skin soreness in the treated area (radiotherapy)"]
    late = ["Thinning of the bones (osteoporosis) (hormone therapy)", "Joint pain (hormone therapy)"]
    assert_no_run_together(text, side, newline=True)
    assert_no_run_together(text, late, newline=True)
    assert "&lt;" not in text and "&amp;" not in text and "<span" not in text


def test_the_download_is_the_stored_pdf_never_rendered_again(client, cast, monkeypatch):
    doctor = clinician(cast)
    version = summaries.sign_off(actor=doctor, version=complete(cast), render_pdf=render_summary)
    stored = bytes(version.pdf)

    def no_render(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr("portal.ui.pdf.HTML", no_render)
    client.force_login(cast.cns_a)
    response = client.get(reverse("treatment_summaries:version_pdf", kwargs={"version_id": version.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == stored
    assert cast.patient.family_name not in response["Content-Disposition"]


def test_the_summary_template_names_nothing_external(cast, no_network):
    version = complete(cast, red_flags=IMG)
    assert render_summary(version, strict=True).startswith(b"%PDF")
    assert "Draft: this summary has not been signed off" in pdf_text(render_summary(version))


@pytest.mark.parametrize("target", [METADATA, PASSWD, "http://169.254.169.254/latest/meta-data/"])
def test_the_fetcher_refuses_those_urls(target, no_network):
    with pytest.raises(RefusedURL):
        StaticOnlyFetcher().fetch(target)
