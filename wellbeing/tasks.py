"""Thin Celery wrapper: the hourly reminders (idempotent: each booking claimed once, ADR 0042)."""

from celery import shared_task

from wellbeing.services import reminders as service


@shared_task(acks_late=True, ignore_result=True)
def reminders():
    return service.run()
