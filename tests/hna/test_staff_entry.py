"""Staff-entered and assisted HNAs (ADR 0053): a professional keys in a paper HNA or completes one
with the patient, through the Django test client; who and how are recorded and shown on the review,
in the API and the FHIR QuestionnaireResponse. Bad dates name the field and keep what was typed;
other teams and GPs are refused. The plan lock form asks the professional role."""

import datetime

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from hna.models import Assessment, AssessmentStatusChange, CarePlan, EntryMode
from hna.services import care_plans
from portal.audit.models import Action, AuditEvent
from portal.worklist.models import Kind, WorkItem
from tests.api.conftest import fhir_json

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def enter_url(patient):
    return f"/hna/patients/{patient.pk}/enter/"


def day_fields(name, day):
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def entry_post(mode, *, paper=None, **extra):
    data = {
        "entry_mode": mode,
        "point_of_pathway": "04",
        "trigger": "diagnosis",
        "cosd_staff_role": "01",
        "concerns-physical-concerns": ["physical-pain", "physical-sleep"],
        "concerns-emotional-concerns": ["emotional-anger"],
        "distress-distress_score": "7",
        "anything-else-anything_else": "Worried about the stairs at home",
        "someone-with-you-wants_company": "yes",
        "communication-needs": ["none"],
    }
    if paper:
        data.update(day_fields("completed_on_paper", paper))
    data.update(extra)
    return data


def enter(client, cast, mode, *, paper=None, scores=None):
    client.force_login(cast.cns_a)
    response = client.post(enter_url(cast.patient), entry_post(mode, paper=paper))
    assert response.status_code == 302, response.content.decode()[:2000]
    assessment = Assessment.objects.get(patient=cast.patient)
    assert response["Location"] == f"/hna/assessments/{assessment.pk}/enter/scores/"
    scores = scores or {"score_physical-pain": "6", "score_physical-sleep": "3", "score_emotional-anger": "8"}
    sent = client.post(f"/hna/assessments/{assessment.pk}/enter/scores/", scores)
    assert sent.status_code == 302 and sent["Location"] == f"/hna/assessments/{assessment.pk}/"
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def worry_item(db):
    # The checklist's emotional worry item code, as the forms post it.
    from hna.models import ConcernItem

    assert ConcernItem.objects.filter(code="emotional-anger").exists()


@pytest.mark.parametrize(
    ("mode", "shown"),
    [
        ("paper", "Keyed in from paper by"),
        ("assisted", "Completed with the patient (assisted) by"),
        ("in_clinic", "Completed in clinic by"),
    ],
)
def test_every_mode_goes_to_the_review_with_who_and_how(client, cast, mode, shown, worry_item):
    paper = TODAY - datetime.timedelta(days=2) if mode == "paper" else None
    assessment = enter(client, cast, mode, paper=paper)
    assert (assessment.status, assessment.entry_mode, assessment.entered_by) == ("submitted", mode, cast.cns_a)
    assert assessment.completed_on_paper == paper
    assert assessment.distress_score == 7 and assessment.wants_company == "yes"
    scores = {a.item.code: a.score for a in assessment.answers.filter(ticked=True).select_related("item")}
    assert scores == {"physical-pain": 6, "physical-sleep": 3, "emotional-anger": 8}
    # COSD: offered and accepted, dated the paper form's day for paper, today otherwise
    assert (assessment.offer_status, assessment.offer_status_date) == ("03", paper or TODAY)
    assert not assessment.passcodes.exists()
    # as a patient-sent one: a review worklist item, and the status changes name the professional
    assert WorkItem.objects.filter(kind=Kind.HNA_SUBMITTED, source_id=str(assessment.pk)).exists()
    assert set(AssessmentStatusChange.objects.filter(assessment=assessment).values_list("created_by", flat=True)) == {
        cast.cns_a.pk
    }
    audited = AuditEvent.objects.filter(object_id=str(assessment.pk), actor=cast.cns_a)
    assert {Action.CREATE, Action.UPDATE} <= set(audited.values_list("action", flat=True))
    page = client.get(f"/hna/assessments/{assessment.pk}/").content.decode()
    name = cast.cns_a.get_full_name() or cast.cns_a.email
    assert "How it was completed" in page and f"{shown} {name} (Clinical nurse specialist)" in page
    if paper:
        assert f"paper dated {paper.day} " in page


def test_existing_assessments_are_self_completed(cast):
    from tests.hna.test_api import make_assessment

    assessment = make_assessment(cast)
    assert (assessment.entry_mode, assessment.entered_by, assessment.completed_on_paper) == (
        EntryMode.PATIENT_SELF,
        None,
        None,
    )


