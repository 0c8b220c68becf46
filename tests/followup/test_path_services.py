"""Stratification and the changes after it: every change kept as history, bad input refused with
the field named and nothing lost, and actors outside the policy table refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from followup.models import (
    Pathway,
    PathwayChange,
    PathwayKind,
    PathwayStatus,
    ProtocolVersion,
    SurveillanceTest,
    TestChange,
    TestStatus,
    TestType,
    VersionStatus,
)
from followup.services import pathways
from followup.services.schedule import planned_tests
from portal.audit.models import AuditEvent
from portal.people.models import Role
from portal.worklist.models import Status, WorkItem
from portal.worklist.services import raise_item
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db
ANCHOR = datetime.date(2026, 3, 2)


def version(slug="breast-default"):
    return ProtocolVersion.objects.get(protocol__slug=slug, status=VersionStatus.PUBLISHED)


def do_stratify(cast, actor=None, **overrides):
    fields = {
        "actor": actor or cast.cns_a,
        "patient": cast.patient,
        "team": cast.team_a,
        "kind": PathwayKind.PATIENT_INITIATED,
        "protocol_version": version(),
        "anchor_date": ANCHOR,
        "rationale": "Low risk after surgery",
        "pifu_start": ANCHOR,
        "pifu_end": ANCHOR + datetime.timedelta(days=5 * 365),
        "trigger_symptoms": ["A new lump in your breast", "  "],
        "named_contact": "Sam Nurse",
        "team_phone": "0113 000 0000",
    }
    return pathways.stratify(**{**fields, **overrides})


def test_stratify_makes_the_pathway_its_tests_and_their_history(cast):
    pathway = do_stratify(cast)
    planned = planned_tests(version(), ANCHOR)
    tests = list(pathway.tests.order_by("due_date", "test_type__code"))
    assert [(t.test_type_id, t.due_date) for t in tests] == [(s.test_type_id, d) for s, d in planned]
    assert len(tests) > 0
    assert all(t.due_date >= ANCHOR for t in tests)
    assert pathway.trigger_symptoms == ["A new lump in your breast"]
    assert pathway.checkin_months == version().checkin_months
    change = PathwayChange.objects.get(pathway=pathway)
    assert (change.status_to, change.by, change.snapshot["rationale"]) == (
        "active",
        cast.cns_a,
        "Low risk after surgery",
    )
    assert TestChange.objects.filter(test__pathway=pathway).count() == len(tests)
    assert AuditEvent.objects.filter(action="create", object_id=str(pathway.pk)).exists()


def test_stratify_closes_the_stratify_item(cast):
    item = raise_item(
        team=cast.team_a,
        patient=cast.patient,
        title="Stratify",
        **pathways.stratify_item_source(cast.patient, cast.team_a),
    )
    do_stratify(cast)
    item.refresh_from_db()
    assert item.status == Status.DONE


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"pifu_end": ANCHOR - datetime.timedelta(days=1)}, "pifu_end"),
        ({"pifu_start": None}, "pifu_start"),
        ({"anchor_date": None}, "anchor_date"),
        ({"anchor_date": datetime.date(2099, 1, 1)}, "anchor_date"),  # 2099 for 2029: years ahead
        ({"kind": "sometimes"}, "kind"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(cast, overrides, field):
    with pytest.raises(ValidationError) as caught:
        do_stratify(cast, **overrides)
    assert field in caught.value.message_dict
    assert not Pathway.objects.exists()
    assert not SurveillanceTest.objects.exists()


def test_a_window_cannot_end_before_the_anchor_and_the_anchor_may_be_a_year_ahead(cast):
    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    ahead = timezone.localdate() + relativedelta(months=12)
    with pytest.raises(ValidationError) as caught:
        do_stratify(cast, anchor_date=ahead, pifu_start=ANCHOR, pifu_end=ahead - datetime.timedelta(days=1))
    message = "The end of the follow-up window cannot be before the anchor date"
    assert caught.value.message_dict == {"pifu_end": [message]}
    assert do_stratify(cast, anchor_date=ahead, pifu_start=ahead, pifu_end=ahead + relativedelta(years=2))


def test_a_window_without_an_end_ends_after_the_protocols_pifu_months(cast):
    chosen = version()
    chosen.pifu_months = 30  # not the default 60, so the end cannot come from anywhere else
    chosen.save(update_fields=["pifu_months"])
    pathway = do_stratify(cast, pifu_end=None)
    assert pathway.pifu_end == datetime.date(2028, 9, 2)  # ANCHOR (2 March 2026) + 30 months


def test_a_window_end_given_is_kept(cast):
    given = ANCHOR + datetime.timedelta(days=400)
    assert do_stratify(cast, pifu_end=given).pifu_end == given


def test_a_protocol_without_a_window_still_needs_the_end(cast):
    chosen = version()
    chosen.pifu_months = 0
    chosen.save(update_fields=["pifu_months"])
    with pytest.raises(ValidationError) as caught:
        do_stratify(cast, pifu_end=None)
    assert "pifu_end" in caught.value.message_dict
    assert not Pathway.objects.exists()


def test_a_draft_protocol_cannot_be_chosen(cast):
    draft = version()
    draft.status = VersionStatus.DRAFT
    with pytest.raises(ValidationError) as caught:
        do_stratify(cast, protocol_version=draft)
    assert "protocol_version" in caught.value.message_dict


def test_a_second_open_pathway_is_refused_and_the_first_kept(cast):
    first = do_stratify(cast)
    with pytest.raises(ValidationError, match="already has an open"):
        do_stratify(cast, rationale="again")
    assert list(Pathway.objects.values_list("pk", flat=True)) == [first.pk]


@pytest.mark.parametrize("who", ["cns_b", "gp_a", "admin", "auditor", "patient_user"])
def test_others_may_not_stratify(cast, who):
    with pytest.raises(PermissionDenied):
        do_stratify(cast, actor=getattr(cast, who))
    assert not Pathway.objects.exists()


def test_a_support_worker_may_not_stratify(cast):
    worker = UserFactory()
    RoleAssignmentFactory(user=worker, role=Role.SUPPORT_WORKER, organisation=cast.trust, team=cast.team_a)
    with pytest.raises(PermissionDenied):
        do_stratify(cast, actor=worker)


def test_amend_suspend_reactivate_each_leave_history(cast):
    pathway = do_stratify(cast)
    pathways.amend(actor=cast.cns_a, pathway=pathway, reason="Phone number changed", team_phone=" 0113 111 1111 ")
    pathways.suspend(actor=cast.cns_a, pathway=pathway, reason="Raised CEA, seen in clinic")
    pathways.reactivate(actor=cast.cns_a, pathway=pathway, reason="Stable")
    pathway.refresh_from_db()
    assert (pathway.status, pathway.team_phone) == (PathwayStatus.ACTIVE, "0113 111 1111")
    rows = list(pathway.changes.order_by("at").values_list("status_from", "status_to", "reason"))
    assert rows == [
        ("", "active", "Stratified"),
        ("active", "active", "Phone number changed"),
        ("active", "suspended", "Raised CEA, seen in clinic"),
        ("suspended", "active", "Stable"),
    ]


def test_amend_refuses_a_window_ending_before_it_starts_and_keeps_the_old_one(cast):
    pathway = do_stratify(cast)
    with pytest.raises(ValidationError) as caught:
        pathways.amend(actor=cast.cns_a, pathway=pathway, pifu_end=ANCHOR - datetime.timedelta(days=3))
    assert "pifu_end" in caught.value.message_dict
    pathway.refresh_from_db()
    assert pathway.pifu_end == ANCHOR + datetime.timedelta(days=5 * 365)
    assert pathway.changes.count() == 1


def test_suspend_needs_a_reason_and_another_team_is_refused(cast):
    pathway = do_stratify(cast)
    with pytest.raises(ValidationError) as caught:
        pathways.suspend(actor=cast.cns_a, pathway=pathway, reason=" ")
    assert "reason" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        pathways.suspend(actor=cast.cns_b, pathway=pathway, reason="Not mine")
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.ACTIVE


def test_move_add_and_cancel_a_test(cast):
    pathway = do_stratify(cast)
    test = pathway.tests.order_by("due_date").first()
    new_due = test.due_date + datetime.timedelta(days=14)
    pathways.move_test(actor=cast.cns_a, test=test, due_date=new_due, reason="Patient on holiday")
    test.refresh_from_db()
    assert test.due_date == new_due
    moved = test.changes.order_by("at").last()
    assert (moved.due_to, moved.reason) == (new_due, "Patient on holiday")

    added = pathways.add_test(
        actor=cast.cns_a,
        pathway=pathway,
        test_type=TestType.objects.get(code="CEA"),
        due_date=ANCHOR + datetime.timedelta(days=30),
        reason="Extra blood test",
    )
    assert added.step is None and added.status == TestStatus.SCHEDULED

    pathways.cancel_test(actor=cast.cns_a, test=added, reason="Not needed after all")
    added.refresh_from_db()
    assert (added.status, added.cancelled_reason) == (TestStatus.CANCELLED, "Not needed after all")
    with pytest.raises(ValidationError, match="cancelled"):
        pathways.cancel_test(actor=cast.cns_a, test=added, reason="Twice")


def test_a_test_cannot_be_moved_or_added_before_the_anchor(cast):
    pathway = do_stratify(cast)
    test = pathway.tests.order_by("due_date").first()
    before = ANCHOR - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        pathways.move_test(actor=cast.cns_a, test=test, due_date=before, reason="Oops")
    assert "due_date" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        pathways.add_test(actor=cast.cns_a, pathway=pathway, test_type=test.test_type, due_date=before, reason="Oops")
    assert "due_date" in caught.value.message_dict
    test.refresh_from_db()
    assert test.changes.count() == 1


@pytest.mark.parametrize("who", ["cns_b", "gp_a"])
def test_others_may_not_change_tests(cast, who):
    pathway = do_stratify(cast)
    test = pathway.tests.first()
    with pytest.raises(PermissionDenied):
        pathways.cancel_test(actor=getattr(cast, who), test=test, reason="Not mine")
    test.refresh_from_db()
    assert test.status == TestStatus.SCHEDULED
    assert not WorkItem.objects.exists()
