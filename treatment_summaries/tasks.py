"""Thin Celery wrappers for the treatment summaries' scheduled work (services.chasing). The daily
run is idempotent (every item is raised once per source, every reminder has an idempotency key and
deliveries are claimed with SKIP LOCKED), hence acks_late: a run lost with its worker runs again."""

from celery import shared_task

from treatment_summaries.services import chasing


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def daily() -> dict:
    return chasing.run_daily()


# The beat's task before issue 10: kept so a run queued by an older beat still finds its task.
@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def raise_overdue_drafts() -> int:
    return chasing.raise_overdue_drafts()
