"""Two database roles, so the access log cannot be rewritten by the application (ADR 0016).

- The OWNER role owns every table and runs `migrate`.
- The APP role (settings.DATABASE_APP_ROLE) is what web, worker and beat connect as: it is not a
  superuser, owns nothing, and may read and write the application's tables, but on the access log
  only INSERT and SELECT.

`create_roles_sql` makes the roles (run once per server by an administrator: scripts/db_roles.py,
the embedded default, CI, docker compose). `grant_app_privileges` runs after every `migrate`
(a post_migrate handler, see apps.py), so tables added by later apps are covered without anyone
remembering to grant them. No Django imports at module level: scripts/db_roles.py runs without
settings.
"""

import re

AUDIT_TABLE = "audit_auditevent"
AUDIT_SEQUENCE = "audit_auditevent_seq"
# Read-only for the app: writing it would let the app fake which migrations ran.
READ_ONLY_TABLES = ("django_migrations",)
_PLAIN_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def check_name(name: str, what: str = "role") -> str:
    """Role and database names end up in SQL as identifiers: allow only plain lower-case names."""
    if not _PLAIN_NAME.match(name or ""):
        raise ValueError(f"{name!r} is not a valid {what} name: use lower-case letters, digits and underscores")
    return name


def _literal(value: str) -> str:
    # standard_conforming_strings is on (the default since PostgreSQL 9.1): only quotes need doubling.
    if "\0" in value:
        raise ValueError("a password cannot contain a NUL character")
    return "'" + value.replace("'", "''") + "'"


def _login_role_sql(role: str, password: str | None) -> str:
    check_name(role)
    # CREATE ROLE has no IF NOT EXISTS; the DO block makes the whole script safe to run again.
    return (
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') "
        f"THEN CREATE ROLE {role} LOGIN; END IF; END $$;\n"
        f"ALTER ROLE {role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
        + (f" PASSWORD {_literal(password)}" if password else "")
        + ";\n"
    )


def create_roles_sql(
    database: str,
    app: str,
    app_password: str | None = None,
    owner: str | None = None,
    owner_password: str | None = None,
) -> str:
    """Idempotent SQL, for a superuser (or a CREATEROLE role), that makes the app role and, when
    `owner` is given, a non-superuser owner role that owns `database`. Passwords are left alone
    when not given (local trust authentication needs none)."""
    check_name(database, "database")
    statements = _login_role_sql(app, app_password)
    if owner:
        if owner == app:
            raise ValueError("the owner and the app role must be different roles")
        statements += _login_role_sql(owner, owner_password)
        # PostgreSQL 15+: schema public belongs to the database owner, so the owner may create in it.
        statements += f"ALTER DATABASE {database} OWNER TO {owner};\n"
        # A mistaken membership would let the app SET ROLE to the owner.
        statements += f"REVOKE {owner} FROM {app};\n"
    statements += f"GRANT CONNECT ON DATABASE {database} TO {app};\n"
    # PostgreSQL before 15 let everyone create in public; the app must own nothing.
    statements += "REVOKE CREATE ON SCHEMA public FROM PUBLIC;\n"
    return statements


def app_role_problems(cursor, role: str) -> list[str] | None:
    """What makes `role` unfit to be the app role, as seen from the migrating connection; None if
    there is no such role."""
    cursor.execute(
        "SELECT rolsuper, rolbypassrls, rolname = current_user, pg_has_role(%s, current_user, 'MEMBER') "
        "FROM pg_roles WHERE rolname = %s",
        [role, role],
    )
    row = cursor.fetchone()
    if row is None:
        return None
    superuser, bypass_rls, is_me, member = row
    problems = []
    if superuser:
        problems.append(f"role {role} is a superuser")
    if bypass_rls:
        problems.append(f"role {role} bypasses row-level security")
    if is_me:
        problems.append(f"role {role} is the role running the migrations (the owner)")
    elif member:
        problems.append(f"role {role} is a member of the owner role and could SET ROLE to it")
    cursor.execute(
        # Temporary tables aside (any role may make those; they vanish with the session).
        "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
        "WHERE r.rolname = %s AND c.relpersistence <> 't'",
        [role],
    )
    owned = cursor.fetchone()[0]
    if owned:
        problems.append(f"role {role} owns {owned} tables or sequences")
    return problems


def grant_app_privileges(cursor, role: str) -> None:
    """Reset the app role's privileges in the current schema to exactly what it needs: read and
    write every table and use every sequence, but the access log only INSERT and SELECT, and the
    migrations table only SELECT. Revoking first makes this the whole truth, whatever was granted
    before. Run by the owner (or a superuser), inside the caller's transaction."""
    check_name(role)
    cursor.execute("SELECT quote_ident(current_schema())")
    schema = cursor.fetchone()[0]
    cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
    cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}")
    cursor.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}")
    # No TRUNCATE, REFERENCES or TRIGGER anywhere: only the four row-level verbs.
    cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}")
    cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}")
    cursor.execute("SELECT to_regclass(%s), to_regclass(%s)", [AUDIT_TABLE, AUDIT_SEQUENCE])
    audit_table, audit_sequence = cursor.fetchone()
    if audit_table:
        cursor.execute(f"REVOKE ALL ON {AUDIT_TABLE} FROM {role}")
        cursor.execute(f"GRANT SELECT, INSERT ON {AUDIT_TABLE} TO {role}")
    if audit_sequence:
        # USAGE is nextval, which the chain trigger calls as the inserting role; never setval.
        cursor.execute(f"REVOKE ALL ON SEQUENCE {AUDIT_SEQUENCE} FROM {role}")
        cursor.execute(f"GRANT USAGE ON SEQUENCE {AUDIT_SEQUENCE} TO {role}")
    for table in READ_ONLY_TABLES:
        cursor.execute("SELECT to_regclass(%s)", [table])
        if cursor.fetchone()[0]:
            cursor.execute(f"REVOKE ALL ON {table} FROM {role}")
            cursor.execute(f"GRANT SELECT ON {table} TO {role}")
