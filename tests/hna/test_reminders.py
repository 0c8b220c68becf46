"""The daily HNA sweep: reminders for unfinished assessments, passcode expiry, idempotent and safe
to run in parallel; and the beat task run by a real Celery worker."""

import datetime
import threading
import uuid

import pytest
import redis
from django.db import connection, transaction
from django.utils import timezone

from hna.models import Assessment, Passcode
from hna.services import assessments, passcodes, reminders
from portal.audit.models import AuditEvent
from portal.outbox.models import Notification
from portal.people.models import Patient
from portal.worklist.models import WorkItem
from tests.factories import PatientFactory
from tests.workers import celery_worker, database_url_for

DAYS = datetime.timedelta(days=1)


def due(cast, patient=None, *, age=4 * DAYS, **patient_fields):
    """An assessment set up `age` ago (and so due a reminder after 3 days), for a patient of team A."""
    patient = patient or PatientFactory(care_teams=[cast.team_a], **patient_fields)
    s = assessments.set_up(
        actor=cast.cns_a,
        patient=patient,
        point_of_pathway="01",
        trigger="diagnosis",
        offer_status="03",
        event_date=datetime.date.today(),
    )
    Assessment.objects.filter(pk=s.assessment.pk).update(created_at=timezone.now() - age)
    return s


def reminders_for(assessment):
    return Notification.objects.filter(idempotency_key=f"hna-reminder:{assessment.pk}")


@pytest.mark.django_db
class TestReminders:
    def test_email_reminder_once_and_marked(self, cast):
        s = due(cast, preferred_contact=Patient.Contact.EMAIL)
        result = reminders.run_daily()
        assert (result.messages, result.team_items) == (1, 0)
        note = reminders_for(s.assessment).get()
        assert (note.channel, note.recipient, note.template) == ("email", s.assessment.patient.email, "hna.reminder")
        assert note.context == {"first_name": s.assessment.patient.given_name, "team": "Team A (breast)",
                                "team_phone": cast.team_a.phone}  # fmt: skip
        assert Assessment.objects.get(pk=s.assessment.pk).reminded_at is not None
        assert AuditEvent.objects.filter(actor_label="system:hna-reminders", object_id=str(s.assessment.pk)).exists()

    def test_running_twice_sends_nothing_twice(self, cast):
        s = due(cast)
        assert reminders.run_daily().messages == 1
        again = reminders.run_daily()
        assert (again.messages, again.team_items) == (0, 0)
        assert reminders_for(s.assessment).count() == 1
        assert Notification.objects.count() == 1

    def test_text_message_for_patients_who_prefer_it(self, cast):
        s = due(cast, preferred_contact=Patient.Contact.SMS, mobile="07700900123")
        reminders.run_daily()
        note = reminders_for(s.assessment).get()
        assert (note.channel, note.recipient) == ("sms", "07700900123")

    def test_post_gets_a_worklist_item_for_the_team_not_a_letter(self, cast):
        s = due(cast, preferred_contact=Patient.Contact.POST)
        result = reminders.run_daily()
        assert (result.messages, result.team_items) == (0, 1)
        assert not Notification.objects.exists()
        item = WorkItem.objects.get(source_type="hna.assessment.unfinished", source_id=str(s.assessment.pk))
        assert (item.title, item.team, item.patient) == ("Patient has not finished their HNA", cast.team_a,
                                                         s.assessment.patient)  # fmt: skip
        assert Assessment.objects.get(pk=s.assessment.pk).reminded_at is not None
        reminders.run_daily()
        assert WorkItem.objects.filter(source_type="hna.assessment.unfinished").count() == 1

    def test_missing_email_falls_back_to_the_team(self, cast):
        s = due(cast, preferred_contact=Patient.Contact.EMAIL, email="")
        assert reminders.run_daily().team_items == 1
        assert not reminders_for(s.assessment).exists()

    def test_in_progress_is_reminded_too(self, cast):
        s = due(cast)
        Assessment.objects.filter(pk=s.assessment.pk).update(status=Assessment.Status.IN_PROGRESS)
        assert reminders.run_daily().messages == 1

    def test_not_reminded_yet_when_too_recent(self, cast, settings):
        due(cast, age=2 * DAYS)
        assert reminders.run_daily().messages == 0
        settings.HNA_REMINDER_DAYS = 1
        assert reminders.run_daily().messages == 1

    def test_no_reminder_after_submission_cancellation_or_death(self, cast):
        submitted = due(cast)
        assessments.submit(passcodes.check(submitted.passcode, submitted.assessment.patient.date_of_birth))
        cancelled = due(cast)
        Assessment.objects.filter(pk=cancelled.assessment.pk).update(status=Assessment.Status.CANCELLED)
        died = due(cast)
        Patient.objects.filter(pk=died.assessment.patient_id).update(date_of_death=datetime.date.today())
        assert reminders.run_daily().messages == 0
        assert not Notification.objects.filter(template="hna.reminder").exists()

    def test_no_reminder_without_a_live_passcode(self, cast):
        expired, locked, revoked = due(cast), due(cast), due(cast)
        now = timezone.now()
        Passcode.objects.filter(assessment=expired.assessment).update(expires_at=now - DAYS)
        Passcode.objects.filter(assessment=locked.assessment).update(locked_at=now)
        Passcode.objects.filter(assessment=revoked.assessment).update(revoked_at=now)
        result = reminders.run_daily()
        assert result.messages == 0
        assert not Notification.objects.exists()
        assert result.passcodes_expired == 1  # the expired one, revoked now
        assert Passcode.objects.get(assessment=expired.assessment).state == "revoked"

    def test_expires_old_passcodes_once(self, cast):
        s = due(cast, age=0 * DAYS)
        later = timezone.now() + 15 * DAYS
        assert reminders.run_daily(now=later).passcodes_expired == 1
        assert reminders.run_daily(now=later).passcodes_expired == 0
        assert passcodes.check(s.passcode, s.assessment.patient.date_of_birth) is None

    def test_works_in_chunks(self, cast, monkeypatch):
        monkeypatch.setattr(reminders, "CHUNK", 2)
        made = [due(cast) for _ in range(5)]
        assert reminders.run_daily().messages == 5
        assert all(reminders_for(s.assessment).count() == 1 for s in made)


