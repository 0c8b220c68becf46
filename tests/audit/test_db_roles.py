"""The app role (what web, worker and beat connect as) cannot rewrite the access log: every
tampering statement fails, while its ordinary work still succeeds. ADR 0016."""

import threading
import time
import uuid
from io import StringIO

import psycopg2
import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from portal.audit.apps import grant_app_role
from portal.audit.models import Action, AuditEvent
from portal.audit.services import record
from tests.audit.connections import connect_as

INSERT = (
    "INSERT INTO audit_auditevent (id, occurred_at, actor_label, role, action, object_type, object_id, request_id)"
    " VALUES (%s, now(), 'app-role-test', '', 'view', '', '', '') RETURNING seq, prev_hash, hash"
)


def insert_as(conn):
    with conn.cursor() as cursor:
        cursor.execute(INSERT, [str(uuid.uuid4())])
        return cursor.fetchone()


def refused(conn, statement: str) -> str:
    """Run `statement` and return the database's refusal; fail the test if it ran."""
    with conn.cursor() as cursor:
        try:
            cursor.execute(statement)
        except psycopg2.Error as exc:
            assert exc.pgcode == "42501", exc.pgerror  # insufficient_privilege, not some other error
            return exc.pgerror
    pytest.fail(f"the app role was allowed to run: {statement}")


def verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


DENIED = "permission denied for table audit_auditevent"  # by privileges, before any trigger runs
NOT_OWNER = "must be owner of"
TAMPERING = {
    "update": ("UPDATE audit_auditevent SET actor_label = 'someone else'", DENIED),
    "delete": ("DELETE FROM audit_auditevent", DENIED),
    "truncate": ("TRUNCATE audit_auditevent", DENIED),
    "disable append-only trigger": (
        "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only",
        NOT_OWNER,
    ),
    "disable chain trigger": ("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_chain", NOT_OWNER),
    "disable all triggers": ("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL", NOT_OWNER),
    "drop append-only trigger": ("DROP TRIGGER audit_auditevent_append_only ON audit_auditevent", NOT_OWNER),
    "drop chain trigger": ("DROP TRIGGER audit_auditevent_chain ON audit_auditevent", NOT_OWNER),
    "add own trigger": (
        "CREATE TRIGGER mine BEFORE INSERT ON audit_auditevent FOR EACH ROW EXECUTE FUNCTION audit_auditevent_chain()",
        DENIED,
    ),
    "replace the hash function": (
        "CREATE OR REPLACE FUNCTION audit_auditevent_hash(prev_hash text, r audit_auditevent) RETURNS text"
        " LANGUAGE sql AS $$ SELECT 'x' $$",
        "permission denied for schema",  # it may create nothing, so it cannot replace anything either
    ),
    "drop a column": ("ALTER TABLE audit_auditevent DROP COLUMN hash", NOT_OWNER),
    "drop the table": ("DROP TABLE audit_auditevent", NOT_OWNER),
    "replication role": (
        "SET session_replication_role = replica",
        'permission denied to set parameter "session_replication_role"',
    ),
    "reset the chain sequence": (
        "SELECT setval('audit_auditevent_seq', 1)",
        "permission denied for sequence audit_auditevent_seq",
    ),
    "become the owner": ("SET ROLE postgres", 'permission denied to set role "postgres"'),
}


@pytest.mark.parametrize(("statement", "refusal"), TAMPERING.values(), ids=TAMPERING.keys())
def test_every_tampering_statement_fails_as_the_app_role(app_db, statement, refusal):
    seq, _, hash_ = insert_as(app_db)
    assert refusal in refused(app_db, statement)
    with app_db.cursor() as cursor:
        cursor.execute("SELECT count(*), max(hash) FROM audit_auditevent WHERE seq = %s", [seq])
        assert cursor.fetchone() == (1, hash_)
    assert "intact: 1 rows" in verify()


def test_a_forged_chain_is_overwritten_by_the_trigger(app_db):
    first = insert_as(app_db)
    with app_db.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (id, occurred_at, actor_label, role, action, object_type, object_id,"
            " request_id, seq, prev_hash, hash) VALUES (%s, now(), 'forger', '', 'view', '', '', '', 1, %s, %s)"
            " RETURNING seq, prev_hash, hash",
            [str(uuid.uuid4()), "f" * 64, "f" * 64],
        )
        seq, prev_hash, hash_ = cursor.fetchone()
    assert seq == first[0] + 1
    assert prev_hash == first[2]  # linked to the real previous row, not the forged one
    assert hash_ != "f" * 64 and len(hash_) == 64
    assert "intact: 2 rows" in verify()


