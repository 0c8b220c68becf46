"""The weekly digest (issue 14 item 5): each practice is emailed its newly due and overdue cancer
care reviews, by NHS number only, once per ISO week whatever happens to the run; nothing for a
practice with nothing due; a practice with no email address logged and skipped."""

import datetime
import threading

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connections
from django.utils import timezone

from care_reviews.models import Kind, Outcome
from care_reviews.services import digest
from care_reviews.services.due import due_list
from portal.audit.models import AuditEvent
from portal.outbox import rendering
from portal.outbox.models import Notification
from tests.care_reviews.test_due import review
from tests.factories import DiagnosisFactory, PatientFactory, PracticeFactory

MONDAY = datetime.date(2026, 11, 30)  # ISO week 2026-W49
AT = timezone.make_aware(datetime.datetime(2026, 11, 30, 7, 45))


@pytest.fixture
def monday():
    with time_machine.travel(AT, tick=False):
        yield


@pytest.fixture
def practices(cast):
    cast.practice_a.email = "a.practice@nhs.net"
    cast.practice_b.email = "b.practice@nhs.net"
    for practice in (cast.practice_a, cast.practice_b):
        practice.save(update_fields=["email"])
    return cast


def diagnosed_on(practice, when, **fields):
    patient = PatientFactory(registered_practice=practice, **fields)
    return DiagnosisFactory(patient=patient, date_of_diagnosis=when)


def early_done(cast, d):
    review(cast, d, kind=Kind.EARLY_CONTACT, months_after=1)


def digests():
    return Notification.objects.filter(template=digest.TEMPLATE)


def body_of(note) -> str:
    subject, body = rendering.render(note.template, note.channel, note.context)  # StrictUndefined
    return subject + "\n" + body


def states(rows) -> set:
    return {(r.diagnosis.pk, r.early.state, r.review.state) for r in rows}


def nhs(d) -> str:
    n = d.patient.nhs_number
    return f"{n[:3]} {n[3:6]} {n[6:]}"


@pytest.mark.django_db
def test_it_lists_only_what_became_due_last_week_and_what_is_overdue(practices, monday):
    cast, a = practices, practices.practice_a
    new_early = diagnosed_on(a, MONDAY - datetime.timedelta(days=3))
    due_for_weeks = diagnosed_on(a, MONDAY - relativedelta(months=1))  # due, but on last month's lists
    new_review = diagnosed_on(a, MONDAY - datetime.timedelta(days=5) - relativedelta(months=6))
    early_done(cast, new_review)
    overdue = diagnosed_on(a, MONDAY - relativedelta(months=13))
    early_done(cast, overdue)
    done = diagnosed_on(a, MONDAY - relativedelta(months=10))
    early_done(cast, done)
    review(cast, done, months_after=7)
    declined = diagnosed_on(a, MONDAY - relativedelta(months=13))
    early_done(cast, declined)
    review(cast, declined, outcome=Outcome.DECLINED, months_after=12)
    missed = diagnosed_on(a, MONDAY - relativedelta(months=11))  # no early contact, review done
    review(cast, missed, months_after=7)
    not_yet = diagnosed_on(a, MONDAY - relativedelta(months=4))
    early_done(cast, not_yet)
    died = diagnosed_on(a, MONDAY - relativedelta(months=13), date_of_death=MONDAY - relativedelta(months=2))
    # Opened today: next Monday's news, not this one's.
    today = diagnosed_on(a, MONDAY)

    found = digest.digest_for(a, MONDAY)
    assert [(e.diagnosis, e.kind) for e in found.newly_due] == [
        (new_early, Kind.EARLY_CONTACT),
        (new_review, Kind.REVIEW),
    ]  # soonest due first: the early contact by February, the review by May
    assert [(e.diagnosis, e.kind) for e in found.overdue] == [(overdue, Kind.REVIEW)]
    for left_out in (due_for_weeks, done, declined, missed, not_yet, died, today):
        assert left_out not in [e.diagnosis for e in found.newly_due + found.overdue]

    assert digest.run(MONDAY) == {"sent": 1, "already": 0, "nothing_due": 0, "no_email": 0}
    note = digests().get()
    assert note.recipient == "a.practice@nhs.net" and note.patient is None and note.channel == "email"
    text = body_of(note)
    assert f"NHS number {nhs(new_early)}: early contact, due by " in text
    assert f"NHS number {nhs(new_review)}: cancer care review, due by " in text
    assert f"NHS number {nhs(overdue)}: cancer care review, was due by " in text
    assert (
        "Newly due since last week's list (2):" in text
        and "Overdue (1):" in text
        and "week of 30 November 2026" in text
    )
    assert text.count("NHS number ") == 3
    assert settings.PORTAL_BASE_URL + "/care-reviews/" in text
    # Nothing clinical beyond the step: no names, no tumour site or diagnosis date.
    for d in (new_early, new_review, overdue):
        assert d.patient.family_name not in text and d.patient.given_name not in text
    assert "breast" not in text.lower() and "C50" not in text
    exported = AuditEvent.objects.filter(action="export", actor_label="system:care-reviews-digest")
    assert sorted(exported.values_list("patient_id", flat=True)) == sorted(
        d.patient_id for d in (new_early, new_review, overdue)
    )


