"""Local development and demo (make run): embedded services allowed, static files served from
the source folders so no collectstatic is needed."""

from portal.settings.base import *  # noqa: F403
from portal.settings.base import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
