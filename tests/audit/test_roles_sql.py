"""The SQL that makes the two database roles (portal/audit/roles.py): names are checked before they
reach SQL, passwords are quoted, and running it as a superuser makes a login role with no powers,
twice without error."""

import uuid

import pytest
from django.db import connection

from portal.audit.roles import _literal, check_name, create_roles_sql


@pytest.mark.parametrize("name", ["portal_app", "a", "_x1", "a" * 63])
def test_plain_names_pass(name):
    assert check_name(name) == name


@pytest.mark.parametrize("name", ["", None, "Portal", "1app", "app-role", "app;drop", "a" * 64, 'x" OR "1'])
def test_other_names_are_refused_with_the_reason(name):
    with pytest.raises(ValueError, match="is not a valid role name: use lower-case letters, digits and underscores"):
        check_name(name)
    with pytest.raises(ValueError, match="is not a valid database name"):
        check_name(name, "database")


def test_passwords_are_quoted_and_nul_refused():
    assert _literal("plain") == "'plain'"
    assert _literal("o'brien''s") == "'o''brien''''s'"
    with pytest.raises(ValueError, match="^a password cannot contain a NUL character$"):
        _literal("a\0b")


def test_the_script_refuses_one_role_for_both_jobs():
    with pytest.raises(ValueError, match="^the owner and the app role must be different roles$"):
        create_roles_sql("portal", "portal_app", owner="portal_app")


def test_the_script_names_a_bad_database_name_as_such():
    with pytest.raises(ValueError, match="^'Portal-db' is not a valid database name: use lower-case"):
        create_roles_sql("Portal-db", "portal_app")


def test_the_script_says_what_it_does():
    sql = create_roles_sql("portal", "app_x", app_password="pa'ss", owner="owner_x", owner_password="ow")
    assert "CREATE ROLE app_x LOGIN" in sql and "CREATE ROLE owner_x LOGIN" in sql
    assert "ALTER ROLE app_x WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS" in sql
    assert "PASSWORD 'pa''ss'" in sql and "PASSWORD 'ow'" in sql
    assert "ALTER DATABASE portal OWNER TO owner_x;" in sql and "REVOKE owner_x FROM app_x;" in sql
    assert sql.endswith("GRANT CONNECT ON DATABASE portal TO app_x;\nREVOKE CREATE ON SCHEMA public FROM PUBLIC;\n")
    without = create_roles_sql("portal", "app_x")
    assert "PASSWORD" not in without and "OWNER TO" not in without
    # No password: the ALTER ROLE ends at its last option (nothing else is appended to it).
    assert "NOREPLICATION NOBYPASSRLS;\n" in without


@pytest.mark.django_db(transaction=True)
def test_running_it_twice_makes_a_powerless_login_role():
    role = f"test_role_{uuid.uuid4().hex[:8]}"
    database = connection.settings_dict["NAME"]
    try:
        with connection.cursor() as cursor:
            for _ in range(2):
                cursor.execute(create_roles_sql(database, role, app_password="secret-1"))
            cursor.execute(
                "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls "
                "FROM pg_roles WHERE rolname = %s",
                [role],
            )
            assert cursor.fetchone() == (True, False, False, False, False, False)
            cursor.execute("SELECT has_database_privilege(%s, %s, 'CONNECT')", [role, database])
            assert cursor.fetchone() == (True,)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"REVOKE ALL ON DATABASE {database} FROM {role}")
            cursor.execute(f"DROP ROLE IF EXISTS {role}")
