"""The reminders the day before (issue 13 item 4) in a real Celery worker through Redis, as beat
sends them every hour: the task is routed to the queue the deployed worker consumes, each booked
person is reminded once, and the same task delivered again (a beat restart, a redelivery) sends
nothing twice."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from portal.outbox.models import Notification
from tests.factories import PatientFactory
from tests.wellbeing.factories import make_session
from tests.workers import deliver_twice
from wellbeing.models import Booking
from wellbeing.services import bookings


def test_beat_sends_the_reminders_hourly_to_the_sweeps_queue():
    entry = settings.CELERY_BEAT_SCHEDULE["wellbeing-reminders"]
    assert entry["task"] == "wellbeing.tasks.reminders"
    assert settings.CELERY_TASK_ROUTES["wellbeing.tasks.reminders"]["queue"] == "sweeps"
    assert entry["schedule"].minute == {5} and len(entry["schedule"].hour) == 24


@pytest.mark.django_db(transaction=True)  # the worker has its own connection: our rows must be committed
def test_a_real_worker_reminds_each_booked_person_once(redis_url, celery_key_prefix, cast):
    tomorrow = make_session(capacity=2, starts_at=timezone.now() + datetime.timedelta(hours=20))
    booked = [bookings.book(tomorrow, actor=cast.admin, patient=PatientFactory()) for _ in range(2)]
    waiting = bookings.book(tomorrow, actor=cast.admin, patient=PatientFactory())
    deliver_twice("wellbeing.tasks.reminders", redis_url, celery_key_prefix)
    reminders = Notification.objects.filter(template="wellbeing.reminder")
    assert sorted(reminders.values_list("patient_id", flat=True)) == sorted(b.patient_id for b in booked)
    assert not reminders.filter(patient_id=waiting.patient_id).exists()
    assert Booking.objects.filter(reminded_at__isnull=False).count() == 2
