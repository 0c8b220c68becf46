"""The personal summary report (issue 12 item 5, ADR 0037): each score in plain English beside what
people of a similar age and sex score on average (the current ReferenceSet), for the respondent's
page and PDF and the same for staff; and the GP practice told when the respondent shares it.

Scores are rounded here, for display only; the response keeps them at full precision."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from portal.outbox.services import queue_notification
from portal.ui.pdf import render_pdf
from qol_survey.models import ReferenceSet, ReferenceValue, Scale, ScaleKind, age_band
from qol_survey.services import responses

PROFILE = "health-profile-5d"
CANCER = "cancer-30"
KNOWN_SEXES = ("1", "2")  # PERSON STATED GENDER CODE male, female: the reference means are by these
GP_TEMPLATE = "qol_survey.gp_report"
PDF_TEMPLATE = "qol_survey/report/report_pdf.jinja"
PDF_NAME = "quality-of-life-report.pdf"  # no personal data: it shows in download folders


@dataclass(frozen=True)
class Line:
    measure: str
    name: str
    score: str | None  # as shown: "72", "0.85"; None when it could not be worked out
    reference: str | None
    higher_is_better: bool
    sentence: str


@dataclass
class Report:
    response: object
    age_band: str | None
    compared_with: str  # "people of a similar age and sex", or "of a similar age"
    is_demo: bool
    reference_name: str
    profile: list[Line] = field(default_factory=list)
    scales: list[Line] = field(default_factory=list)

    @property
    def team(self):
        return self.response.team

    @property
    def patient(self):
        return self.response.patient


def _age(patient, on) -> int:
    born = patient.date_of_birth
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _means(response, band: str | None, sex: str) -> tuple[dict, ReferenceSet | None]:
    """{(instrument, measure): mean} for the band and sex, falling back to everyone in the band."""
    reference_set = ReferenceSet.current()
    if reference_set is None or band is None:
        return {}, reference_set
    rows = ReferenceValue.objects.filter(reference_set=reference_set, age_band=band, sex__in={sex, ""})
    means: dict = {}
    for row in rows.order_by("-sex"):  # the sex's own mean first; "" only where it has none
        means.setdefault((row.instrument, row.measure), row.mean)
    return means, reference_set


def _whole(value) -> str:
    return str(int(Decimal(str(value)).quantize(Decimal("1"), rounding="ROUND_HALF_UP")))


def _two_places(value) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"))


def _scale_line(scale, score, mean, compared_with) -> Line:
    better = scale.kind != ScaleKind.SYMPTOM
    name = scale.name[0].lower() + scale.name[1:]
    if score is None:
        sentence = (
            f"We could not work out your {name} score, because fewer than half of the questions about it were answered."
        )
        return Line(scale.code, scale.name, None, None, better, sentence)
    shown = _whole(score)
    sentence = f"Your {name} score is {shown} out of 100."
    reference = _whole(mean) if mean is not None else None
    if reference is not None:
        sentence += f" {compared_with.capitalize()} score {reference} on average."
    sentence += " Higher is better." if better else f" Lower is better: a higher score means more {name}."
    return Line(scale.code, scale.name, shown, reference, better, sentence)


def _profile_lines(scores: dict, means: dict, compared_with: str) -> list[Line]:
    lines = []
    index, mean = scores.get("index"), means.get((PROFILE, "index"))
    if index is None:
        sentence = "We could not work out your health profile score, because not all five questions were answered."
        lines.append(Line("index", "Health profile score", None, None, True, sentence))
    else:
        shown, reference = _two_places(index), _two_places(mean) if mean is not None else None
        sentence = f"Your health profile score is {shown}, on a scale where 1 is full health."
        if reference is not None:
            sentence += f" {compared_with.capitalize()} score {reference} on average."
        lines.append(Line("index", "Health profile score", shown, reference, True, sentence + " Higher is better."))
    today, mean = scores.get("health_today"), means.get((PROFILE, "health_today"))
    if today is None:
        sentence = "You did not give your health today a number."
        lines.append(Line("health_today", "Health today", None, None, True, sentence))
    else:
        reference = _whole(mean) if mean is not None else None
        sentence = f"You gave your health today {today} out of 100."
        if reference is not None:
            sentence += f" {compared_with.capitalize()} give {reference} on average."
        lines.append(
            Line("health_today", "Your health today", str(today), reference, True, sentence + " Higher is better.")
        )
    return lines


def build(response) -> Report:
    patient = response.patient
    band = age_band(_age(patient, response.submitted_at.date()))
    sex = patient.sex if patient.sex in KNOWN_SEXES else ""
    compared_with = "people of a similar age and sex" if sex else "people of a similar age"
    means, reference_set = _means(response, band, sex)
    report = Report(
        response=response,
        age_band=band,
        compared_with=compared_with,
        is_demo=bool(reference_set and reference_set.is_demo),
        reference_name=str(reference_set) if reference_set else "",
    )
    report.profile = _profile_lines(response.scores.get(PROFILE) or {}, means, compared_with)
    version = (response.versions or {}).get(CANCER)
    scales = Scale.objects.filter(instrument__code=CANCER, instrument__version=version).order_by("position")
    cancer_scores = response.scores.get(CANCER) or {}
    report.scales = [
        _scale_line(scale, cancer_scores.get(scale.code), means.get((CANCER, scale.code)), compared_with)
        for scale in scales
    ]
    return report


def pdf(response, *, for_patient: bool, strict: bool = False) -> bytes:
    """The report as a PDF: the same words as the page (the respondent's, or staff's heading)."""
    return render_pdf(PDF_TEMPLATE, {"report": build(response), "for_patient": for_patient}, strict=strict)


def staff_path(response) -> str:
    return f"/quality-of-life/team/responses/{response.pk}/"


def tell_practice(response) -> None:
    """Email the practice that a report is there to read (no clinical detail, no name), when the
    respondent shares it and the practice has an address. Once per response."""
    practice = response.patient.registered_practice
    if not response.share_with_gp or practice is None or not practice.email:
        return
    queue_notification(
        recipient=practice.email,
        channel="email",
        template=GP_TEMPLATE,
        idempotency_key=f"qol-gp-report:{response.pk}",
        context={
            "practice": practice.name,
            "team": response.team.name if response.team_id else "",
            "link": settings.PORTAL_BASE_URL + staff_path(response),
        },
    )


@transaction.atomic
def submit_and_share(invitation, answers: dict, **options):
    """responses.submit, then the practice told, in one transaction: a refused submit tells nobody."""
    response = responses.submit(invitation, answers, **options)
    tell_practice(response)
    return response
