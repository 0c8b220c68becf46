"""The sweep's worklist safety net (issue 11 item 4): each item raised when its cause has waited too
long, not before, once, and closed when the cause is gone."""

import datetime

import pytest
from django.utils import timezone

from followup.models import CheckIn, Concern, ConcernStatus, Result, TestStatus
from followup.services import sweep
from portal.worklist.models import Kind, Priority, Status, WorkItem
from tests.factories import UserFactory
from tests.followup.factories import make_pathway
from tests.followup.sweep_helpers import TODAY, add_test, quiet_pathway

pytestmark = pytest.mark.django_db
days = datetime.timedelta


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def items(kind, **filters):
    return WorkItem.objects.filter(kind=kind, **filters)


def make_result(test, received_on, **fields):
    result = Result.objects.create(
        test=test,
        patient=test.pathway.patient,
        nhs_number=test.pathway.patient.nhs_number,
        test_code=test.test_type.code,
        sample_date=test.due_date,
        source=Result.Source.KEYED,
        **fields,
    )
    Result.objects.filter(pk=result.pk).update(received_at=at(received_on))
    return result


def test_no_result_21_days_after_the_due_date():
    pathway = quiet_pathway()
    late = add_test(pathway, TODAY - days(21), status=TestStatus.REQUESTED)
    add_test(pathway, TODAY - days(20), status=TestStatus.REQUESTED)  # not yet
    sweep.run(TODAY)
    item = items(Kind.NO_RESULT).get()
    assert (item.source_id, item.team, item.patient) == (str(late.pk), pathway.team, pathway.patient)
    assert "No result for CEA blood test" in item.title


def test_no_result_item_is_closed_when_the_result_comes():
    test = add_test(quiet_pathway(), TODAY - days(30), status=TestStatus.REQUESTED)
    sweep.run(TODAY)
    make_result(test, TODAY)
    sweep.run(TODAY + days(1))
    assert items(Kind.NO_RESULT).get().status == Status.DONE
    assert items(Kind.NO_RESULT).count() == 1


def test_result_to_review_after_more_than_2_working_days():
    pathway = quiet_pathway()
    # Received Wednesday 27 May: Thursday, Friday and Monday have passed by Monday 1 June (3 > 2).
    waiting = make_result(add_test(pathway, TODAY - days(10)), TODAY - days(5))
    # Received Thursday 28 May: Friday and Monday, 2 working days, not more.
    make_result(add_test(pathway, TODAY - days(9)), TODAY - days(4))
    sweep.run(TODAY)
    assert list(items(Kind.RESULT_TO_REVIEW).values_list("source_id", flat=True)) == [str(waiting.pk)]


def test_result_to_review_item_closes_once_reviewed():
    result = make_result(add_test(quiet_pathway(), TODAY - days(10)), TODAY - days(7))
    sweep.run(TODAY)
    Result.objects.filter(pk=result.pk).update(reviewed_at=timezone.now())
    sweep.run(TODAY)
    assert items(Kind.RESULT_TO_REVIEW).get().status == Status.DONE


def test_result_to_tell_5_working_days_after_review():
    pathway = quiet_pathway()
    # Reviewed Friday 22 May (bank holiday Monday 25 May): 26, 27, 28, 29 May and 1 June are 5, not more.
    make_result(add_test(pathway, TODAY - days(20)), TODAY - days(12), reviewed_at=at(TODAY - days(10)))
    # Reviewed Thursday 21 May: 6 working days.
    late = make_result(add_test(pathway, TODAY - days(21)), TODAY - days(12), reviewed_at=at(TODAY - days(11)))
    sweep.run(TODAY)
    assert list(items(Kind.RESULT_TO_TELL).values_list("source_id", flat=True)) == [str(late.pk)]
    Result.objects.filter(pk=late.pk).update(told_at=timezone.now(), told_how="phone")
    sweep.run(TODAY)
    assert items(Kind.RESULT_TO_TELL).get().status == Status.DONE


def test_no_next_step_for_an_open_pathway_with_nothing_ahead():
    pathway = make_pathway(anchor_date=datetime.date(2010, 1, 1), checkin_months=0, kind="professional_led")
    pathway.tests.update(status=TestStatus.TOLD)
    busy = quiet_pathway()  # tests ahead
    sweep.run(TODAY)
    item = items(Kind.NO_NEXT_STEP).get()
    assert item.source_id == str(pathway.pk)
    assert not items(Kind.NO_NEXT_STEP, source_id=str(busy.pk)).exists()
    # A test planned: the item is done; taking it away again brings the item back.
    test = add_test(pathway, TODAY + days(60))
    sweep.run(TODAY)
    assert items(Kind.NO_NEXT_STEP).get().status == Status.DONE
    test.delete()
    sweep.run(TODAY)
    assert items(Kind.NO_NEXT_STEP, status=Status.OPEN).count() == 1


def test_an_open_concern_or_a_running_pifu_window_is_a_next_step():
    concerned = make_pathway(anchor_date=datetime.date(2010, 1, 1), checkin_months=0, kind="professional_led")
    concerned.tests.update(status=TestStatus.TOLD)
    Concern.objects.create(pathway=concerned, raised_by=UserFactory(), respond_by=at(TODAY + days(2)))
    window = make_pathway(anchor_date=datetime.date(2010, 1, 1), checkin_months=0, pifu_end=TODAY + days(30))
    window.tests.update(status=TestStatus.TOLD)
    sweep.run(TODAY)
    assert not items(Kind.NO_NEXT_STEP).exists()


def test_checkin_unanswered_after_14_days():
    pathway = quiet_pathway()
    late = CheckIn.objects.create(pathway=pathway, sent_at=at(TODAY - days(15)), due_by=TODAY - days(1))
    CheckIn.objects.create(pathway=pathway, sent_at=at(TODAY - days(14)), due_by=TODAY)
    sweep.run(TODAY)
    assert list(items(Kind.CHECKIN_UNANSWERED).values_list("source_id", flat=True)) == [str(late.pk)]
    CheckIn.objects.filter(pk=late.pk).update(answered_at=timezone.now())
    sweep.run(TODAY)
    assert items(Kind.CHECKIN_UNANSWERED).get().status == Status.DONE


def test_concern_overdue_when_not_triaged_by_respond_by():
    pathway, user = quiet_pathway(), UserFactory()
    overdue = Concern.objects.create(pathway=pathway, raised_by=user, respond_by=timezone.now() - days(hours=1))
    Concern.objects.create(pathway=pathway, raised_by=user, respond_by=timezone.now() + days(hours=1))
    sweep.run(TODAY)
    item = items(Kind.CONCERN_OVERDUE).get()
    assert (item.source_id, item.priority) == (str(overdue.pk), Priority.URGENT)
    Concern.objects.filter(pk=overdue.pk).update(status=ConcernStatus.TRIAGED, triaged_at=timezone.now())
    sweep.run(TODAY)
    assert items(Kind.CONCERN_OVERDUE).get().status == Status.DONE


def test_an_item_closed_by_staff_is_not_raised_again_while_its_cause_lasts():
    add_test(quiet_pathway(), TODAY - days(30), status=TestStatus.REQUESTED)
    sweep.run(TODAY)
    items(Kind.NO_RESULT).update(status=Status.CANCELLED)
    sweep.run(TODAY + days(1))
    assert items(Kind.NO_RESULT).count() == 1
