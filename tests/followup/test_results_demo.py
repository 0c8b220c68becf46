"""The follow-up results demo stages seed_demo makes (followup/demo_results.py)."""

import pytest
from django.core.management import call_command

from followup import demo_results as demo
from followup.models import Result, TestStatus
from portal.people.demo import demo_nhs_number
from portal.worklist.models import Kind, WorkItem

pytestmark = pytest.mark.django_db


def result_of(index) -> Result:
    return Result.objects.get(nhs_number=demo_nhs_number(index))


def test_results_wait_for_review_abnormal_one_included_and_one_is_unmatched(seeded_demo):
    waiting, abnormal, unmatched = (result_of(i) for i in (demo.WAITING, demo.ABNORMAL, demo.UNMATCHED))
    assert waiting.test.status == TestStatus.RESULTED and waiting.abnormal is False and not waiting.reviewed_at
    assert abnormal.abnormal is True and abnormal.test.status == TestStatus.RESULTED
    assert unmatched.test is None and "no open CEA test" in unmatched.unmatched_reason
    assert WorkItem.objects.filter(kind=Kind.UNMATCHED_RESULT, source_id=str(unmatched.pk)).exists()
    assert "abnormal CEA result waiting for review" in seeded_demo


def test_a_second_run_makes_nothing(seeded_demo):
    before = Result.objects.count()
    call_command("seed_demo")
    assert before >= 3 and Result.objects.count() == before
