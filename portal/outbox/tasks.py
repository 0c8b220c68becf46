"""Thin Celery wrappers: ids in, services do the work. Both are safe to run twice (claims are
compare-and-set), hence acks_late: a task lost with its worker is delivered again. Queues are
chosen by CELERY_TASK_ROUTES in settings (a task-level queue is deprecated in Celery 5)."""

from celery import shared_task

from portal.outbox import services


@shared_task(acks_late=True, ignore_result=True)
def send_notification(notification_id):
    services.send(notification_id)


@shared_task(acks_late=True, ignore_result=True)
def send_notifications(notification_ids):
    """A batch queued together (a daily job's reminders); each is claimed on its own, as above."""
    for notification_id in notification_ids:
        services.send(notification_id)


@shared_task(acks_late=True, ignore_result=True)
def send_pending():
    return services.send_pending()
