"""`manage.py qol_dispatch [--date]` and the beat entry: the same service, its counts printed, a
bad date refused with a message that names it."""

import re
from io import StringIO

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import CommandError, call_command

from portal.people.models import Patient
from qol_survey.models import Invitation
from tests.qol_survey.dispatch_helpers import TODAY, due
from tests.workers import ROOT

pytestmark = pytest.mark.django_db


def dispatch_command(*args) -> str:
    out = StringIO()
    call_command("qol_dispatch", *args, stdout=out)
    return out.getvalue().strip()


def test_the_command_runs_for_the_date_given_and_prints_the_counts():
    due(Patient.Contact.EMAIL)
    due(Patient.Contact.POST)
    due(Patient.Contact.POST)
    output = dispatch_command("--date", TODAY.isoformat())
    assert output == "invited 3, by email 1, by text message 0, by letter 2, reminded 0, expired 0"
    assert set(Invitation.objects.values_list("invited_on", flat=True)) == {TODAY}
    assert dispatch_command("--date", TODAY.isoformat()).startswith("invited 0, by email 0")


@pytest.mark.parametrize("bad", ["2026-13-01", "1/12/2026", "tomorrow", ""])
def test_a_bad_date_is_refused_by_name_and_nothing_is_done(bad):
    due()
    with pytest.raises(
        CommandError, match=re.escape(f"--date must be a date as YYYY-MM-DD, such as 2026-12-01, not {bad!r}")
    ):
        dispatch_command("--date", bad)
    assert not Invitation.objects.exists()


def test_a_chunk_below_one_is_refused():
    with pytest.raises(CommandError, match="--chunk must be at least 1"):
        dispatch_command("--chunk", "0")


def test_beat_runs_the_daily_task_each_morning_on_a_queue_the_worker_consumes():
    from portal.celery import app
    from qol_survey import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["qol-survey-daily"]
    assert entry["task"] == tasks.daily.name == "qol_survey.tasks.daily"
    assert entry["schedule"] == crontab(hour=7, minute=30)
    queue = app.amqp.router.route({}, entry["task"])["queue"].name
    assert queue == "sweeps"
    worker = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("worker:"))
    assert queue in re.search(r"-Q (\S+)", worker)[1].split(",")
