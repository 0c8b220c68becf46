"""The app role's connection (what web and workers use, ADR 0016), beside the suite's own
superuser connection, which plays the owner."""

import os

import pytest
from django.conf import settings
from django.db import connection

from tests.audit.connections import connect_as


@pytest.fixture
def app_db(transactional_db):
    """The app role's connection. It sees only committed rows, so tests using it are transactional.
    The role is made once per server (scripts/db_roles.py; .ci/run and the embedded default do it);
    migrate granted it its privileges when pytest-django built the test database."""
    role = settings.DATABASE_APP_ROLE
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            pytest.fail(f"The app role {role} does not exist: run scripts/db_roles.py (README, Database roles).")
    conn = connect_as(role, os.environ.get("DATABASE_APP_PASSWORD"))
    yield conn
    conn.close()
