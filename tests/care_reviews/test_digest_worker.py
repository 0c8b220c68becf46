"""The weekly digest (issue 14 item 5) in a real Celery worker through Redis, as beat sends it on
Monday mornings: the task delivered twice (a second beat, a redelivery after a lost worker) writes
one outbox message per practice and week; and beat's task goes to a queue the deployed worker
consumes."""

import re

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from care_reviews.services import digest
from portal.outbox.models import Notification
from tests.factories import DiagnosisFactory, PatientFactory, PracticeFactory
from tests.workers import ROOT, deliver_twice


def test_beat_sends_the_digest_to_a_queue_the_deployed_worker_consumes():
    from care_reviews import tasks
    from portal.celery import app

    name = settings.CELERY_BEAT_SCHEDULE["care-reviews-weekly-digest"]["task"]
    assert name == tasks.weekly_digest.name
    queue = app.amqp.router.route({}, name)["queue"].name
    worker = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("worker:"))
    assert queue in re.search(r"-Q (\S+)", worker)[1].split(",")


@pytest.mark.django_db(transaction=True)  # the worker has its own connection: our rows must be committed
def test_a_real_worker_delivered_the_digest_twice_writes_one_message(redis_url, celery_key_prefix):
    # The worker's clock is the real one: an overdue review whatever today is.
    practice = PracticeFactory(ods_code="W00001", name="Worker Practice", email="worker.practice@nhs.net")
    patient = PatientFactory(registered_practice=practice)
    DiagnosisFactory(patient=patient, date_of_diagnosis=timezone.localdate() - relativedelta(months=13))
    log = deliver_twice("care_reviews.tasks.weekly_digest", redis_url, celery_key_prefix)
    sent = Notification.objects.filter(template=digest.TEMPLATE)
    assert list(sent.values_list("recipient", flat=True)) == ["worker.practice@nhs.net"]
    assert sent.get().idempotency_key == digest.idempotency_key(practice, timezone.localdate())
    assert "'sent': 1" in log and "'already': 1" in log, log  # the second run found it done
