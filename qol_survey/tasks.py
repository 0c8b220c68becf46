"""Thin Celery wrapper for the survey's daily dispatch. The dispatch is idempotent (one insert under
a unique constraint, sends claimed under another, SKIP LOCKED), hence acks_late: a run lost with
its worker is delivered again, and the next run completes what it left."""

from celery import shared_task

from qol_survey.services import dispatch


# `chunk`: rows per transaction (beat sends none; a test passes a small one so a run has many chunks
# to be killed between). Longer limits than the default, as the follow-up sweep: a backlog day can
# be a hundred thousand invitations, and a run stopped by a limit has committed its finished chunks.
@shared_task(acks_late=True, ignore_result=True, soft_time_limit=50 * 60, time_limit=55 * 60)
def daily(chunk: int = dispatch.CHUNK):
    return dispatch.run(chunk=chunk)
