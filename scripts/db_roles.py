"""Create the portal's database roles, idempotently (ADR 0016): the app role that web, worker and
beat connect as, and optionally a separate owner role that owns the database and runs `migrate`.

Connects with an administrator's URL (a superuser, or a role with CREATEROLE that owns the
database). Needs no Django settings, so the docker compose init step can run it as is.

  python scripts/db_roles.py --admin-url postgres://postgres@127.0.0.1:5432/portal \\
      --app portal_app [--app-password ...] [--owner portal_owner [--owner-password ...]]

Passwords may instead come from DATABASE_APP_PASSWORD and DATABASE_OWNER_PASSWORD."""

import argparse
import os
import sys
from pathlib import Path

import dj_database_url
import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.audit.roles import create_roles_sql  # noqa: E402


def connect(url: str):
    db = dj_database_url.parse(url)
    params = {"dbname": db["NAME"], "user": db.get("USER"), "password": db.get("PASSWORD") or None}
    params.update({"host": db.get("HOST") or None, "port": db.get("PORT") or None})
    params.update(db.get("OPTIONS", {}))  # a socket folder may come as ?host=
    return psycopg2.connect(**params), db["NAME"]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default=os.environ.get("DATABASE_URL"), help="default: $DATABASE_URL")
    parser.add_argument("--app", default=os.environ.get("DATABASE_APP_ROLE", "portal_app"))
    parser.add_argument("--app-password", default=os.environ.get("DATABASE_APP_PASSWORD"))
    parser.add_argument("--owner", help="a separate owner role to create and give the database to")
    parser.add_argument("--owner-password", default=os.environ.get("DATABASE_OWNER_PASSWORD"))
    args = parser.parse_args(argv)
    if not args.admin_url:
        parser.error("give --admin-url or set DATABASE_URL")
    conn, database = connect(args.admin_url)
    conn.autocommit = True
    try:
        sql = create_roles_sql(database, args.app, args.app_password, args.owner, args.owner_password)
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()
    owner = args.owner or dj_database_url.parse(args.admin_url)["USER"]
    print(f"Database {database}: app role {args.app} ready; owner {owner}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
