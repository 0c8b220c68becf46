from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "portal.audit"
    label = "audit"
    verbose_name = "Access audit"

    def ready(self):
        from portal.audit import signals  # noqa: F401 - connects the sign-in receivers
