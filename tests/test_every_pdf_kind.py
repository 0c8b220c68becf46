"""Every kind of PDF the portal makes reads cleanly (issue 10): no markup shown as text (`<span`,
`&lt;`, `&amp;`) and no two list items run together in the extracted text, the way a GP system or
a screen reader gets it. The kinds are found in the source (every call of render_pdf), so a new
kind fails here until it has a case below."""

import datetime
import pathlib
import re

import pytest
from django.urls import reverse

from hna.models import ItemOwner, ItemStatus
from hna.services import care_plans
from portal.people.models import Patient
from tests.hna.test_care_plans import start
from tests.pdf_text import assert_no_run_together, pdf_text
from tests.treatment_summaries.factories import make_version
from treatment_summaries.pdf import render_summary

pytestmark = pytest.mark.django_db
ROOT = pathlib.Path(__file__).resolve().parent.parent
APPS = ("portal", "hna", "treatment_summaries", "care_reviews", "followup", "qol_survey", "wellbeing")

# Free text with the characters that escaping changes: they must print as typed, once.
TYPED = "Bloods & <PSA> every 6 months"
TREATMENTS = [
    ("surgery", "Wide local excision", datetime.date(2024, 2, 12), datetime.date(2024, 2, 12)),
    ("radiotherapy", "40 Gy in 15 fractions", datetime.date(2024, 3, 4), None),
]
ACTIONS = ("Prescribe letrozole 2.5 mg daily for 5 years", TYPED, "Check bone health with a DEXA scan")
SUMMARY_ITEMS = [
    [
        "Surgery: Wide local excision (12 February 2024 to 12 February 2024)",
        "Radiotherapy: 40 Gy in 15 fractions (4 March 2024, ongoing)",
    ],
    list(ACTIONS),
]


