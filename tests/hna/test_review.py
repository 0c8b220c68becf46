"""The CNS review: ranked concerns, the distress score, the comparison with the previous HNA (across
checklist versions), marking as reviewed; and the team list."""

import re
from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hna.admin import copy_as_draft, publish
from hna.models import Assessment, ChecklistVersion, ConcernItem
from hna.presenters import ReviewPresenter
from hna.services import assessments
from portal.audit.models import Action, AuditEvent
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db
ROW_LINK = re.compile(r'href="/hna/assessments/[0-9a-f-]{36}/"')


def set_up(cast, patient=None, actor=None):
    return assessments.set_up(
        actor=actor or cast.cns_a,
        patient=patient or cast.patient,
        point_of_pathway="01",
        trigger="diagnosis",
        offer_status="03",
        event_date=timezone.localdate(),
    ).assessment


def answered(cast, scores, distress=None, patient=None, **answers):
    """An HNA the patient has answered and sent: `scores` maps item codes to 0-10."""
    assessment = set_up(cast, patient)
    by_category = defaultdict(set)
    for code in scores:
        by_category[code.split("-")[0]].add(code)
    for category, codes in by_category.items():
        assessments.save_ticks(assessment, category, codes)
    assessments.save_scores(assessment, scores)
    assessments.save_answers(assessment, distress_score=distress, **answers)
    return assessments.submit(assessment.passcodes.get(revoked_at__isnull=True))


def review_url(assessment):
    return f"/hna/assessments/{assessment.pk}/"


def presenter_for(assessment, previous=None):
    answers = assessment.answers.select_related("item__category")
    prev = previous.answers.select_related("item__category") if previous else None
    return ReviewPresenter(assessment, answers, previous, prev)


@pytest.fixture
def cns(client, cast):
    client.force_login(cast.cns_a)
    return client


def test_concerns_are_ranked_and_grouped_by_category(cns, cast):
    scores = {"physical-pain": 3, "emotional-worry": 9, "physical-fatigue": 7, "practical-money": 5}
    assessment = answered(cast, scores, distress=2)
    groups = presenter_for(assessment).groups
    assert [g.name for g in groups] == ["Emotional", "Physical", "Practical"]
    assert [(r.text, r.score) for r in groups[1].rows] == [("Tired, exhausted or fatigued", 7), ("Pain", 3)]

    html = cns.get(review_url(assessment)).content.decode()
    order = [html.index(text) for text in ("Worry, fear or anxiety", "Tired, exhausted", ">Pain<", "Money or housing")]
    assert order == sorted(order)
    assert "first assessment" in html and "Last time" not in html
    assert "nhsuk-card--warning" not in html and "Distress score 2 out of 10" in html


@pytest.mark.parametrize(("distress", "highlighted"), [(4, False), (5, True), (10, True)])
def test_distress_of_5_or_more_is_highlighted(cns, cast, distress, highlighted):
    assessment = answered(cast, {"physical-pain": 1}, distress=distress)
    html = cns.get(review_url(assessment)).content.decode()
    assert ("nhsuk-card--warning" in html) is highlighted
    assert f"Distress score {distress} out of 10" in html


def test_the_patients_other_answers_are_shown(cns, cast):
    assessment = answered(
        cast,
        {"physical-pain": 4},
        anything_else="Worried about driving",
        wants_company="yes",
        communication_needs=["hearing"],
        communication_detail="Uses a hearing aid",
    )
    html = cns.get(review_url(assessment)).content.decode()
    for text in ("Worried about driving", "Would like someone with them", "Hearing: Uses a hearing aid"):
        assert text in html


def test_comparison_with_the_previous_hna(cns, cast):
    before = answered(
        cast, {"physical-pain": 3, "emotional-worry": 5, "physical-sleep": 4, "practical-money": 8}, distress=6
    )
    now = answered(cast, {"physical-pain": 6, "emotional-worry": 5, "physical-fatigue": 2, "physical-sleep": 1})
    presenter = presenter_for(now, before)
    changes = {row.text: (row.change, row.previous_score) for g in presenter.groups for row in g.rows}
    assert changes == {
        "Pain": ("higher", 3),
        "Worry, fear or anxiety": ("same", 5),
        "Tired, exhausted or fatigued": ("new", None),
        "Sleep problems or nightmares": ("lower", 4),
    }
    assert [(r.text, r.change, r.previous_score) for r in presenter.not_ticked] == [
        ("Money or housing", "not_ticked", 8)
    ]

    html = cns.get(review_url(now)).content.decode()
    for tag in ("Higher", "Same", "New", "Lower", "Not ticked this time"):
        assert f">{tag}</strong>" in html
    assert "Resolved" not in html  # not ticked is not resolved: it may have been skipped
    assert review_url(before) in html and "Last time: 6 out of 10" not in html  # not high now: no callout
    # The earlier HNA compares with nothing earlier still.
    assert "first assessment" in cns.get(review_url(before)).content.decode()


