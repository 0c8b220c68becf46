"""The one way a pathway's or a test's status changes: checked against the allowed moves, saved,
and written to the append-only history in the same transaction."""

from django.db import transaction
from django.utils import timezone

from followup.models import TEST_TRANSITIONS, TRANSITIONS, PathwayChange, TestChange


class BadTransition(ValueError):
    pass


def snapshot(pathway) -> dict:
    """The pathway as it is now, in plain JSON, for the history row."""
    return {
        "status": pathway.status,
        "kind": pathway.kind,
        "team": str(pathway.team_id),
        "protocol_version": str(pathway.protocol_version_id),
        "anchor_date": pathway.anchor_date.isoformat(),
        "pifu_start": pathway.pifu_start.isoformat() if pathway.pifu_start else None,
        "pifu_end": pathway.pifu_end.isoformat() if pathway.pifu_end else None,
        "trigger_symptoms": list(pathway.trigger_symptoms),
        "named_contact": pathway.named_contact,
        "team_phone": pathway.team_phone,
        "checkin_months": pathway.checkin_months,
        "rationale": pathway.rationale,
    }


def _check(transitions, current, to, what):
    if to not in transitions.get(current, set()):
        allowed = ", ".join(sorted(transitions.get(current, set()))) or "nothing (it is final)"
        raise BadTransition(f"A {what} that is {current} cannot become {to}; it can become: {allowed}")


@transaction.atomic
def change_pathway_status(pathway, to, *, actor, reason):
    _check(TRANSITIONS, pathway.status, to, "pathway")
    was = pathway.status
    pathway.status = to
    pathway.save(update_fields=["status", "updated_at"])
    PathwayChange.objects.create(
        pathway=pathway, by=actor, status_from=was, status_to=to, reason=reason, snapshot=snapshot(pathway)
    )
    return pathway


@transaction.atomic
def change_test_status(test, to, *, actor, reason, due_to=None):
    """Move a test to `to` (or, with `to` equal to its status and a `due_to`, only move its date)."""
    if to != test.status or due_to is None:
        _check(TEST_TRANSITIONS, test.status, to, "test")
    was, due_was = test.status, test.due_date
    test.status = to
    if due_to is not None:
        test.due_date = due_to
    test.save(update_fields=["status", "due_date", "updated_at"])
    TestChange.objects.create(
        test=test,
        by=actor,
        status_from=was,
        status_to=to,
        due_from=due_was,
        due_to=test.due_date if due_to is not None else None,
        reason=reason,
    )
    return test


@transaction.atomic
def change_tests_status(tests, to, *, actor, reason, **also) -> None:
    """change_test_status for many tests to one status in two queries (the sweep's requests and
    cancellations); `also`: other columns set with it (requested_at). Every move is checked first."""
    tests = list(tests)
    for test in tests:
        _check(TEST_TRANSITIONS, test.status, to, "test")
    if not tests:
        return
    TestChange.objects.bulk_create(
        [
            TestChange(
                test=test, by=actor, status_from=test.status, status_to=to, due_from=test.due_date, reason=reason
            )
            for test in tests
        ]
    )
    type(tests[0]).objects.filter(pk__in=[test.pk for test in tests]).update(
        status=to, updated_at=timezone.now(), **also
    )
    for test in tests:
        test.status = to
        for field, value in also.items():
            setattr(test, field, value)
