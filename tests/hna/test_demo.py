"""The HNA demo stages seed_demo makes (hna/demo.py): each patient's record in the state its stage
names, made the way the pages make it (audit, outbox, worklist)."""

import re
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone

from alliance.services import SPLIT_KEYS, coverage
from hna import demo, demo_history
from hna.models import Assessment, CarePlan
from hna.presenters import ENTERED, completion_method
from portal.audit.models import AuditEvent
from portal.outbox.models import Notification
from portal.people.demo import demo_email, demo_nhs_number
from portal.people.models import Patient, User
from portal.reporting import MIN_GROUP
from portal.worklist.models import OPEN_STATUSES, Kind, Status, WorkItem

pytestmark = pytest.mark.django_db


def patient(index) -> Patient:
    return Patient.objects.get(nhs_number=demo_nhs_number(index))


def user(local) -> User:
    return User.objects.get(email=demo_email(local))


def scores(assessment) -> dict:
    return dict(assessment.answers.filter(ticked=True).values_list("item__code", "score"))


def expected(concerns) -> dict:
    return {f"{category}-{item}": score for category, item, score in concerns}


def worklist_items(assessment):
    return WorkItem.objects.filter(kind=Kind.HNA_SUBMITTED, source_type="hna.assessment", source_id=str(assessment.pk))


def test_waiting_hna_has_a_live_passcode_sent_to_the_patient_and_no_answers(seeded_demo):
    waiting = patient(demo.WAITING)
    (assessment,) = waiting.assessments.all()
    assert assessment.status == Assessment.Status.SET_UP
    assert assessment.set_up_by == user(demo.CNS)
    assert not assessment.answers.filter(ticked=True).exists()
    assert [p.state for p in assessment.passcodes.all()] == ["live"]
    assert Notification.objects.filter(patient=waiting, template="hna.passcode", recipient=waiting.email).exists()
    assert not worklist_items(assessment).exists()


def test_submitted_hna_waits_for_review_on_the_teams_worklist(seeded_demo):
    (assessment,) = patient(demo.SUBMITTED).assessments.all()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert assessment.submitted_at is not None
    assert scores(assessment) == expected(demo.SUBMITTED_CONCERNS)
    assert assessment.distress_score == 6
    (item,) = worklist_items(assessment)
    assert item.status in OPEN_STATUSES
    assert item.team == assessment.team
    # As in real use: the passcode is spent, the CNS who set it up was emailed, the send was audited.
    assert [p.state for p in assessment.passcodes.all()] == ["used"]
    assert Notification.objects.filter(template="hna.submitted", recipient=demo_email(demo.CNS)).exists()
    assert AuditEvent.objects.filter(object_id=str(assessment.pk), actor_label="system:hna-patient").exists()


def test_reviewed_hna_has_a_complete_plan_agreed_locked_and_shared_with_the_gp(seeded_demo):
    cns, planned = user(demo.CNS), patient(demo.PLANNED)
    (assessment,) = planned.assessments.all()
    assert assessment.status == Assessment.Status.REVIEWED
    assert assessment.reviewed_by == cns
    assert worklist_items(assessment).get().status == Status.DONE
    (plan,) = assessment.care_plans.all()
    assert (plan.status, plan.shared_with_gp, plan.locked_by) == (CarePlan.Status.LOCKED, True, cns)
    assert plan.summary == demo.PLAN_SUMMARY
    items = list(plan.items.order_by("position"))
    assert [i.concern_item.code for i in items] == sorted(demo.PLAN, key=lambda c: -expected(demo.PLANNED_CONCERNS)[c])
    for item in items:  # nothing left blank for the patient to read as "Not recorded"
        assert item.what_matters and item.action and item.owner and item.due_date and item.status, item.concern
    # Who sees it is the policy table's: the patient, and the practice they are registered with.
    assert CarePlan.objects.visible_to(planned.user).filter(pk=plan.pk).exists()
    assert CarePlan.objects.visible_to(user("gp.millbrook")).filter(pk=plan.pk).exists()
    assert not CarePlan.objects.visible_to(user("gp.hillside")).filter(pk=plan.pk).exists()


