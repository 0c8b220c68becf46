"""Thin Celery wrapper for the daily follow-up sweep. The sweep is idempotent (claims under unique
constraints, SKIP LOCKED), hence acks_late: a run lost with its worker is delivered again."""

from celery import shared_task

from followup.services import sweep


# Over every open pathway: longer limits than the 5-minute default; a run stopped by them has
# committed its finished chunks, and the next run carries on. `chunk`: rows per transaction (beat
# sends none; a test passes a small one so a run has many chunks to be killed between).
@shared_task(acks_late=True, ignore_result=True, soft_time_limit=50 * 60, time_limit=55 * 60)
def daily(chunk: int = sweep.CHUNK):
    return sweep.run(chunk=chunk)