def test_the_app_role_is_no_superuser_and_owns_nothing(app_db, settings):
    with app_db.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (settings.DATABASE_APP_ROLE, False, False, False)
        cursor.execute("SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = user)")
        assert cursor.fetchone() == (0,)


def test_the_app_role_inserts_and_reads_the_log_and_writes_app_tables(app_db, cast):
    record(Action.VIEW, actor=cast.cns_a, patient=cast.patient)  # as the owner
    insert_as(app_db)
    with app_db.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_auditevent")
        assert cursor.fetchone() == (2,)
        org = str(uuid.uuid4())
        cursor.execute(
            "INSERT INTO people_organisation (id, created_at, updated_at, kind, ods_code, name, phone, email, address)"
            " VALUES (%s, now(), now(), 'practice', 'Z99999', 'New', '', '', '')",
            [org],
        )
        cursor.execute("UPDATE people_organisation SET name = 'Renamed' WHERE id = %s", [org])
        cursor.execute("SELECT name FROM people_organisation WHERE id = %s", [org])
        assert cursor.fetchone() == ("Renamed",)
        cursor.execute("DELETE FROM people_organisation WHERE id = %s", [org])
        assert cursor.rowcount == 1
        refused(app_db, "TRUNCATE people_organisation CASCADE")  # rows one by one only, anywhere
        refused(app_db, "INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', now())")


def test_grants_follow_tables_that_later_migrations_add(app_db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE later_app_thing (id integer PRIMARY KEY)")  # as a later app's migration would
    try:
        refused(app_db, "SELECT * FROM later_app_thing")

        call_command("migrate", verbosity=0)  # nothing to apply; the grants run after every migrate

        with app_db.cursor() as cursor:
            cursor.execute("INSERT INTO later_app_thing VALUES (1)")
            cursor.execute("SELECT id FROM later_app_thing")
            assert cursor.fetchall() == [(1,)]
        refused(app_db, "TRUNCATE later_app_thing")
        assert DENIED in refused(app_db, "DELETE FROM audit_auditevent")  # the exception still holds
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE later_app_thing")


@pytest.mark.django_db
def test_migrate_refuses_an_app_role_that_could_rewrite_the_log(settings):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        me = cursor.fetchone()[0]  # the suite's superuser, which also runs the migrations
    settings.DATABASE_APP_ROLE = me
    with pytest.raises(ImproperlyConfigured, match="superuser.*the role running the migrations"):
        grant_app_role(sender=apps.get_app_config("audit"), using="default", plan=[])


@pytest.mark.django_db
def test_migrate_warns_and_grants_nothing_when_the_app_role_does_not_exist(settings, caplog):
    settings.DATABASE_APP_ROLE = "portal_no_such_role"
    grant_app_role(sender=apps.get_app_config("audit"), using="default", plan=[])
    assert "DATABASE_APP_ROLE portal_no_such_role does not exist" in caplog.text


def test_two_writers_extend_the_chain_one_after_the_other(app_db):
    first = app_db
    first.autocommit = False
    second = connect_as(first.info.user, first.info.password)
    try:
        head = insert_as(first)  # holds the chain lock until it commits
        with second.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            second_pid = cursor.fetchone()[0]
        result = {}
        writer = threading.Thread(target=lambda: result.update(row=insert_as(second)))
        writer.start()
        assert _waits_for_advisory_lock(second_pid), "the second writer did not wait for the first"
        first.commit()
        writer.join(timeout=30)
        assert result["row"][1] == head[2]  # linked to the first writer's row
    finally:
        first.autocommit = True
        second.close()
    assert AuditEvent.objects.count() == 2
    assert "intact: 2 rows" in verify()


def _waits_for_advisory_lock(pid: int, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT 1 FROM pg_locks WHERE pid = %s AND locktype = 'advisory' AND NOT granted", [pid])
            if cursor.fetchone():
                return True
            time.sleep(0.05)
    return False