def test_second_hna_is_compared_with_the_first_on_its_review_page(seeded_demo, client, settings):
    first, second = patient(demo.COMPARED).assessments.order_by("submitted_at")
    assert (first.status, second.status) == (Assessment.Status.REVIEWED, Assessment.Status.SUBMITTED)
    assert (scores(first), scores(second)) == (expected(demo.FIRST_CONCERNS), expected(demo.SECOND_CONCERNS))
    settings.MFA_WAIVED = True
    client.force_login(user(demo.CNS))
    page = client.get(f"/hna/assessments/{second.pk}/").content.decode()
    assert f'href="/hna/assessments/{first.pk}/"' in page
    assert "nothing to compare it with" not in page


def test_the_printed_passcode_opens_the_waiting_hna(seeded_demo, client):
    waiting = patient(demo.WAITING)
    line = next(line for line in seeded_demo.splitlines() if waiting.full_name in line and "passcode" in line)
    passcode = re.search(r"passcode (\w{4}-\w{4})", line).group(1)
    dob = waiting.date_of_birth
    response = client.post(
        "/hna/start/",
        {
            "passcode": passcode,
            "date_of_birth_day": dob.day,
            "date_of_birth_month": dob.month,
            "date_of_birth_year": dob.year,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("index", "mode", "concerns"), [("PAPER", "paper", "PAPER_CONCERNS"), ("ASSISTED", "assisted", "ASSISTED_CONCERNS")]
)
def test_staff_entered_hnas_wait_for_review_showing_who_and_how(seeded_demo, index, mode, concerns):
    (assessment,) = patient(getattr(demo, index)).assessments.all()
    assert (assessment.status, assessment.entry_mode, assessment.entered_by) == ("submitted", mode, user(demo.CNS))
    assert (assessment.completed_on_paper is not None) == (mode == "paper")
    assert scores(assessment) == expected(getattr(demo, concerns))
    assert worklist_items(assessment).exists()
    # what the review page's "How it was completed" row says (the demo CNS signs in with 2FA)
    shown = completion_method(assessment)
    assert shown.startswith(f"{ENTERED[mode]} by ")
    assert ("paper dated" in shown) == (mode == "paper")


def test_past_hnas_give_the_alliance_report_counts_to_show_for_every_team(seeded_demo):
    """The history of hna.demo_history: in each of the last three full months every team offered
    and completed enough HNAs for the report to show the number, not "fewer than 10"; the history
    is reviewed work (nothing on the worklist), dated on its day, and the access log's chain holds."""
    this_month = timezone.localdate().replace(day=1)
    first = this_month - relativedelta(months=demo_history.MONTHS_BACK)
    report = coverage(first=first, last=this_month - relativedelta(months=1), split=SPLIT_KEYS["none"])
    assert len(report.teams) == 3
    for team in report.teams:
        for month in team.months:
            assert month.total.counts["hna_offered"] >= MIN_GROUP, (team.name, month.label)
            assert month.total.counts["hna_completed"] >= MIN_GROUP, (team.name, month.label)
            assert month.total.counts["hna_offered"] > month.total.counts["hna_completed"]  # some declined
    past = Assessment.objects.filter(submitted_at__date__lt=this_month)  # only the history is sent before today
    assert not WorkItem.objects.filter(
        kind=Kind.HNA_SUBMITTED, source_id__in=[str(pk) for pk in past.values_list("pk", flat=True)],
        status__in=OPEN_STATUSES,
    ).exists()  # fmt: skip
    sent = past.select_related("patient").first()
    assert timezone.localdate(sent.submitted_at) == sent.event_date
    assert min(d.date_of_diagnosis for d in sent.patient.diagnoses.all()) <= sent.event_date
    call_command("audit_verify", stdout=StringIO())  # raises if a row is out of time order
    assert CarePlan.objects.filter(assessment__in=past, locked_at__date__lt=this_month).exists()
