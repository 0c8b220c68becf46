"""A signed-off version is frozen by the database itself, not only by the services (migrations 0003
and 0004, ADR 0018): its content, its parts (none added, changed, moved or removed) and its status
(only forward). Each rule is tried from both sides: a draft still takes what a frozen version refuses."""

import datetime
import threading
import time

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from tests.factories import PatientFactory
from tests.treatment_summaries.factories import (
    FAKE_PDF,
    clinician,
    complete_draft,
    fresh,
    make_version,
    sent,
    signed_off,
)
from treatment_summaries.models import GPAction, SideEffectOption, SummaryVersion, Treatment
from treatment_summaries.services import summaries

pytestmark = pytest.mark.django_db
THROUGH = SummaryVersion.side_effects.through
FROZEN = ["signed_off", "sent", "superseded"]


def raw_delete(version):
    # Straight to the database: Django's own PROTECT check would stop a queryset delete first.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM treatment_summaries_summaryversion WHERE id = %s", [version.pk])


def frozen(callable_, match="signed-off treatment summary"):
    with pytest.raises(DatabaseError, match=match), transaction.atomic():
        callable_()


def version_in(cast, status, **content):
    """A version of a new summary in `status`, made through the services."""
    if status == "superseded":
        first = make_version(cast, "sent", **content)
        make_version(cast, "sent", amend=first)
        return fresh(first)
    return make_version(cast, status, **content)


def options(n=2):
    return list(SideEffectOption.objects.filter(treatment_type="surgery", retired=False)[:n])


def test_content_parts_and_deletion_of_a_signed_off_version_are_refused(cast):
    version = signed_off(cast)
    frozen(lambda: SummaryVersion.objects.filter(pk=version.pk).update(red_flags="changed"))
    frozen(lambda: SummaryVersion.objects.filter(pk=version.pk).update(pdf=b"%PDF-other"))
    frozen(lambda: raw_delete(version))
    frozen(lambda: Treatment.objects.filter(version=version).update(description="changed"))
    frozen(lambda: Treatment.objects.filter(version=version).delete())
    assert SummaryVersion.objects.get(pk=version.pk).red_flags == version.red_flags


def test_the_send_workflow_can_still_move_and_drafts_stay_editable(cast):
    version = sent(cast)  # signed_off -> sent moves status and sent_at only
    assert SummaryVersion.objects.get(pk=version.pk).status == "sent"
    draft = complete_draft(cast)
    SummaryVersion.objects.filter(pk=draft.pk).update(red_flags="still a draft")
    Treatment.objects.filter(version=draft).update(description="still a draft")
    assert SummaryVersion.objects.get(pk=draft.pk).red_flags == "still a draft"


# Inserted parts: every way of adding a row, raw ORM, bulk and M2M.


def _treatment(version):
    return Treatment(version=version, treatment_type="other", description="Later", start_date=datetime.date.today())


INSERTS = {
    "Treatment.objects.create": lambda v, o: Treatment.objects.create(
        version=v, treatment_type="other", description="Added later", start_date=datetime.date.today()
    ),
    "Treatment.objects.bulk_create": lambda v, o: Treatment.objects.bulk_create([_treatment(v), _treatment(v)]),
    "GPAction.objects.create": lambda v, o: GPAction.objects.create(version=v, text="Added later"),
    "GPAction.objects.bulk_create": lambda v, o: GPAction.objects.bulk_create(
        [GPAction(version=v, text="Added later", position=9)]
    ),
    "side_effects.add": lambda v, o: v.side_effects.add(o),
    "through bulk_create": lambda v, o: THROUGH.objects.bulk_create(
        [THROUGH(summaryversion_id=v.pk, sideeffectoption_id=o.pk)]
    ),
}


def parts(version):
    return (version.treatments.count(), version.gp_actions.count(), version.side_effects.count())


@pytest.mark.parametrize("how", INSERTS)
def test_a_draft_takes_new_parts(cast, how):
    draft = complete_draft(cast)
    before = parts(draft)
    INSERTS[how](draft, options(1)[0])
    assert sum(parts(draft)) > sum(before)


@pytest.mark.parametrize("status", FROZEN)
@pytest.mark.parametrize("how", INSERTS)
def test_a_version_that_left_draft_takes_no_new_parts(cast, status, how):
    version = version_in(cast, status)
    before = parts(version)
    frozen(lambda: INSERTS[how](version, options(1)[0]), match="signed-off treatment summary version cannot be added")
    assert parts(version) == before and fresh(version).status == status


# Side-effect ticks (the M2M rows): removed, replaced or changed.


def _ticks_changes(version, spare):
    return {
        "side_effects.remove": lambda: version.side_effects.remove(version.side_effects.first()),
        "side_effects.clear": lambda: version.side_effects.clear(),
        "side_effects.set": lambda: version.side_effects.set([spare]),
        "through update": lambda: THROUGH.objects.filter(summaryversion_id=version.pk).update(
            sideeffectoption_id=spare.pk
        ),
    }


