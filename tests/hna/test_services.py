"""HNA domain services: passcodes and the assessment lifecycle."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from hna.models import Assessment, ChecklistVersion, ConcernAnswer, ConcernItem, Passcode
from hna.models.passcode import PASSCODE_ALPHABET
from hna.services import assessments, passcodes
from portal.outbox.models import Notification
from portal.worklist.models import Kind, Priority, WorkItem

pytestmark = pytest.mark.django_db


def set_up(cast, **kw):
    fields = {
        "actor": cast.cns_a,
        "patient": cast.patient,
        "point_of_pathway": "01",
        "trigger": "diagnosis",
        "offer_status": "03",
        "event_date": datetime.date.today(),
    }
    return assessments.set_up(**{**fields, **kw})


def test_checklist_v1_is_loaded_and_current():
    version = ChecklistVersion.current()
    assert version.number == 1
    assert version.categories.count() == 6
    assert ConcernItem.objects.filter(category__version=version).count() >= 50
    assert ConcernItem.objects.filter(code="emotional-worry", text="Worry, fear or anxiety").exists()


def test_passcodes_use_the_alphabet_and_are_stored_only_as_a_hash(cast):
    s = set_up(cast)
    assert len(s.passcode) == 8 and set(s.passcode) <= set(PASSCODE_ALPHABET)
    assert not set("0O1IL5S2Z8B") & set(PASSCODE_ALPHABET)
    row = Passcode.objects.get(assessment=s.assessment)
    assert s.passcode not in row.digest and len(row.digest) == 64
    assert abs(row.expires_at - row.created_at - datetime.timedelta(days=14)) < datetime.timedelta(seconds=1)


def test_check_accepts_what_people_type(cast):
    s = set_up(cast)
    typed = f" {s.passcode[:4].lower()}-{s.passcode[4:]} "
    assert passcodes.check(typed, cast.patient.date_of_birth) is not None


def test_five_wrong_dates_of_birth_lock_the_passcode(cast):
    s = set_up(cast)
    wrong = cast.patient.date_of_birth + datetime.timedelta(days=1)
    for _ in range(5):
        assert passcodes.check(s.passcode, wrong) is None
    assert passcodes.check(s.passcode, cast.patient.date_of_birth) is None
    assert Passcode.objects.get(assessment=s.assessment).state == "locked"


def test_reissue_kills_the_old_passcode_and_only_one_is_live(cast):
    s = set_up(cast)
    new = assessments.reissue_passcode(actor=cast.cns_a, assessment=s.assessment)
    assert passcodes.check(s.passcode, cast.patient.date_of_birth) is None
    assert passcodes.check(new, cast.patient.date_of_birth) is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Passcode.objects.create(assessment=s.assessment, digest="x" * 64, expires_at=s.assessment.created_at)


def test_passcodes_expire(cast):
    s = set_up(cast)
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=15)):
        assert passcodes.check(s.passcode, cast.patient.date_of_birth) is None
        assert passcodes.expire_old() == 1
        assert passcodes.expire_old() == 0


def test_only_the_patients_care_team_can_set_up(cast):
    with pytest.raises(PermissionDenied):
        set_up(cast, actor=cast.cns_b)
    with pytest.raises(PermissionDenied):
        set_up(cast, actor=cast.gp_a)


def test_answers_save_as_they_go_and_unticking_clears_the_score(cast):
    s = set_up(cast)
    assessments.save_ticks(s.assessment, "physical", {"physical-pain", "physical-sleep"})
    assessments.save_scores(s.assessment, {"physical-pain": 8, "physical-sleep": 3})
    s.assessment.refresh_from_db()
    assert s.assessment.status == Assessment.Status.IN_PROGRESS
    assessments.save_ticks(s.assessment, "physical", {"physical-pain"})
    sleep = ConcernAnswer.objects.get(assessment=s.assessment, item__code="physical-sleep")
    assert (sleep.ticked, sleep.score) == (False, None)
    assert ConcernAnswer.objects.get(assessment=s.assessment, item__code="physical-pain").score == 8


def test_a_score_for_an_unticked_concern_is_refused(cast):
    s = set_up(cast)
    with pytest.raises(ValidationError, match="only score a concern you have ticked"):
        assessments.save_scores(s.assessment, {"physical-pain": 5})
    assessments.save_ticks(s.assessment, "physical", {"physical-pain"})
    with pytest.raises(ValidationError, match="between 0 and 10"):
        assessments.save_scores(s.assessment, {"physical-pain": 11})
    with pytest.raises(IntegrityError), transaction.atomic():
        ConcernAnswer.objects.filter(assessment=s.assessment).update(ticked=False, score=4)


def test_a_language_need_keeps_the_language_typed_with_it(cast):
    s = set_up(cast)
    saved = assessments.save_answers(
        s.assessment, communication_needs=["language", "interpreter"], communication_detail=" Polish "
    )
    assert (saved.communication_needs, saved.communication_detail) == (["language", "interpreter"], "Polish")
    stored = Assessment.objects.get(pk=s.assessment.pk)
    assert (stored.communication_needs, stored.communication_detail) == (["language", "interpreter"], "Polish")


def test_with_no_communication_need_no_detail_is_kept(cast):
    """A detail describes a need: with every need unticked it would say something no one asked for."""
    s = set_up(cast)
    assessments.save_answers(s.assessment, communication_needs=["language"], communication_detail="Polish")
    saved = assessments.save_answers(s.assessment, communication_needs=[], communication_detail="Polish")
    assert (saved.communication_needs, saved.communication_detail) == ([], "")
    assert Assessment.objects.get(pk=s.assessment.pk).communication_detail == ""


def test_submit_closes_the_passcode_raises_work_and_emails_the_cns(cast, django_capture_on_commit_callbacks):
    s = set_up(cast)
    assessments.save_ticks(s.assessment, "emotional", {"emotional-worry"})
    assessments.save_scores(s.assessment, {"emotional-worry": 9})
    assessments.save_answers(s.assessment, distress_score=7)
    with django_capture_on_commit_callbacks(execute=False):
        assessments.submit(passcodes.check(s.passcode, cast.patient.date_of_birth))
    s.assessment.refresh_from_db()
    assert s.assessment.status == Assessment.Status.SUBMITTED and s.assessment.submitted_at
    assert passcodes.check(s.passcode, cast.patient.date_of_birth) is None
    item = WorkItem.objects.get(kind=Kind.HNA_SUBMITTED, source_id=str(s.assessment.pk))
    assert item.team == cast.team_a and item.priority == Priority.HIGH  # distress 7
    note = Notification.objects.get(template="hna.submitted")
    assert note.recipient == cast.cns_a.email
    with pytest.raises(assessments.AssessmentClosed):
        assessments.save_answers(s.assessment, distress_score=2)


def test_submit_refuses_ticked_concerns_without_a_score(cast):
    s = set_up(cast)
    assessments.save_ticks(s.assessment, "physical", {"physical-pain"})
    with pytest.raises(ValidationError, match="score from 0 to 10 for 1 ticked concern"):
        assessments.submit(passcodes.check(s.passcode, cast.patient.date_of_birth))


def test_set_up_can_send_the_passcode_by_email(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        s = set_up(cast, send_by="email")
    note = Notification.objects.get(template="hna.passcode")
    assert note.recipient == cast.patient.email
    assert note.context["secret_passcode"] == passcodes.display(s.passcode)


def test_new_assessments_use_the_newest_published_checklist(cast):
    first = set_up(cast).assessment
    ChecklistVersion.objects.create(number=2, name="v2", status="published", published_at=first.created_at)
    second = set_up(cast).assessment
    first.refresh_from_db()
    assert (first.checklist_version.number, second.checklist_version.number) == (1, 2)
