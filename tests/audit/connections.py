"""Connections to this run's test database as a given role, beside the suite's own (superuser)
connection, which plays the owner."""

import os
from urllib.parse import quote

import psycopg2
from django.conf import settings
from django.db import connection


def connect_as(role: str, password: str | None = None):
    """A new autocommit connection to this run's test database as `role`."""
    db = connection.settings_dict
    params = {
        "dbname": db["NAME"],
        "user": role,
        "password": password or None,
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
    }
    params.update({k: v for k, v in db.get("OPTIONS", {}).items() if k == "host"})
    conn = psycopg2.connect(**params)
    conn.autocommit = True
    return conn


def app_role_url() -> str:
    """The test database's URL as the app role, for a manage.py run in another process."""
    db = connection.settings_dict
    password = os.environ.get("DATABASE_APP_PASSWORD")
    credentials = quote(settings.DATABASE_APP_ROLE, safe="") + (f":{quote(password, safe='')}" if password else "")
    host = quote(db["HOST"] or "", safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"
