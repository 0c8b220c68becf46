"""The daily sweep: a summary still in draft 6 weeks after the end of treatment goes on the team's
worklist, once, and signing it off closes the item; and the beat task run by a real Celery worker
(the rest of the chase: test_chasing.py)."""

import datetime
import uuid

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone

from portal.worklist.models import Kind, Priority, WorkItem
from tests.factories import DiagnosisFactory, PatientFactory
from tests.treatment_summaries.factories import COMPLETE, FAKE_PDF, ONE_TREATMENT, clinician, complete_draft, fill
from tests.workers import celery_worker, database_url_for
from treatment_summaries.services import chasing, summaries

DAYS = datetime.timedelta(days=1)


def draft_ended(cast, ago, team=None):
    """A draft for a new patient of team A whose diagnosis ended treatment `ago` before today."""
    patient = PatientFactory(care_teams=[team or cast.team_a], registered_practice=cast.practice_a)
    diagnosis = DiagnosisFactory(patient=patient, end_of_treatment_date=timezone.localdate() - ago)
    return summaries.start(actor=cast.cns_a, patient=patient, diagnosis=diagnosis)


def overdue_items():
    return WorkItem.objects.filter(kind=Kind.SUMMARY_OVERDUE)


@pytest.mark.django_db
class TestSweep:
    def test_an_overdue_draft_raises_one_item_for_the_team(self, cast):
        version = draft_ended(cast, 43 * DAYS)
        assert chasing.raise_overdue_drafts() == 1
        item = overdue_items().get()
        assert item.team == cast.team_a and item.patient == version.summary.patient
        assert item.source_type == "treatment_summaries.summary" and item.source_id == str(version.summary.pk)
        assert item.status == "open" and item.priority == Priority.HIGH
        assert item.due_by == version.summary.diagnosis.end_of_treatment_date + chasing.DRAFT_OVERDUE_AFTER

    def test_running_twice_makes_one_item(self, cast):
        draft_ended(cast, 60 * DAYS)
        chasing.raise_overdue_drafts()
        chasing.raise_overdue_drafts()
        assert overdue_items().count() == 1

    def test_a_recent_draft_raises_nothing_until_six_weeks_pass(self, cast):
        draft_ended(cast, 20 * DAYS)
        chasing.raise_overdue_drafts()
        assert not overdue_items().exists()
        with time_machine.travel(timezone.now() + 23 * DAYS):
            chasing.raise_overdue_drafts()
        assert overdue_items().count() == 1

    def test_a_signed_off_summary_raises_nothing(self, cast):
        patient = PatientFactory(care_teams=[cast.team_a], registered_practice=cast.practice_a)
        diagnosis = DiagnosisFactory(patient=patient, end_of_treatment_date=timezone.localdate() - 90 * DAYS)
        version = complete_draft(cast, patient=patient)
        version.summary.diagnosis = diagnosis
        version.summary.save()
        summaries.sign_off(actor=clinician(cast), version=version, render_pdf=lambda v: FAKE_PDF)
        chasing.raise_overdue_drafts()
        assert not overdue_items().exists()

    def test_signing_off_closes_the_overdue_item(self, cast):
        version = draft_ended(cast, 50 * DAYS)
        chasing.raise_overdue_drafts()
        version = fill(cast.cns_a, version, fields=COMPLETE, treatments=ONE_TREATMENT)
        summaries.sign_off(actor=clinician(cast), version=version, render_pdf=lambda v: FAKE_PDF)
        item = overdue_items().get()
        assert item.status == "done" and item.status_changes.last().created_by == clinician(cast)
        chasing.raise_overdue_drafts()
        assert overdue_items().count() == 1

    def test_an_amendment_draft_is_not_overdue(self, cast):
        patient = PatientFactory(care_teams=[cast.team_a], registered_practice=cast.practice_a)
        diagnosis = DiagnosisFactory(patient=patient, end_of_treatment_date=timezone.localdate() - 90 * DAYS)
        version = complete_draft(cast, patient=patient)
        version.summary.diagnosis = diagnosis
        version.summary.save()
        version = summaries.sign_off(actor=clinician(cast), version=version, render_pdf=lambda v: FAKE_PDF)
        summaries.send(actor=cast.cns_a, version=version)
        summaries.amend(actor=cast.cns_a, version=version, reason="Wrong stage")
        chasing.raise_overdue_drafts()
        assert not overdue_items().exists()

    def test_no_diagnosis_or_no_end_date_raises_nothing(self, cast):
        summaries.start(actor=cast.cns_a, patient=cast.patient)
        patient = PatientFactory(care_teams=[cast.team_a])
        summaries.start(actor=cast.cns_a, patient=patient, diagnosis=DiagnosisFactory(patient=patient))
        assert chasing.raise_overdue_drafts() == 0
        assert not overdue_items().exists()

    def test_each_team_gets_its_own(self, cast):
        draft_ended(cast, 50 * DAYS)
        patient = PatientFactory(care_teams=[cast.team_b])
        diagnosis = DiagnosisFactory(patient=patient, end_of_treatment_date=timezone.localdate() - 50 * DAYS)
        summaries.start(actor=cast.cns_b, patient=patient, diagnosis=diagnosis)
        chasing.raise_overdue_drafts()
        assert sorted(i.team.name for i in overdue_items()) == [cast.team_a.name, cast.team_b.name]


def test_the_daily_task_is_in_the_beat_schedule():
    assert settings.CELERY_BEAT_SCHEDULE["treatment-summaries-overdue"]["task"] == "treatment_summaries.tasks.daily"


@pytest.mark.django_db(transaction=True)  # the worker has its own connection: our rows must be committed
def test_a_real_worker_runs_the_sweep(cast, redis_url):
    from portal.celery import app
    from treatment_summaries.tasks import daily

    version = draft_ended(cast, 45 * DAYS)
    env = {"DJANGO_SETTINGS_MODULE": "portal.settings.test", "REDIS_URL": redis_url, "NOTIFY_API_KEY": ""}
    with celery_worker(DATABASE_URL=database_url_for(connection.settings_dict), **env) as worker:
        with app.connection_for_write(redis_url) as conn:
            daily.apply_async(queue=worker.queue, connection=conn, task_id=f"test-{uuid.uuid4()}")
        raised = worker.wait_for(lambda: overdue_items().exists())
        assert raised, worker.output()
    item = overdue_items().get()
    assert item.team == cast.team_a and item.source_id == str(version.summary.pk)