@pytest.mark.django_db
def test_a_diagnosis_recorded_last_week_is_newly_due_though_dated_earlier(practices):
    a = practices.practice_a
    with time_machine.travel(AT - datetime.timedelta(days=5), tick=False):
        late = diagnosed_on(a, MONDAY - relativedelta(months=2))
    with time_machine.travel(AT, tick=False):
        assert [e.diagnosis for e in digest.digest_for(a, MONDAY).newly_due] == [late]
    with time_machine.travel(AT + datetime.timedelta(days=7), tick=False):
        assert not digest.digest_for(a, MONDAY + datetime.timedelta(days=7))


@pytest.mark.django_db
def test_the_practice_list_is_the_one_its_gps_see(practices, monday):
    cast = practices
    for months in (1, 4, 7, 13):
        d = diagnosed_on(cast.practice_a, MONDAY - relativedelta(months=months))
    early_done(cast, d)
    review(cast, d, outcome=Outcome.NOT_CONTACTABLE, months_after=12)
    diagnosed_on(cast.practice_b, MONDAY - relativedelta(months=7))
    for gp, practice in ((cast.gp_a, cast.practice_a), (cast.gp_b, cast.practice_b)):
        seen = states(due_list(gp, MONDAY).rows)
        assert states(digest.practice_due_list(practice, MONDAY).rows) == seen and seen


@pytest.mark.django_db
def test_run_twice_in_a_week_sends_one_and_next_week_another(practices):
    a = practices.practice_a
    with time_machine.travel(AT, tick=False):
        diagnosed_on(a, MONDAY - relativedelta(months=13))
        assert digest.run(MONDAY)["sent"] == 1
        assert digest.run(MONDAY) == {"sent": 0, "already": 1, "nothing_due": 0, "no_email": 0}
    wednesday = AT + datetime.timedelta(days=2)
    with time_machine.travel(wednesday, tick=False):
        assert digest.run()["already"] == 1  # a beat firing again later in the week
    assert digests().count() == 1
    with time_machine.travel(AT + datetime.timedelta(days=7), tick=False):
        assert digest.run()["sent"] == 1
    keys = sorted(digests().values_list("idempotency_key", flat=True))
    assert keys == [f"care-review-digest:{a.pk}:2026-W49", f"care-review-digest:{a.pk}:2026-W50"]


@pytest.mark.django_db
def test_two_practices_each_get_their_own_and_nothing_of_the_others(practices, monday):
    cast = practices
    ours = diagnosed_on(cast.practice_a, MONDAY - relativedelta(months=13))
    theirs = diagnosed_on(cast.practice_b, MONDAY - datetime.timedelta(days=2))
    assert digest.run(MONDAY)["sent"] == 2
    to_a = body_of(digests().get(recipient="a.practice@nhs.net"))
    to_b = body_of(digests().get(recipient="b.practice@nhs.net"))
    assert nhs(ours) in to_a and nhs(theirs) not in to_a and "Practice A" in to_a
    assert nhs(theirs) in to_b and nhs(ours) not in to_b and "Practice B" in to_b


