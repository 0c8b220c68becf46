"""The weekly digest (issue 14 item 5) in a real Celery worker through Redis, as beat sends it on
Monday mornings: the task delivered twice (a second beat, a redelivery after a lost worker) writes
one outbox message per practice and week; and beat's task goes to a queue the deployed worker
consumes."""

import re

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection
from django.utils import timezone

from care_reviews.services import digest
from portal.outbox.models import Notification
from tests.factories import DiagnosisFactory, PatientFactory, PracticeFactory
from tests.workers import ROOT, celery_worker, database_url_for


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
    from portal.celery import app

    # The worker's clock is the real one: an overdue review whatever today is.
    practice = PracticeFactory(ods_code="W00001", name="Worker Practice", email="worker.practice@nhs.net")
    patient = PatientFactory(registered_practice=practice)
    DiagnosisFactory(patient=patient, date_of_diagnosis=timezone.localdate() - relativedelta(months=13))
    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "REDIS_URL": redis_url,
        "CELERY_KEY_PREFIX": celery_key_prefix,
        "NOTIFY_API_KEY": "",
    }
    with celery_worker(**env) as worker:
        options = {"transport_options": {"global_keyprefix": celery_key_prefix}}
        with app.connection_for_write(redis_url, **options) as conn:
            for _ in range(2):  # delivered twice
                app.send_task("care_reviews.tasks.weekly_digest", queue=worker.queue, connection=conn)
        assert worker.wait_for(lambda: worker.log().count("succeeded") >= 2, timeout=60), worker.output()
        log = worker.log()
    sent = Notification.objects.filter(template=digest.TEMPLATE)
    assert list(sent.values_list("recipient", flat=True)) == ["worker.practice@nhs.net"]
    assert sent.get().idempotency_key == digest.idempotency_key(practice, timezone.localdate())
    assert "'sent': 1" in log and "'already': 1" in log, log  # the second run found it done