def test_comparison_works_across_checklist_versions(cns, cast, django_user_model):
    before = answered(cast, {"physical-pain": 3, "emotional-worry": 6})
    draft = copy_as_draft(ChecklistVersion.current())
    ConcernItem.objects.filter(category__version=draft, code="physical-pain").update(text="Pain or discomfort")
    publish(draft, cast.cns_a)
    now = answered(cast, {"physical-pain": 8, "emotional-worry": 2})
    assert before.checklist_version.number == 1 and now.checklist_version.number == draft.number

    changes = {row.text: row.change for g in presenter_for(now, before).groups for row in g.rows}
    assert changes == {"Pain or discomfort": "higher", "Worry, fear or anxiety": "lower"}
    assert "Pain or discomfort" in cns.get(review_url(now)).content.decode()


def test_review_is_audited(cns, cast):
    assessment = answered(cast, {"physical-pain": 3})
    cns.get(review_url(assessment))
    event = AuditEvent.objects.filter(action=Action.VIEW, object_id=str(assessment.pk)).get()
    assert event.actor == cast.cns_a and event.patient == cast.patient


def test_mark_as_reviewed(cns, cast):
    assessment = answered(cast, {"physical-pain": 3})
    html = cns.get(review_url(assessment)).content.decode()
    assert f'action="{review_url(assessment)}reviewed/"' in html
    assert f'action="{review_url(assessment)}plan/"' in html and "Start a care plan" in html
    assert "Reissue passcode" not in html

    html = cns.post(f"{review_url(assessment)}reviewed/", follow=True).content.decode()
    assert "Assessment marked as reviewed." in html and "Mark as reviewed" not in html
    assessment.refresh_from_db()
    assert assessment.status == "reviewed" and assessment.reviewed_by == cast.cns_a

    html = cns.post(f"{review_url(assessment)}reviewed/", follow=True).content.decode()
    assert "Only a submitted assessment can be marked as reviewed" in html


def test_waiting_assessment_offers_reissue_not_review_or_plan(cns, cast):
    assessment = set_up(cast)
    html = cns.get(review_url(assessment)).content.decode()
    assert "Waiting for the patient" in html and "Reissue passcode" in html
    assert "works until" in html
    assert "Mark as reviewed" not in html and "Start a care plan" not in html


def test_every_staff_url_is_404_for_outsiders(client, cast):
    assessment = answered(cast, {"physical-pain": 3})
    waiting = set_up(cast)
    urls = [
        ("get", review_url(assessment)),
        ("get", f"{review_url(waiting)}passcode/"),
        ("post", f"{review_url(waiting)}reissue/"),
        ("post", f"{review_url(assessment)}reviewed/"),
        ("get", f"/hna/patients/{cast.patient.pk}/set-up/"),
        ("post", f"/hna/patients/{cast.patient.pk}/set-up/"),
    ]
    for outsider in (cast.cns_b, cast.gp_b, cast.gp_a, cast.admin):
        client.force_login(outsider)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 404, (outsider.email, method, url)
    assert Assessment.objects.get(pk=assessment.pk).status == "submitted"
    assert waiting.passcodes.count() == 1


def test_team_list_counts_by_status_newest_first(cns, cast):
    first = answered(cast, {"physical-pain": 3}, distress=7)
    second = set_up(cast)
    other_team_patient = PatientFactory(care_teams=[cast.team_b])
    set_up(cast, other_team_patient, actor=cast.cns_b)

    html = cns.get("/hna/").content.decode()
    assert "2 assessments for your team" in html
    assert ">Submitted</strong> 1" in html and ">Waiting for the patient</strong> 1" in html
    assert html.index(review_url(second)) < html.index(review_url(first))
    assert "7 out of 10" in html and ">High</strong>" in html
    assert other_team_patient.nhs_number not in html.replace(" ", "")  # a name may also be a staff name


def test_team_list_is_for_the_care_team(client, cast):
    client.force_login(cast.gp_a)
    assert client.get("/hna/").status_code == 403


def test_team_list_queries_do_not_grow_with_assessments(cns, cast):
    def make(n):
        for _ in range(n):
            set_up(cast, PatientFactory(care_teams=[cast.team_a]))

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = cns.get("/hna/")
        return len(ctx.captured_queries), len(ROW_LINK.findall(response.content.decode()))

    make(5)
    cns.get("/hna/")
    few, rows = measure()
    assert rows == 5
    make(25)
    many, rows = measure()
    assert rows == 30 and many == few


def test_review_offers_an_account_passcode_only_to_patients_without_an_account(cns, cast):
    button = "Give the patient a passcode to create an account"
    assessment = answered(cast, {"physical-pain": 6})
    assert button not in cns.get(review_url(assessment)).content.decode()  # cast.patient has an account
    cast.patient.user = None
    cast.patient.save()
    html = cns.get(review_url(assessment)).content.decode()
    assert button in html and f"/hna/assessments/{assessment.pk}/account-passcode/" in html