@pytest.mark.django_db
def test_no_email_for_a_practice_with_nothing_due(practices, monday):
    cast = practices
    d = diagnosed_on(cast.practice_a, MONDAY - relativedelta(months=10))
    early_done(cast, d)
    review(cast, d, months_after=7)
    diagnosed_on(cast.practice_b, MONDAY - relativedelta(months=2))  # early contact due since September
    assert digest.run(MONDAY) == {"sent": 0, "already": 0, "nothing_due": 2, "no_email": 0}
    assert not digests().exists()


@pytest.mark.django_db
def test_a_practice_with_no_email_is_logged_and_skipped(practices, monday, caplog):
    quiet = PracticeFactory(ods_code="C00003", name="Practice C")
    diagnosed_on(quiet, MONDAY - relativedelta(months=13))
    diagnosed_on(practices.practice_a, MONDAY - relativedelta(months=13))
    assert digest.run(MONDAY) == {"sent": 1, "already": 0, "nothing_due": 0, "no_email": 1}
    assert "C00003 has no email address" in caplog.text
    assert list(digests().values_list("recipient", flat=True)) == ["a.practice@nhs.net"]


@pytest.mark.django_db
def test_a_run_stopped_part_way_then_run_again_sends_each_practice_one(practices, monday, monkeypatch):
    cast = practices
    for practice in (cast.practice_a, cast.practice_b):
        diagnosed_on(practice, MONDAY - relativedelta(months=13))
    real, calls = digest.send_digest, []

    def dies_on_the_second(practice, today):
        calls.append(practice)
        if len(calls) == 2:
            raise SystemExit("worker killed")
        return real(practice, today)

    monkeypatch.setattr(digest, "send_digest", dies_on_the_second)
    with pytest.raises(SystemExit):
        digest.run(MONDAY)
    assert digests().count() == 1
    monkeypatch.setattr(digest, "send_digest", real)
    assert digest.run(MONDAY) == {"sent": 1, "already": 1, "nothing_due": 0, "no_email": 0}
    assert sorted(digests().values_list("recipient", flat=True)) == ["a.practice@nhs.net", "b.practice@nhs.net"]


@pytest.mark.django_db(transaction=True)  # each run has its own connection, as two workers do
def test_two_runs_at_once_send_each_practice_one(practices, monday, monkeypatch):
    cast = practices
    for practice in (cast.practice_a, cast.practice_b):
        diagnosed_on(practice, MONDAY - relativedelta(months=13))
    monkeypatch.setattr("portal.outbox.services._enqueue_send", lambda notification_ids: None)
    # Both runs past the "already sent?" check before either writes: the unique key must decide.
    barrier, real = threading.Barrier(2, timeout=30), digest.digest_for

    def together(practice, today=None):
        barrier.wait()
        return real(practice, today)

    monkeypatch.setattr(digest, "digest_for", together)
    results, errors = [], []

    def work():
        try:
            results.append(digest.run(MONDAY))
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and len(results) == 2, errors
    assert sum(r["sent"] for r in results) == 2 and sum(r["already"] for r in results) == 2
    assert digests().count() == 2
    assert AuditEvent.objects.filter(action="export").count() == 2  # one per message written


def test_beat_sends_it_on_monday_mornings_to_the_sweeps_queue():
    entry = settings.CELERY_BEAT_SCHEDULE["care-reviews-weekly-digest"]
    assert entry["task"] == "care_reviews.tasks.weekly_digest"
    assert settings.CELERY_TASK_ROUTES["care_reviews.tasks.weekly_digest"]["queue"] == "sweeps"
    schedule = entry["schedule"]
    assert schedule.day_of_week == {1} and schedule.hour == {7} and schedule.minute == {45}