@pytest.mark.django_db(transaction=True)  # the checklist comes back through tests/conftest.py _reference_data
def test_rows_another_run_holds_are_skipped_not_waited_for(cast, monkeypatch):
    monkeypatch.setattr("portal.outbox.services._enqueue_send", lambda notification_ids: None)
    held, free = due(cast), due(cast)
    results = []
    with transaction.atomic():
        # This transaction stands for a parallel run that has claimed `held` and not committed.
        Assessment.objects.select_for_update().get(pk=held.assessment.pk)
        worker = threading.Thread(target=lambda: (results.append(reminders.run_daily()), connection.close()))
        worker.start()
        worker.join(timeout=30)
        assert not worker.is_alive(), "the run waited for a locked row"
    assert results[0].messages == 1
    assert reminders_for(free.assessment).count() == 1 and not reminders_for(held.assessment).exists()
    assert reminders.run_daily().messages == 1  # the next run picks up the row once it is free
    assert reminders_for(held.assessment).count() == 1


@pytest.mark.django_db(transaction=True)  # the checklist comes back through tests/conftest.py _reference_data
def test_parallel_runs_send_each_reminder_once(cast, monkeypatch):
    monkeypatch.setattr("portal.outbox.services._enqueue_send", lambda notification_ids: None)
    monkeypatch.setattr(reminders, "CHUNK", 3)
    made = [due(cast) for _ in range(12)]
    start, results, errors = threading.Barrier(3), [], []

    def run():
        try:
            start.wait()
            results.append(reminders.run_daily().messages)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sum(results) == 12
    assert Notification.objects.filter(template="hna.reminder").count() == 12
    assert all(reminders_for(s.assessment).count() == 1 for s in made)


def _drop_queued_sends(redis_url, notification_ids):
    """The worker queued the send on the shared "notifications" queue; no test worker takes it,
    so take it off again rather than leave it for someone's development worker."""
    client = redis.Redis.from_url(redis_url)
    for raw in client.lrange("notifications", 0, -1):
        if any(str(pk).encode() in raw for pk in notification_ids):
            client.lrem("notifications", 1, raw)


@pytest.mark.django_db(transaction=True)  # the checklist comes back through tests/conftest.py _reference_data
def test_a_real_worker_runs_the_daily_task(cast, redis_url):
    from hna.tasks import daily
    from portal.celery import app

    s = due(cast)  # committed: the worker has its own connection
    env = {"DJANGO_SETTINGS_MODULE": "portal.settings.test", "REDIS_URL": redis_url, "NOTIFY_API_KEY": ""}
    with celery_worker(DATABASE_URL=database_url_for(connection.settings_dict), **env) as worker:
        with app.connection_for_write(redis_url) as conn:
            daily.apply_async(queue=worker.queue, connection=conn, task_id=f"test-{uuid.uuid4()}")
        reminded = worker.wait_for(lambda: Assessment.objects.get(pk=s.assessment.pk).reminded_at is not None)
        assert reminded, worker.output()
    notes = list(reminders_for(s.assessment))
    assert len(notes) == 1 and notes[0].channel == "email"
    assert Notification.objects.count() == 1
    _drop_queued_sends(redis_url, [n.pk for n in notes])