def pdf_modules() -> set[str]:
    """Source modules that render a PDF (they import portal.ui.pdf's render_pdf), as dotted names."""
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if re.search(r"from portal\.ui\.pdf import [^\n]*\brender_pdf\b", path.read_text()):
                found.add(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return found


def assert_reads_cleanly(text: str, lists) -> None:
    for marker in ("<span", "&lt;", "&gt;", "&amp;", "&quot;", "&#"):
        assert marker not in text, f"{marker!r} shown as text:\n{text}"
    for items in lists:
        assert_no_run_together(text, items, newline=True)


def care_plan_pdf(client, cast):
    plan = start(cast)
    actions = {"Pain": "Referral to the pain clinic", "Worry, fear or anxiety": TYPED}
    for concern, action in actions.items():
        item = plan.items.get(concern=concern)
        plan.refresh_from_db()
        care_plans.update_item(
            actor=cast.cns_a,
            item=item,
            seen_lock_version=plan.lock_version,
            what_matters="Sleeping through the night",
            action=action,
            owner=ItemOwner.OTHER_PROFESSIONAL,
            owner_detail="Pain team",
            status=ItemStatus.IN_PROGRESS,
        )
    client.force_login(cast.cns_a)
    response = client.get(reverse("hna:plan_pdf", kwargs={"plan_id": plan.pk}))
    assert response.status_code == 200
    # Each concern is its own section: their names, in plan order, must not touch either.
    return response.content, [[item.concern for item in plan.items.all()]]


# The follow-up tests a colorectal pathway plans (ADR 0054), kept in the summary at sign-off: one a line.
PLANNED_TESTS = [
    "CEA blood test: every 6 months, then yearly, next due 15 July 2026, until 2031; arranged by the GP practice",
    "CT scan of chest, abdomen and pelvis: every 18 months, next due 15 January 2027, until 2028; "
    "arranged by the hospital team",
    "Colonoscopy: every 3 years, next due 15 January 2027, until 2030; arranged by the hospital team",
]


def summary_pdf(client, cast):
    from tests.followup.factories import make_pathway

    make_pathway(cast.patient, cast.team_a, protocol_slug="colorectal-default", anchor_date=datetime.date(2026, 1, 15))
    version = make_version(cast, "sent", treatments=TREATMENTS, gp_actions=ACTIONS, pdf=render_summary)
    delivery = version.practice_deliveries.get()
    client.force_login(cast.gp_a)
    response = client.get(reverse("treatment_summaries:inbox_delivery_pdf", kwargs={"delivery_id": delivery.pk}))
    assert response.status_code == 200
    return response.content, [*SUMMARY_ITEMS, PLANNED_TESTS]


def letter_batch_pdf(client, cast):
    Patient.objects.filter(pk=cast.patient.pk).update(preferred_contact=Patient.Contact.POST)
    make_version(cast, "sent", treatments=TREATMENTS, gp_actions=ACTIONS, pdf=render_summary)
    client.force_login(cast.cns_a)
    response = client.post(reverse("treatment_summaries:letter_batch"))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return response.content, SUMMARY_ITEMS


def followup_letter_pdf(client, cast):
    # followup: sweep. A reminder letter as the sweep leaves it, the test's name typed with & and <.
    from followup.models import FollowupLetter
    from tests.followup.sweep_helpers import quiet_pathway

    pathway = quiet_pathway(patient=cast.patient, team=cast.team_a)
    FollowupLetter.objects.create(
        patient=cast.patient, team=cast.team_a, pathway=pathway, kind=FollowupLetter.Kind.REMINDER, key="pdf-kind",
        context={"test": TYPED, "due": "15 June 2026", "at_gp": True},
    )  # fmt: skip
    client.force_login(cast.cns_a)
    response = client.post(reverse("followup:letter_batch"))
    assert response.status_code == 200, response.status_code
    return response.content, []


def qol_letter_pdf(client, cast):
    # qol_survey: dispatch. A reminder letter with its paper copy, the address typed with & and <.
    from qol_survey.models import Instrument, Purpose, QolLetter
    from tests.factories import DiagnosisFactory
    from tests.qol_survey.factories import make_invitation

    Patient.objects.filter(pk=cast.patient.pk).update(address=f"{TYPED}\nLeeds")
    invitation = make_invitation(diagnosis=DiagnosisFactory(patient=cast.patient), team=cast.team_a)
    QolLetter.objects.create(
        invitation=invitation, patient=cast.patient, team=cast.team_a, kind=Purpose.REMINDER, key="pdf-kind"
    )
    client.force_login(cast.cns_a)
    response = client.post(reverse("qol_survey:letter_batch"))
    assert response.status_code == 200, response.status_code
    # Each answer to tick is on its own line.
    return response.content, [Instrument.current("health-profile-5d").items.get(code="MO").answer_labels]


def qol_report_pdf(client, cast):
    # qol_survey: answer. The report has no typed text: the team's name carries the characters.
    from tests.qol_survey.factories import make_invitation, make_response

    cast.team_a.name = TYPED
    cast.team_a.save()
    response = make_response(make_invitation(patient=cast.patient, team=cast.team_a))
    client.force_login(cast.cns_a)
    page = client.get(reverse("qol_survey:team_response_pdf", kwargs={"response_id": response.pk}))
    assert page.status_code == 200
    return page.content, []


def care_review_pdf(client, cast):
    # care_reviews: the patient's summary; each action is its own list item.
    from care_reviews.services.reviews import record_review
    from tests.factories import DiagnosisFactory

    diagnosis = DiagnosisFactory(patient=cast.patient, date_of_diagnosis=datetime.date.today().replace(day=1))
    actions = [("Refer to benefits advice", "Practice"), (TYPED, "Practice nurse")]
    review = record_review(
        actor=cast.gp_a, diagnosis=diagnosis, kind="review", outcome="completed", reviewed_on=datetime.date.today(),
        mode="phone", concerns_physical=TYPED, actions=actions,
    )  # fmt: skip
    client.force_login(cast.patient_user)
    response = client.get(reverse("care_reviews:review_pdf", kwargs={"review_id": review.pk}))
    assert response.status_code == 200
    return response.content, [[f"{a} ({o})" for a, o in actions]]


KINDS = {
    "care_reviews.pdf": care_review_pdf,
    "hna.pdf": care_plan_pdf,
    "treatment_summaries.pdf": summary_pdf,
    "treatment_summaries.services.letters": letter_batch_pdf,
    "followup.services.sweep_letters": followup_letter_pdf,
    "qol_survey.services.dispatch_letters": qol_letter_pdf,
    "qol_survey.services.report": qol_report_pdf,  # qol_survey: answer
}


def test_every_module_that_renders_a_pdf_has_a_case_here():
    assert pdf_modules() == set(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_pdf_reads_cleanly(client, cast, kind):
    content, lists = KINDS[kind](client, cast)
    text = pdf_text(content)
    assert TYPED.split()[0] in text
    assert re.search(r"Bloods\s+&\s+<PSA>\s+every\s+6\s+months", text), text
    assert_reads_cleanly(text, lists)
