"""HNA benchmarks: the patient's question page (GET, and POST of one tick) under gunicorn against
bare Django and the portal's bare view with the same session (issue 16's two baselines); the
passcode check and the 40-concern care plan PDF timed in the pytest process against a baseline
measured alongside.

No timed assertions: the numbers go to the report. The tests check only that everything ran and
answered as it should (200, or 302 after a save) and that the PDF is a real PDF."""

import http.client
import io
import re
import statistics
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from portal.ui.pdf import BASE_URL, StaticOnlyFetcher
from tests.bench import harness, seed_hna

pytestmark = pytest.mark.bench

START = "/hna/start/"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PASSCODE_CALLS = 2000
PASSCODE_WARMUP = 100
PDF_CONCERNS = 40
PDF_RENDERS = 10


# --- the patient's question page under gunicorn ---------------------------------------------------


def _request(port, method, path, *, cookie="", body=None):
    """One request, not following redirects: (status, headers, body text)."""
    headers = {"User-Agent": "portal-bench"}
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection(harness.HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.msg, response.read().decode()
    finally:
        conn.close()


def _set_cookies(headers) -> dict:
    jar = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or ():
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def _csrf_input(body: str) -> str:
    found = CSRF_INPUT.search(body)
    assert found, f"no csrfmiddlewaretoken in the form: {body[:500]}"
    return found.group(1)


def _sign_in(port, seeded, patient, csrf_cookie, csrf_token) -> str:
    """Sign in on /hna/start/ with the real form, as a patient does; the session cookie it sets."""
    born = patient["date_of_birth"].split("-")
    form = {
        "csrfmiddlewaretoken": csrf_token,
        "passcode": patient["passcode"],
        "date_of_birth_day": str(int(born[2])),
        "date_of_birth_month": str(int(born[1])),
        "date_of_birth_year": born[0],
    }
    status, headers, body = _request(port, "POST", START, cookie=csrf_cookie, body=urlencode(form).encode())
    assert status == 302, f"sign-in answered {status} (throttled if 429): {body[:1000]}"
    assert headers["Location"] == seeded["question_path"], headers["Location"]
    session = _set_cookies(headers).get(seeded["session_cookie_name"])
    assert session, "sign-in set no session cookie"
    return session


def test_patient_question_page_against_bare_view(bench_database, bench_server, ceiling_server, bench_report):
    port = bench_server.port
    # One patient (own HNA, own passcode session) per client thread: a patient saves one page at a
    # time, and save_ticks locks the assessment row, so threads sharing one would queue on the lock.
    seeded = harness.run_seed(
        bench_database, "patients", "--count", str(harness.CONCURRENCY), module="tests.bench.seed_hna"
    )
    path = seeded["question_path"]

    # The sign-in form gives a CSRF cookie and token; every client reuses them (the token is not
    # tied to the session), so all POST the same body. One sign-in per patient, well under the
    # per-IP limit (HNA_PASSCODE_ATTEMPTS_PER_IP).
    status, headers, body = _request(port, "GET", START)
    assert status == 200, body[:500]
    csrf_value = _set_cookies(headers)[seeded["csrf_cookie_name"]]
    csrf_cookie = f"{seeded['csrf_cookie_name']}={csrf_value}"
    csrf_token = _csrf_input(body)
    cookies = [
        f"{seeded['session_cookie_name']}={_sign_in(port, seeded, patient, csrf_cookie, csrf_token)}; {csrf_cookie}"
        for patient in seeded["patients"]
    ]

    # The session opens the page, which lists the category's concerns in a form to POST back.
    status, _, body = _request(port, "GET", path, cookie=cookies[0])
    assert status == 200, body[:1000]
    assert body.count('type="checkbox"') == seeded["concerns_in_category"]
    assert f'value="{seeded["concern"]}"' in body
    form = urlencode({"csrfmiddlewaretoken": _csrf_input(body), "concerns": seeded["concern"]}).encode()
    # One tick saved, then PRG: a 302 to the category's scores page (not followed when measured).
    scores_path = path.rstrip("/") + "/scores/"
    for cookie in cookies:
        status, headers, body = _request(port, "POST", path, cookie=cookie, body=form)
        assert status == 302, f"{status} {body[:1000]}"
        assert headers["Location"] == scores_path, headers["Location"]
        assert _request(port, "GET", scores_path, cookie=cookie)[0] == 200  # the tick was saved

    ceiling_get, bare_get = harness.baselines(ceiling_server)
    page_get = harness.Measurement("Question page (first category)", path)
    ceiling_post = harness.Measurement(
        ceiling_get.name, harness.BARE_PATH, method="POST", body=form, port=ceiling_server.port
    )
    bare_post = harness.Measurement(bare_get.name, harness.BARE_PATH, method="POST", body=form)
    page_post = harness.Measurement("Question page, one tick saved", path, method="POST", body=form, expect=302)
    measurements = (ceiling_get, bare_get, page_get, ceiling_post, bare_post, page_post)
    harness.warm_then_alternate(bench_server, cookies, *measurements)

    session_notes = [
        f"{harness.CONCURRENCY} patients, one per client thread, each signed in once through {START} with the "
        "real form (passcode + date of birth, CSRF token); the sign-in is not timed. The bare view gets the "
        "same cookies, so both load and save the same passcode session on every request.",
    ]
    get_comparison = bench_report.add_page(
        "hna-question-get",
        f"GET {path} (the first category's tick page: {seeded['concerns_in_category']} checkboxes) in the "
        "patient's passcode session; the platform baseline is the bare view with the same cookies.",
        page_get,
        ceiling=ceiling_get,
        platform=bare_get,
        profile=lambda: harness.profile_page(bench_database, page_get, cookies[0]),
        notes=session_notes
        + ["Every patient page checks again that the passcode is live and the assessment open (never cached)."],
    )
    post_comparison = bench_report.add_page(
        "hna-question-post",
        f"POST {path} ticking one concern (CSRF token, form-encoded), answered by a 302 to the scores page "
        "(PRG; the redirect is not followed), against the same POST to both bare views (200; the portal's "
        "checks the CSRF token).",
        page_post,
        ceiling=ceiling_post,
        platform=bare_post,
        notes=[
            "Each POST re-saves the same tick: save_ticks locks the assessment and updates or creates one "
            f"answer per concern in the category ({seeded['concerns_in_category']}), then the last page is "
            "saved (full_clean) and the next step worked out.",
        ],
    )
    harness.assert_all_answered(bench_server, *measurements)
    for comparison in (get_comparison, post_comparison):
        assert comparison["ratios"]["to_ceiling"] > 0
        assert comparison["ratios"]["to_platform"] > 0


# --- the passcode check, in process ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # real autocommit reads, as in a request
def test_passcode_check_cost(bench_report):

    from hna.models import Passcode
    from hna.services import passcodes
    from portal.people.models import Patient

    team, cns = seed_hna.care_team()
    patient, done = seed_hna.set_up_hna(cns, team)
    for _ in range(20):  # more passcodes in the table than the one looked up
        seed_hna.set_up_hna(cns, team)
    raw, born = done.passcode, patient.date_of_birth

    def look_up():
        return (
            Passcode.objects.select_related("assessment__patient")
            .filter(digest=passcodes.digest(raw), purpose="assessment")
            .first()
        )

    check = harness.Timing("passcodes.check(raw, date_of_birth), right date of birth")
    exists = harness.Timing("Patient.objects.filter(pk=...).exists()")
    # Where the time goes: the keyed hash, and the look-up query alone.
    parts = {
        "the keyed hash (passcodes.digest)": harness.Timing("digest"),
        "the look-up query alone (hash + join of passcode, assessment, patient; autocommit)": harness.Timing("q"),
    }
    for _ in range(PASSCODE_WARMUP):
        passcodes.check(raw, born)
        Patient.objects.filter(pk=patient.pk).exists()
    harness.alternate(
        [
            (check, lambda: passcodes.check(raw, born)),
            (exists, lambda: Patient.objects.filter(pk=patient.pk).exists()),
            *zip(parts.values(), (lambda: passcodes.digest(raw), look_up), strict=True),
        ],
        PASSCODE_CALLS,
        chunk=100,
    )

    found = passcodes.check(raw, born)
    assert found is not None and found.assessment_id == done.assessment.pk and found.state == "live"
    assert found.failed_attempts == 0  # every timed call was a right one: nothing counted, nothing locked
    assert len(check.samples) == len(exists.samples) == PASSCODE_CALLS
    breakdown = "; ".join(f"{name} {statistics.median(t.samples) * 1e6:.1f} µs" for name, t in parts.items())
    comparison = bench_report.add_timing(
        "passcode-check",
        f"passcodes.check of a live passcode with the right date of birth, {PASSCODE_CALLS} calls, against "
        f"as many Patient.objects.filter(pk=...).exists() (one primary-key query), alternating in turns of 100.",
        subject=check,
        baseline=exists,
        unit="µs",
        notes=[
            "check() with the right date of birth is one read: the passcode by its indexed digest (unique), "
            "joined to the assessment and patient (every column of the three), then whether it is live, "
            "the assessment still open and the date of birth compared in Python. Only a wrong date of birth "
            "writes (two atomic UPDATEs). The baseline query is one primary-key EXISTS.",
            f"Medians of the parts, timed alongside: {breakdown}.",
            f"Run in the pytest process against the test database (transaction=True: autocommit, as in a request); "
            f"{Passcode.objects.count()} passcodes in the table.",
        ],
    )
    assert comparison["ratios"]["median"] > 0


# --- the care plan PDF, in process ----------------------------------------------------------------


class _MemoryFetcher(URLFetcher):
    """The baseline's fetcher: the same files our fetcher served, from memory."""

    def __init__(self, files: dict):
        super().__init__()
        self.files = files

    def fetch(self, url, headers=None):
        body, content_type = self.files[url]
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


class _RecordingFetcher(StaticOnlyFetcher):
    """Our fetcher, noting what it served (to give the baseline the same stylesheet)."""

    def __init__(self):
        super().__init__(fail_on_errors=True)
        self.files = {}

    def fetch(self, url, headers=None):
        response = super().fetch(url, headers)
        body = response.read()
        content_type = response.headers.get("Content-Type", "application/octet-stream")
        self.files[url] = (body, content_type)
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


@pytest.mark.django_db
def test_care_plan_pdf_40_concerns(bench_report):
    from hna.models import CarePlan
    from hna.pdf import TEMPLATE, care_plan_pdf
    from hna.presenters_plans import PlanPresenter

    plan_id = seed_hna.plan_with_concerns(PDF_CONCERNS).pk

    def ours() -> bytes:
        # As the view does once it has the plan: presenter, template, our fetcher, WeasyPrint.
        plan = CarePlan.objects.select_related("patient", "team").get(pk=plan_id)
        return care_plan_pdf(PlanPresenter(plan, editor=True), strict=True)

    plan = CarePlan.objects.select_related("patient", "team").get(pk=plan_id)
    html = render_to_string(TEMPLATE, {"plan": PlanPresenter(plan, editor=True)})
    recorder = _RecordingFetcher()
    HTML(string=html, base_url=BASE_URL, url_fetcher=recorder).write_pdf()
    assert recorder.files, "the template links no stylesheet"
    files = recorder.files

    def weasyprint_alone() -> bytes:
        return HTML(string=html, base_url=BASE_URL, url_fetcher=_MemoryFetcher(files)).write_pdf()

    def template_alone() -> str:
        fresh = CarePlan.objects.select_related("patient", "team").get(pk=plan_id)
        return render_to_string(TEMPLATE, {"plan": PlanPresenter(fresh, editor=True)})

    first, alone = ours(), weasyprint_alone()  # warm-up: fonts, templates, stylesheet parsing
    subject = harness.Timing(f"hna.pdf.care_plan_pdf, {PDF_CONCERNS} concerns")
    baseline = harness.Timing("WeasyPrint alone, same HTML string and stylesheet")
    template = harness.Timing("Presenter + template alone")
    # The noise floor: a second WeasyPrint-alone series, doing exactly the baseline's work.
    control = harness.Timing("WeasyPrint alone again (A/A control)")
    harness.alternate(
        [(subject, ours), (baseline, weasyprint_alone), (template, template_alone), (control, weasyprint_alone)],
        PDF_RENDERS,
        collect=True,
    )

    for content in (first, alone):
        assert content.startswith(b"%PDF-")
    pages = len(PdfReader(io.BytesIO(first)).pages)
    assert pages == len(PdfReader(io.BytesIO(alone)).pages) > 5
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(first)).pages)
    assert plan.items.first().concern in " ".join(text.split())
    template_median = statistics.median(template.samples) * 1e3
    share = template_median / (statistics.median(subject.samples) * 1e3) * 100
    spread = abs(statistics.median(control.samples) / statistics.median(baseline.samples) - 1) * 100
    comparison = bench_report.add_timing(
        "care-plan-pdf-40",
        f"The PDF of a draft care plan with {PDF_CONCERNS} concerns, each with what matters, an action and "
        f"signposting ({pages} A4 pages, {len(first) // 1024} KiB), {PDF_RENDERS} renders after one warm-up, "
        "against WeasyPrint turning the same HTML string into a PDF with the stylesheet served from memory.",
        subject=subject,
        baseline=baseline,
        unit="ms",
        notes=[
            "The difference is our overhead: loading the plan and its items, the presenter, the Jinja print "
            f"template (median {template_median:.1f} ms for presenter + template alone, timed alongside: "
            f"{share:.1f}% of the render) and the static-only URL fetcher finding print.css on disk.",
            f"Noise floor: a second WeasyPrint-alone series ({PDF_RENDERS} renders, same work) measured alongside "
            f"differed from the baseline's median by {spread:.1f}%. Ours does strictly more work than the "
            "baseline, so a ratio below 1 is no saving: in trial runs it came out 0-7% below 1 (cause not found; "
            "the same HTML, page count and stylesheet). Read the presenter + template share above as our "
            "overhead, and a ratio a few per cent either side of 1 as none measurable.",
            "Run in the pytest process against the test database; the view's permission check and audit "
            "event are not included.",
        ],
    )
    assert comparison["ratios"]["median"] > 0
