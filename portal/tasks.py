"""Platform tasks."""

import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Records that beat and a worker are alive; /health could read it later."""
    cache.set("celery:heartbeat", timezone.now().isoformat(), timeout=300)