class TestBadInput:
    def post(self, client, cast, **data):
        client.force_login(cast.cns_a)
        return client.post(enter_url(cast.patient), entry_post(**data))

    @pytest.mark.parametrize(
        ("day", "error"),
        [
            (None, "Enter the date the patient filled in the paper form"),
            (TODAY + datetime.timedelta(days=1), "must be today or in the past"),
            (datetime.date(1950, 1, 1), "must be after their date of birth"),
        ],
    )
    def test_a_bad_paper_date_names_the_field_and_keeps_the_answers(self, client, cast, day, error, worry_item):
        response = self.post(client, cast, mode="paper", paper=day)
        page = response.content.decode()
        assert response.status_code == 200 and error in page
        assert 'href="#id_completed_on_paper' in page  # the summary links to the field
        assert page.startswith("<!") or "<title>Error: " in page
        # nothing lost: the ticks, distress score and text are still there
        assert 'value="physical-pain" checked' in page and "Worried about the stairs at home" in page
        assert 'value="7" checked' in page
        assert not Assessment.objects.exists()

    def test_no_mode_and_a_bad_distress_score_are_both_named(self, client, cast):
        response = self.post(client, cast, mode="", **{"distress-distress_score": "11"})
        page = response.content.decode()
        assert "Select how the assessment was completed" in page and "Select a number from 0 to 10" in page
        assert not Assessment.objects.exists()

    def test_a_missing_score_names_the_concern_and_keeps_the_others(self, client, cast, worry_item):
        client.force_login(cast.cns_a)
        client.post(enter_url(cast.patient), entry_post("assisted"))
        assessment = Assessment.objects.get()
        url = f"/hna/assessments/{assessment.pk}/enter/scores/"
        page = client.post(url, {"score_physical-pain": "6", "score_physical-sleep": "12"}).content.decode()
        assert "Score for Sleep problems or nightmares must be a number from 0 to 10" in page
        assert "Enter a score from 0 to 10 for Anger or frustration" in page
        assert 'value="6"' in page
        assessment.refresh_from_db()
        assert assessment.status == "in_progress"


class TestAccess:
    def test_a_cns_of_another_team_and_a_gp_are_refused(self, client, cast):
        for user in (cast.cns_b, cast.gp_a):
            client.force_login(user)
            assert client.get(enter_url(cast.patient)).status_code in (403, 404)
            assert client.post(enter_url(cast.patient), entry_post("assisted")).status_code in (403, 404)
        assert not Assessment.objects.exists()

    def test_a_cns_of_another_team_cannot_enter_the_scores(self, client, cast, worry_item):
        client.force_login(cast.cns_a)
        client.post(enter_url(cast.patient), entry_post("in_clinic"))
        assessment = Assessment.objects.get()
        client.force_login(cast.cns_b)
        response = client.post(f"/hna/assessments/{assessment.pk}/enter/scores/", {"score_physical-pain": "1"})
        assert response.status_code in (403, 404)
        assessment.refresh_from_db()
        assert assessment.status == "in_progress"

    def test_a_patient_completed_one_cannot_be_scored_here(self, client, cast):
        from tests.hna.test_api import make_assessment

        assessment = make_assessment(cast, submit=False)
        client.force_login(cast.cns_a)
        response = client.post(f"/hna/assessments/{assessment.pk}/enter/scores/", {})
        assert response.status_code == 302
        assessment.refresh_from_db()
        assert assessment.status != "submitted"


def test_api_and_fhir_carry_who_and_how(client, cast, api_as, worry_item):
    paper = TODAY - datetime.timedelta(days=3)
    assessment = enter(client, cast, "paper", paper=paper)
    data = api_as(cast.cns_a).get(f"/api/v1/hna/assessments/{assessment.pk}/").json()
    name = cast.cns_a.get_full_name()
    assert (data["entry_mode"], data["entered_by"], data["completed_on_paper"]) == ("paper", name, paper.isoformat())
    resource = fhir_json(api_as(cast.cns_a).get(f"/fhir/QuestionnaireResponse/{assessment.pk}"), QuestionnaireResponse)
    assert resource["author"] == {"type": "Practitioner", "display": name or cast.cns_a.email}
    assert resource["source"]["identifier"]["value"] == cast.patient.nhs_number
    extensions = {e["url"].rsplit("/", 1)[-1]: e for e in resource["extension"]}
    assert extensions["hna-entry-mode"]["valueCode"] == "paper"
    assert extensions["hna-completed-on-paper"]["valueDate"] == paper.isoformat()


def test_the_plan_lock_form_asks_the_role_defaulting_to_the_set_up_one(client, cast, worry_item):
    client.force_login(cast.cns_a)
    post = entry_post("assisted", cosd_staff_role="05")
    client.post(enter_url(cast.patient), post)
    assessment = Assessment.objects.get()
    client.post(
        f"/hna/assessments/{assessment.pk}/enter/scores/",
        {"score_physical-pain": "6", "score_physical-sleep": "3", "score_emotional-anger": "8"},
    )
    plan = care_plans.start_plan(actor=cast.cns_a, assessment=assessment)
    page = client.get(f"/hna/plans/{plan.pk}/").content.decode()
    assert "Your professional role" in page and 'value="05" checked' in page
    lock = {"lock_version": plan.lock_version, "confirm_blank": "yes", "cosd_staff_role": "03"}
    client.post(f"/hna/plans/{plan.pk}/lock/", lock)
    plan.refresh_from_db()
    assert (plan.status, plan.cosd_staff_role) == (CarePlan.Status.LOCKED, "03")


def test_the_plan_lock_refuses_a_role_not_in_the_list(client, cast, worry_item):
    client.force_login(cast.cns_a)
    client.post(enter_url(cast.patient), entry_post("assisted"))
    assessment = Assessment.objects.get()
    client.post(
        f"/hna/assessments/{assessment.pk}/enter/scores/",
        {"score_physical-pain": "6", "score_physical-sleep": "3", "score_emotional-anger": "8"},
    )
    plan = care_plans.start_plan(actor=cast.cns_a, assessment=assessment)
    response = client.post(
        f"/hna/plans/{plan.pk}/lock/",
        {"lock_version": plan.lock_version, "confirm_blank": "yes", "cosd_staff_role": "99"},
        follow=True,
    )
    assert "Your professional role" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == CarePlan.Status.DRAFT
