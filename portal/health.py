"""Liveness of the parts the portal needs: the database and the Celery broker."""

from django.db import connection

from portal.celery import app as celery_app


def check_database() -> str | None:
    """None when the database answers, else a short reason."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"; the reason is reported
        return type(exc).__name__
    return None


def check_broker() -> str | None:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return type(exc).__name__
    return None


def report() -> tuple[bool, dict]:
    checks = {"database": check_database(), "broker": check_broker()}
    ok = all(reason is None for reason in checks.values())
    return ok, {name: ("ok" if reason is None else f"error: {reason}") for name, reason in checks.items()}