@pytest.mark.parametrize("how", ["side_effects.remove", "side_effects.clear", "side_effects.set", "through update"])
def test_ticks_of_a_draft_change_and_of_a_frozen_version_do_not(cast, how):
    ticked, spare = options(2)
    draft = complete_draft(cast, side_effects=[ticked.pk])
    _ticks_changes(draft, spare)[how]()
    assert list(draft.side_effects.all()) != [ticked]
    version = version_in(cast, "sent", patient=PatientFactory(care_teams=[cast.team_a]), side_effects=[ticked.pk])
    frozen(_ticks_changes(version, spare)[how], match="cannot be (removed|changed)")
    assert list(version.side_effects.all()) == [ticked]


# Moving a draft's part onto a frozen version is an insert by another name.


@pytest.mark.parametrize("status", FROZEN)
def test_a_part_cannot_be_moved_onto_a_frozen_version_but_between_drafts_it_can(cast, status):
    other = PatientFactory(care_teams=[cast.team_a])
    draft = complete_draft(cast, patient=other, gp_actions=["Check PSA"], side_effects=[options(1)[0].pk])
    target = version_in(cast, status)
    before = parts(target)
    frozen(lambda: Treatment.objects.filter(version=draft).update(version=target), match="cannot be changed")
    frozen(lambda: GPAction.objects.filter(version=draft).update(version=target), match="cannot be changed")
    frozen(
        lambda: THROUGH.objects.filter(summaryversion_id=draft.pk).update(summaryversion_id=target.pk),
        match="cannot be changed",
    )
    assert parts(target) == before
    second = complete_draft(cast, patient=PatientFactory(care_teams=[cast.team_a]))
    GPAction.objects.filter(version=draft).update(version=second)
    assert [a.text for a in second.gp_actions.all()] == ["Check PSA"]


# The status: born a draft, only forward.


def test_a_version_is_born_a_draft(cast):
    first = sent(cast)
    signed = {"signed_off_at": timezone.now(), "signed_off_by": first.signed_off_by, "pdf_sha256": "a" * 64}
    for status in FROZEN:
        frozen(
            lambda status=status: SummaryVersion.objects.create(
                summary=first.summary, number=2, amendment_reason="x", status=status, **signed
            ),
            match=f"start as drafts, signed off only by sign-off \\(not {status}\\)",
        )
    draft = SummaryVersion.objects.create(summary=first.summary, number=2, amendment_reason="x")
    assert draft.status == "draft"


@pytest.mark.parametrize(
    ("status", "to"),
    [
        ("signed_off", "draft"),
        ("sent", "draft"),
        ("superseded", "draft"),
        ("sent", "signed_off"),
        ("superseded", "sent"),
        ("signed_off", "superseded"),  # skipping a step is refused too
    ],
)
def test_the_status_never_goes_back(cast, status, to):
    version = version_in(cast, status)
    frozen(
        lambda: SummaryVersion.objects.filter(pk=version.pk).update(status=to),
        match=f"only moves forward .*not from {status} to {to}",
    )
    assert fresh(version).status == status


def test_a_draft_cannot_skip_sign_off(cast):
    draft = complete_draft(cast)
    signed = {"signed_off_at": timezone.now(), "signed_off_by": clinician(cast), "pdf_sha256": "a" * 64}
    frozen(lambda: SummaryVersion.objects.filter(pk=draft.pk).update(status="sent", **signed), match="not from draft")
    SummaryVersion.objects.filter(pk=draft.pk).update(status="signed_off", **signed)  # the one way forward
    SummaryVersion.objects.filter(pk=draft.pk).update(status="sent", sent_at=timezone.now())
    SummaryVersion.objects.filter(pk=draft.pk).update(status="superseded")
    assert fresh(draft).status == "superseded"


# A part inserted while a sign-off is in progress.


def _wait_until_blocked(thread, deadline=30.0):
    """Until another backend waits on a lock (or the thread has finished, which the test reports)."""
    until = time.monotonic() + deadline
    while thread.is_alive() and time.monotonic() < until:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # else a transaction sees one snapshot
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)  # two connections: the sign-off's rows must really commit
def test_a_part_inserted_during_a_sign_off_waits_for_it_and_is_refused(cast):
    draft, doctor = complete_draft(cast), clinician(cast)
    outcome = []

    def insert():
        try:
            GPAction.objects.create(version_id=draft.pk, text="Slipped in")
            outcome.append("inserted")
        except DatabaseError as error:
            outcome.append(str(error))
        finally:
            connection.close()

    thread = threading.Thread(target=insert)
    with transaction.atomic():
        summaries.sign_off(actor=doctor, version=draft, render_pdf=lambda v: FAKE_PDF)  # holds the row
        thread.start()
        _wait_until_blocked(thread)
    thread.join(timeout=30)
    assert len(outcome) == 1 and "cannot be added" in outcome[0], outcome
    assert fresh(draft).status == "signed_off" and not GPAction.objects.filter(version=draft).exists()
