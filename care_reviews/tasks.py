"""Thin Celery wrapper for the weekly digest (ADR 0048). The run is idempotent (one message per
practice and ISO week under the outbox's unique key, each practice in its own transaction), hence
acks_late: a run lost with its worker is delivered again and skips the practices already done."""

from celery import shared_task

from care_reviews.services import digest


# Over every practice with a patient diagnosed in the window: longer limits than the 5-minute
# default, as the other sweeps; a run stopped by them has committed the practices it finished.
@shared_task(acks_late=True, ignore_result=True, soft_time_limit=50 * 60, time_limit=55 * 60)
def weekly_digest():
    return digest.run()
