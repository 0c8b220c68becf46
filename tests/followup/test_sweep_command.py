"""The daily task, its beat entry, and `manage.py followup_sweep`."""

import datetime
from io import StringIO

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import CommandError, call_command

from followup import tasks
from followup.models import TestReminder
from tests.followup.sweep_helpers import TODAY, add_test, quiet_pathway

pytestmark = pytest.mark.django_db


def test_the_daily_task_is_in_the_beat_schedule_at_07_15():
    entry = settings.CELERY_BEAT_SCHEDULE["followup-daily"]
    assert entry["task"] == "followup.tasks.daily"
    assert entry["schedule"] == crontab(hour=7, minute=15)


def test_the_task_runs_the_sweep_for_today():
    add_test(quiet_pathway(), datetime.date.today() + datetime.timedelta(days=3))
    assert tasks.daily()["reminders"] == 1


def test_the_command_runs_for_a_given_date():
    test = add_test(quiet_pathway(), TODAY + datetime.timedelta(days=3))
    out = StringIO()
    call_command("followup_sweep", "--date", TODAY.isoformat(), stdout=out)
    assert "reminders 1" in out.getvalue()
    assert TestReminder.objects.get(test=test).lead_days == 3
    call_command("followup_sweep", "--date", TODAY.isoformat(), stdout=out)
    assert "nothing to do" in out.getvalue()


def test_the_command_names_a_bad_date():
    with pytest.raises(CommandError, match="--date must be a date as YYYY-MM-DD, not '1/6/2026'"):
        call_command("followup_sweep", "--date", "1/6/2026")
