import pytest
from django.db import InternalError, transaction

from followup.models import PathwayChange, PathwayStatus, TestChange, TestStatus
from followup.services.history import BadTransition, change_pathway_status, change_test_status, snapshot
from tests.factories import UserFactory
from tests.followup.factories import make_pathway

pytestmark = pytest.mark.django_db


def test_a_pathway_status_change_is_saved_with_its_history():
    pathway, user = make_pathway(), UserFactory()
    change_pathway_status(pathway, PathwayStatus.SUSPENDED, actor=user, reason="Raised CEA")
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.SUSPENDED
    change = PathwayChange.objects.get(pathway=pathway)
    assert (change.status_from, change.status_to, change.by, change.reason) == (
        "active",
        "suspended",
        user,
        "Raised CEA",
    )
    assert change.snapshot == snapshot(pathway)
    assert change.snapshot["status"] == "suspended"


def test_a_pathway_cannot_leave_a_final_status():
    pathway = make_pathway()
    change_pathway_status(pathway, PathwayStatus.DISCHARGED, actor=None, reason="End of window")
    with pytest.raises(BadTransition, match="discharged cannot become active"):
        change_pathway_status(pathway, PathwayStatus.ACTIVE, actor=None, reason="")
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.DISCHARGED
    assert PathwayChange.objects.filter(pathway=pathway).count() == 1


def test_a_test_moves_only_along_the_loop():
    test = make_pathway().tests.first()
    with pytest.raises(BadTransition, match="scheduled cannot become told"):
        change_test_status(test, TestStatus.TOLD, actor=None, reason="")
    assert isinstance(BadTransition("x"), ValueError)
    for status in (TestStatus.REQUESTED, TestStatus.RESULTED, TestStatus.REVIEWED, TestStatus.TOLD):
        change_test_status(test, status, actor=None, reason="")
    test.refresh_from_db()
    assert test.status == TestStatus.TOLD
    assert list(TestChange.objects.filter(test=test).values_list("status_to", flat=True)) == [
        "requested",
        "resulted",
        "reviewed",
        "told",
    ]


def test_moving_a_due_date_is_recorded():
    test = make_pathway().tests.first()
    was = test.due_date
    later = was.replace(day=28)
    change_test_status(test, TestStatus.SCHEDULED, actor=None, reason="Patient on holiday", due_to=later)
    test.refresh_from_db()
    assert test.due_date == later
    change = TestChange.objects.get(test=test)
    assert (change.due_from, change.due_to, change.status_from, change.status_to) == (
        was,
        later,
        "scheduled",
        "scheduled",
    )


@pytest.mark.parametrize("model", [PathwayChange, TestChange])
def test_history_rows_cannot_be_changed_or_deleted(model):
    pathway = make_pathway()
    change_pathway_status(pathway, PathwayStatus.SUSPENDED, actor=None, reason="r")
    change_test_status(pathway.tests.first(), TestStatus.REQUESTED, actor=None, reason="r")
    row = model.objects.get()
    with pytest.raises(InternalError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(reason="rewritten")
    with pytest.raises(InternalError), transaction.atomic():
        row.delete()
    row.refresh_from_db()
    assert row.reason == "r"
