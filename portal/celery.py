"""The Celery app. Configuration comes from Django settings (CELERY_*); tasks live in each
app's tasks.py as thin @shared_task wrappers that take ids and call services."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# portal itself is not an installed app (its sub-apps are), so name it for portal/tasks.py.
app.autodiscover_tasks(["portal"])
