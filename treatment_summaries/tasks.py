from celery import shared_task

from treatment_summaries.services import summaries


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def raise_overdue_drafts() -> int:
    return summaries.raise_overdue_drafts()
