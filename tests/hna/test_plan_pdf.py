"""The care plan PDF: who may download it, what it says, and a URL fetcher that serves our static
files and nothing else (no SSRF, no local files), however the free text is written."""

import io
import time
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader
from weasyprint.urls import FatalURLFetchingError

from hna.models import CarePlan, ConcernItem
from hna.pdf import care_plan_pdf
from hna.presenters_plans import PlanPresenter
from hna.services import care_plans
from portal.audit.models import Action, AuditEvent
from portal.ui.pdf import RefusedURL, StaticOnlyFetcher, render_pdf
from tests import pdf_text as reading
from tests.hna.test_care_plans import fill_in, item_post, locked_plan, start

pytestmark = pytest.mark.django_db
METADATA = "http://169.254.169.254/latest/meta-data/"
PASSWD = "file:///etc/passwd"


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_care_team_downloads_the_pdf(client, cast, fetched):
    plan = start(cast)
    item = plan.items.get(concern="Pain")
    client.force_login(cast.cns_a)
    client.post(reverse("hna:plan_item", kwargs={"plan_id": plan.pk, "item_id": item.pk}), item_post(plan))
    response = client.get(reverse("hna:plan_pdf", kwargs={"plan_id": plan.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="care-plan-v1.pdf"'
    assert cast.patient.family_name not in response["Content-Disposition"]
    text = pdf_text(response.content)
    for words in ("Worry, fear or anxiety", "Pain", "Tired, exhausted or fatigued", "Referral to the pain clinic"):
        assert words in text
    assert "Draft: this plan has not been agreed yet" in text
    assert cast.patient.full_name in text
    assert fetched == ["file:///static/css/print.css"]  # the print stylesheet, and nothing else
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(plan.pk), actor=cast.cns_a).exists()


def test_patient_downloads_their_locked_plan_only(client, cast):
    draft = start(cast)
    client.force_login(cast.patient_user)
    assert client.get(reverse("hna:plan_pdf", kwargs={"plan_id": draft.pk})).status_code == 404
    plan = locked_plan(cast)
    response = client.get(reverse("hna:plan_pdf", kwargs={"plan_id": plan.pk}))
    assert response.status_code == 200
    assert f"Your plan, agreed with {cast.team_a.name} on" in pdf_text(response.content)


def pages(content: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages]


def test_the_pdf_says_how_to_contact_the_care_team(cast):
    cast.team_a.out_of_hours_phone = "0113 496 0999"
    cast.team_a.save()
    plan = locked_plan(cast)
    for patient_view in (False, True):
        first_page = pages(care_plan_pdf(PlanPresenter(plan, patient_view=patient_view)))[0]
        for words in (f"{cast.team_a.name}, {cast.trust.name}", "Phone 0113 496 0000", "Out of hours 0113 496 0999"):
            assert words in first_page, (patient_view, first_page)
        assert f"Email {cast.team_a.email}" in first_page


def test_a_team_without_its_own_email_shows_the_trusts(cast):
    cast.team_a.email = ""
    cast.team_a.save()
    cast.trust.email = "cancer.care@test-trust.example"
    cast.trust.save()
    assert "Email cancer.care@test-trust.example" in pages(care_plan_pdf(PlanPresenter(locked_plan(cast))))[0]


def test_a_3_concern_plan_with_blanks_fits_on_one_page(cast):
    """Issue 10: the PDF fitted one concern on page 1 and printed "Not recorded" down every blank."""
    plan = fill_in(cast, start(cast), "Pain")
    content = care_plan_pdf(PlanPresenter(plan, editor=True))
    assert len(pages(content)) == 1
    for number, concern in enumerate(("Worry, fear or anxiety", "Pain", "Tired, exhausted or fatigued"), 1):
        assert f"{number}. {concern}" in pages(content)[0]
    text = pdf_text(content)
    assert "Nothing recorded for this concern." in text
    assert (
        "Not recorded: what matters to the person, who will do this, referral or signposting, due date, outcome."
        in text
    )  # Pain's blanks


def test_a_3_concern_plan_with_everything_recorded_fits_on_two_pages(cast):
    plan = start(cast)
    plan.summary = "We talked about how things are at home and at work, and what would help most. " * 4
    plan.save()
    for item in plan.items.all():
        item.what_matters = "Sleeping through the night and walking the dog in the morning. " * 3
        item.action = "Referral to the pain clinic and a review of the medicines taken at night. " * 3
        item.owner, item.owner_detail = "other_professional", "Pain team"
        item.signposting = "Macmillan support line, and the information centre on the ground floor. " * 2
        item.due_date, item.status = date(2030, 3, 1), "in_progress"
        item.outcome = "Sleeping better since the change of medicine. " * 2
        item.save()
    assert len(pages(care_plan_pdf(PlanPresenter(plan, editor=True), strict=True))) <= 2


def test_a_long_concern_starts_on_the_page_the_one_before_ends(cast):
    """No page of its own per concern: a concern too long for the rest of a page runs on to the next."""
    plan = start(cast)
    first, second = plan.items.all()[:2]
    first.action = "See the nurse."
    first.save()
    second.what_matters = "\n".join(f"Line {n} of what matters most about {second.concern}." for n in range(45))
    second.save()
    page_texts = pages(care_plan_pdf(PlanPresenter(plan, editor=True)))
    assert f"2. {second.concern}" in page_texts[0]
    assert "Line 44 of what matters" not in page_texts[0]  # it did run on


def test_the_patients_pdf_is_in_their_words_and_lists_only_what_was_recorded(cast):
    plan = fill_in(cast, start(cast), "Pain")
    plan = care_plans.lock(actor=cast.cns_a, plan=plan, seen_lock_version=plan.lock_version, confirm_blank=True)
    content = care_plan_pdf(PlanPresenter(plan, patient_view=True), strict=True)
    text = reading.pdf_text(content)
    for staff_words in ("Not recorded", "What matters to the person", "Agreed and locked", "Nothing recorded"):
        assert staff_words not in text
    assert "What we agreed Agreed action for Pain" in " ".join(text.split())
    assert "Other things you told us about" in text
    reading.assert_no_run_together(text, ["Worry, fear or anxiety", "Tired, exhausted or fatigued"], newline=True)
    assert len(pages(content)) == 1


def test_superseded_version_says_so(client, cast):
    v1 = locked_plan(cast)
    v2 = care_plans.unlock_to_amend(actor=cast.cns_a, plan=v1)
    client.force_login(cast.cns_a)
    response = client.get(reverse("hna:plan_pdf", kwargs={"plan_id": v1.pk}))
    assert "replaced by version 2" in pdf_text(response.content)
    assert "care-plan-v2.pdf" in client.get(reverse("hna:plan_pdf", kwargs={"plan_id": v2.pk}))["Content-Disposition"]


def test_a_40_concern_plan_renders(cast):
    items = ConcernItem.objects.filter(category__version__status="published").order_by("code")[:40]
    plan = start(cast, scores={item.code: i % 11 for i, item in enumerate(items)})
    assert plan.items.count() == 40
    for item in plan.items.all():
        item.action = f"Agreed action for {item.concern}. " * 4
        item.what_matters = "Being able to carry on with everyday life. " * 3
        item.save()
    started = time.perf_counter()
    content = care_plan_pdf(PlanPresenter(plan, editor=True), strict=True)
    elapsed = time.perf_counter() - started
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) > 5
    text = pdf_text(content)
    assert all(item.concern in text for item in plan.items.all())
    assert elapsed < 30, f"40-concern PDF took {elapsed:.1f}s"


def test_markup_in_free_text_is_printed_not_fetched(client, cast, fetched, no_network):
    plan = start(cast)
    client.force_login(cast.cns_a)
    concern = f'<img src="{METADATA}"><link rel="stylesheet" href="{PASSWD}">'
    url = reverse("hna:plan_add_concern", kwargs={"plan_id": plan.pk})
    assert client.post(url, {"lock_version": 0, "concern": concern}).status_code == 302
    item = plan.items.get(added_by_staff=True)
    action = f'<img src="{PASSWD}"><style>@import url("{METADATA}");</style>'
    assert (
        client.post(
            reverse("hna:plan_item", kwargs={"plan_id": plan.pk, "item_id": item.pk}),
            item_post(plan, lock_version=1, action=action),
        ).status_code
        == 302
    )
    html = client.get(reverse("hna:plan", kwargs={"plan_id": plan.pk})).content.decode()
    assert "&lt;img src=" in html and '<img src="http://169' not in html
    response = client.get(reverse("hna:plan_pdf", kwargs={"plan_id": plan.pk}))
    assert response.status_code == 200
    assert fetched == ["file:///static/css/print.css"]
    text = pdf_text(response.content)
    assert METADATA in text and PASSWD in text  # shown as the words typed


def test_the_plan_template_names_nothing_external(cast):
    plan = CarePlan.objects.get(pk=start(cast).pk)
    assert care_plan_pdf(PlanPresenter(plan), strict=True).startswith(b"%PDF")


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/",
        METADATA,
        "https://example.com/static/css/print.css",
        PASSWD,
        "file:///static/../etc/passwd",
        "file:///static/%2e%2e/%2e%2e/etc/passwd",
        "file:///static/css/../../portal/settings/base.py",
        "file://169.254.169.254/static/css/print.css",
        "file:///static/",
        "file:///static/css/print.css?x=1",
        "file:///var/staticfiles/css/print.css",
        "data:text/css,body{}",
        "ftp://example.com/x",
    ],
)
def test_the_fetcher_refuses_everything_but_our_static_files(url, no_network):
    with pytest.raises(RefusedURL):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_our_static_files():
    response = StaticOnlyFetcher().fetch("file:///static/css/print.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_weasyprint_stops_on_a_refused_url_in_strict_mode(no_network, monkeypatch):
    # A template that names the metadata service: WeasyPrint asks the fetcher, the fetcher refuses.
    monkeypatch.setattr("portal.ui.pdf.render_to_string", lambda name, context: f'<img src="{METADATA}">')
    with pytest.raises(FatalURLFetchingError):
        render_pdf("any.jinja", {}, strict=True)
    assert render_pdf("any.jinja", {}).startswith(b"%PDF")  # not strict: logged, skipped, still a PDF
