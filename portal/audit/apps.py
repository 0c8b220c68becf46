import logging

from django.apps import AppConfig
from django.db.models.signals import post_migrate

logger = logging.getLogger(__name__)


class AuditConfig(AppConfig):
    name = "portal.audit"
    label = "audit"
    verbose_name = "Access audit"

    def ready(self):
        from portal.audit import signals  # noqa: F401 - connects the sign-in receivers

        post_migrate.connect(grant_app_role, sender=self, dispatch_uid="portal.audit.grant_app_role")


def grant_app_role(sender, using, plan=None, **kwargs):
    """After every `migrate`, give the app role (settings.DATABASE_APP_ROLE) its privileges on every
    table, the ones later apps add included (ADR 0016). `flush` sends post_migrate too, without a
    plan: it makes no tables, so there is nothing new to grant (transactional tests stay fast)."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.db import connections, transaction

    from portal.audit.roles import app_role_problems, grant_app_privileges

    role = settings.DATABASE_APP_ROLE
    connection = connections[using]
    if plan is None or not role or connection.vendor != "postgresql":
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        problems = app_role_problems(cursor, role)
        if problems is None:
            # A machine where nobody connects as the app role (one-role setups, a developer's
            # database): nothing to grant, and a process connecting as it would fail loudly anyway.
            logger.warning("DATABASE_APP_ROLE %s does not exist: no privileges granted (see README)", role)
            return
        if problems:
            raise ImproperlyConfigured(
                f"DATABASE_APP_ROLE={role} cannot be the app role: {'; '.join(problems)}. "
                "It could rewrite the access log (ADR 0016)."
            )
        grant_app_privileges(cursor, role)
