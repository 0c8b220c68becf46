"""Thin Celery wrappers for HNA scheduled work. The daily sweep is idempotent (rows are claimed
with SKIP LOCKED and each message has an idempotency key), hence acks_late: a run lost with its
worker is simply delivered again."""

from celery import shared_task

from hna.services import reminders


# Daily, over every open assessment: longer limits than the 5-minute default; a run stopped by
# them has committed its finished chunks, and the next run carries on.
@shared_task(acks_late=True, ignore_result=True, soft_time_limit=50 * 60, time_limit=55 * 60)
def daily():
    return reminders.run_daily().as_dict()
