"""The access log's hash chain: the database chains every row, and `audit_verify` names the first
row that the owner (who can switch the triggers off) changed, removed or back-dated. ADR 0016."""

import datetime
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from portal.audit.chain import GENESIS, row_hash
from portal.audit.models import Action, AuditEvent
from portal.audit.services import audit_view_many, record
from tests.audit.connections import app_role_url

ROOT = Path(__file__).resolve().parent.parent.parent


def verify(*args) -> str:
    out = StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue().strip()


def broken(*args) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("audit_verify", *args, stdout=StringIO())
    return str(caught.value)


def events(cast, n: int) -> list[AuditEvent]:
    return [record(Action.VIEW, actor=cast.cns_a, patient=cast.patient) for _ in range(n)]


def as_owner(sql: str, params=()) -> None:
    """Tamper as the owner would: the append-only trigger off for just this statement."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses while FK checks are pending
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only")


@pytest.mark.django_db
def test_every_row_is_chained_to_the_one_before(cast):
    first, second = events(cast, 2)
    assert first.prev_hash == GENESIS
    assert second.seq == first.seq + 1 and second.prev_hash == first.hash
    stored = AuditEvent.objects.get(pk=second.pk)
    assert (stored.seq, stored.prev_hash, stored.hash) == (second.seq, second.prev_hash, second.hash)
    summary = f"Audit log hash chain intact: 2 rows, last seq {second.seq} (id {second.pk}), hash {second.hash}"
    assert verify() == f"{summary} (keep --anchor {second.seq}:{second.hash})."


@pytest.mark.django_db
def test_python_recomputes_the_databases_hash_for_awkward_values(cast):
    event = record(Action.FAILED_SIGN_IN, label="anonymous (ünïcödé|3:x~@example.com)")  # no actor: NULLs
    AuditEvent.objects.create(occurred_at=timezone.now(), actor_label="v6", action="view", ip_address="2001:db8::1")
    stored = AuditEvent.objects.order_by("seq").values_list(
        "seq", "id", "occurred_at", "actor_id", "actor_label", "role", "organisation_id", "patient_id",
        "action", "object_type", "object_id", "ip_address", "request_id", "prev_hash", "hash",
    )  # fmt: skip
    for *values, prev_hash, hash_ in stored:
        assert row_hash(prev_hash, values) == hash_
    assert event.actor_id is None
    assert "intact: 2 rows" in verify()


@pytest.mark.django_db
def test_bulk_inserts_are_chained_too(cast):
    from tests.factories import PatientFactory

    others = [PatientFactory(care_teams=[cast.team_a]) for _ in range(3)]
    request = type("Request", (), {"user": cast.cns_a, "META": {"REMOTE_ADDR": "192.0.2.1"}, "role": None})()
    audit_view_many(request, [(p, None) for p in others])
    chain = list(AuditEvent.objects.order_by("seq").values_list("seq", "prev_hash", "hash"))
    assert len(chain) == 3
    for (seq, _, hash_), (next_seq, next_prev, _) in zip(chain, chain[1:], strict=False):
        assert next_seq == seq + 1 and next_prev == hash_
    assert "intact: 3 rows" in verify()


@pytest.mark.django_db
def test_an_empty_log_is_intact():
    assert verify() == "Audit log hash chain intact: 0 rows."


@pytest.mark.django_db
def test_an_edit_by_the_owner_is_caught_and_named(cast):
    rows = events(cast, 4)
    as_owner("UPDATE audit_auditevent SET actor_label = 'someone else' WHERE id = %s", [rows[2].pk])
    message = broken()
    assert f"Row seq {rows[2].seq} (id {rows[2].pk}) was changed" in message
    assert "after 2 good rows" in message


@pytest.mark.django_db
def test_an_edit_with_a_recomputed_hash_is_caught_at_the_next_row(cast):
    rows = events(cast, 4)
    as_owner(
        "UPDATE audit_auditevent SET object_id = 'elsewhere' WHERE id = %s;"
        " UPDATE audit_auditevent a SET hash = audit_auditevent_hash(a.prev_hash, a) WHERE id = %s",
        [rows[1].pk, rows[1].pk],
    )
    message = broken()
    assert f"Row seq {rows[2].seq} (id {rows[2].pk}) does not link to the row before it, seq {rows[1].seq}" in message


@pytest.mark.django_db
def test_a_removed_row_is_caught_at_the_row_after_it(cast):
    rows = events(cast, 4)
    as_owner("DELETE FROM audit_auditevent WHERE id = %s", [rows[1].pk])
    message = broken()
    assert f"Row seq {rows[2].seq} (id {rows[2].pk}) does not link to the row before it, seq {rows[0].seq}" in message
    assert "removed" in message


@pytest.mark.django_db
def test_removing_the_first_rows_is_caught(cast):
    rows = events(cast, 3)
    as_owner("DELETE FROM audit_auditevent WHERE id = %s", [rows[0].pk])
    assert f"Row seq {rows[1].seq} (id {rows[1].pk}) is the first row but links to an earlier row" in broken()


@pytest.mark.django_db
def test_a_row_slipped_in_with_the_triggers_off_is_caught(cast):
    rows = events(cast, 2)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_chain")
        cursor.execute(
            "INSERT INTO audit_auditevent (id, occurred_at, actor_label, role, action, object_type, object_id,"
            " request_id, seq, prev_hash, hash) VALUES (gen_random_uuid(), %s, 'ghost', '', 'view', '', '', '',"
            " %s, %s, %s)",
            [rows[1].occurred_at, rows[1].seq + 1, rows[1].hash, "0" * 64],
        )
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_chain")
    assert f"Row seq {rows[1].seq + 1} " in broken() and "was changed" in broken()


@pytest.mark.django_db
@pytest.mark.parametrize(("earlier", "intact"), [(60, True), (60.001, False)])
def test_a_back_dated_row_is_caught_beyond_the_tolerance(cast, earlier, intact):
    (last,) = events(cast, 1)
    back_dated = AuditEvent.objects.create(
        occurred_at=last.occurred_at - datetime.timedelta(seconds=earlier), actor_label="late", action="view"
    )
    if intact:
        assert "intact: 2 rows" in verify("--tolerance", "60")
    else:
        message = broken("--tolerance", "60")
        assert f"Row seq {back_dated.seq} (id {back_dated.pk}) was inserted out of order" in message
        assert f"before seq {last.seq}" in message


@pytest.mark.django_db
def test_the_default_tolerance_is_a_minute(cast):
    (last,) = events(cast, 1)
    AuditEvent.objects.create(
        occurred_at=last.occurred_at - datetime.timedelta(seconds=61), actor_label="late", action="view"
    )
    assert "inserted out of order" in broken()
    assert "intact" in verify("--tolerance", "61")


@pytest.mark.django_db
@pytest.mark.parametrize("chunk", ["1", "2", "3", "7"])
def test_the_walk_in_chunks_sees_every_row(cast, chunk):
    rows = events(cast, 6)
    assert f"intact: 6 rows, last seq {rows[-1].seq}" in verify("--chunk-size", chunk)
    as_owner("UPDATE audit_auditevent SET role = 'auditor' WHERE id = %s", [rows[4].pk])
    assert f"Row seq {rows[4].seq} " in broken("--chunk-size", chunk)


@pytest.mark.django_db
def test_bad_options_get_a_clear_error():
    assert "--chunk-size must be at least 1" in broken("--chunk-size", "0")
    assert "--tolerance cannot be negative" in broken("--tolerance", "-1")
    # The limits' other side: the smallest allowed values are taken.
    assert verify("--tolerance", "0", "--chunk-size", "1").startswith("Audit log hash chain intact")
    for anchor in ["12", "x:" + "a" * 64, "12:" + "a" * 63, "12:" + "g" * 64]:
        assert "--anchor must be SEQ:HASH" in broken("--anchor", anchor)


def rebuild_chain_from(seq: int) -> None:
    """What an owner who knows the algorithm can do: recompute every hash from `seq` on."""
    as_owner(
        "DO $$ DECLARE r audit_auditevent; previous text; BEGIN"
        " SELECT hash INTO previous FROM audit_auditevent WHERE seq < %s ORDER BY seq DESC LIMIT 1;"
        " FOR r IN SELECT * FROM audit_auditevent WHERE seq >= %s ORDER BY seq LOOP"
        "   r.prev_hash := coalesce(previous, repeat('0', 64)); r.hash := audit_auditevent_hash(r.prev_hash, r);"
        "   UPDATE audit_auditevent SET prev_hash = r.prev_hash, hash = r.hash WHERE id = r.id;"
        "   previous := r.hash;"
        " END LOOP; END $$",
        [seq, seq],
    )


@pytest.mark.django_db
def test_a_kept_anchor_catches_rows_cut_off_the_end(cast):
    rows = events(cast, 3)
    anchor = f"{rows[2].seq}:{rows[2].hash}"
    assert "intact: 3 rows" in verify("--anchor", anchor)
    as_owner("DELETE FROM audit_auditevent WHERE id = %s", [rows[2].pk])
    assert "intact: 2 rows" in verify()  # the chain alone cannot see a shorter end
    assert f"Row seq {rows[2].seq}, whose hash was kept, is missing" in broken("--anchor", anchor)


@pytest.mark.django_db
def test_a_kept_anchor_catches_a_rebuilt_chain(cast):
    rows = events(cast, 3)
    as_owner("UPDATE audit_auditevent SET actor_label = 'someone else' WHERE id = %s", [rows[1].pk])
    rebuild_chain_from(rows[1].seq)
    assert "intact: 3 rows" in verify()
    message = broken("--anchor", f"{rows[0].seq}:{rows[0].hash}", "--anchor", f"{rows[2].seq}:{rows[2].hash}")
    assert f"Row seq {rows[2].seq} (id {rows[2].pk}) does not have the hash kept for it" in message


def test_audit_rows_outside_read_committed_are_refused(app_db):
    """Under REPEATABLE READ the trigger could miss the row committed just before: the chain would fork."""
    with app_db.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        with pytest.raises(psycopg2.Error, match="READ COMMITTED"):
            cursor.execute(
                "INSERT INTO audit_auditevent (id, occurred_at, actor_label, role, action, object_type, object_id,"
                " request_id) VALUES (gen_random_uuid(), now(), 'x', '', 'view', '', '', '')"
            )
        cursor.execute("ROLLBACK")
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_audit_verify_exits_non_zero_run_as_the_app_role(cast):
    rows = events(cast, 3)
    env = {**os.environ, "DATABASE_URL": app_role_url()}
    command = [sys.executable, "manage.py", "audit_verify"]
    intact = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert intact.returncode == 0, intact.stderr
    assert intact.stdout.strip().startswith("Audit log hash chain intact: 3 rows")

    as_owner("DELETE FROM audit_auditevent WHERE id = %s", [rows[1].pk])
    tampered = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert tampered.returncode == 1
    assert f"Row seq {rows[2].seq} (id {rows[2].pk}) does not link" in tampered.stderr


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_rows_written_before_it():
    call_command("migrate", "audit", "0002", verbosity=0)
    try:
        base = timezone.now()
        with connection.cursor() as cursor:
            for minutes, label in [(5, "third"), (0, "first"), (2, "second")]:  # inserted out of time order
                cursor.execute(
                    "INSERT INTO audit_auditevent (id, occurred_at, actor_label, role, action, object_type,"
                    " object_id, request_id) VALUES (gen_random_uuid(), %s, %s, '', 'view', '', '', '')",
                    [base + datetime.timedelta(minutes=minutes), label],
                )
    finally:
        call_command("migrate", "audit", verbosity=0)
    chain = list(AuditEvent.objects.order_by("seq").values_list("actor_label", "prev_hash", "hash"))
    assert [label for label, _, _ in chain] == ["first", "second", "third"]
    assert chain[0][1] == GENESIS and chain[1][1] == chain[0][2] and chain[2][1] == chain[1][2]
    assert "intact: 3 rows" in verify()
    later = AuditEvent.objects.create(occurred_at=timezone.now() + datetime.timedelta(minutes=6), actor_label="new")
    assert later.prev_hash == chain[2][2]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=later.pk).update(actor_label="x")  # the migration left it switched on


def test_the_check_does_not_depend_on_the_server_clock_zone(monkeypatch):
    """Times are hashed in UTC by the database; a verifier on a machine set to another zone agrees."""
    import time

    from portal.audit.chain import _text

    moment = datetime.datetime(2026, 7, 1, 12, 0, 0, 123456, tzinfo=datetime.UTC)
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        assert _text(moment) == "2026-07-01T12:00:00.123456"
        london = moment.astimezone(datetime.timezone(datetime.timedelta(hours=1)))
        assert _text(london) == "2026-07-01T12:00:00.123456"
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.django_db
def test_the_default_tolerance_holds_on_both_sides_of_a_minute(cast):
    """Clocks and the chain lock can put a row up to 60 s before its predecessor; more is back-dated."""
    first, second = events(cast, 2)
    as_owner("UPDATE audit_auditevent SET occurred_at = %s WHERE id = %s",
             [first.occurred_at - datetime.timedelta(seconds=59), second.pk])  # fmt: skip
    as_owner("UPDATE audit_auditevent SET hash = audit_auditevent_hash(prev_hash, audit_auditevent) WHERE id = %s",
             [second.pk])  # fmt: skip
    assert verify().startswith("Audit log hash chain intact: 2 rows")
    as_owner("UPDATE audit_auditevent SET occurred_at = %s WHERE id = %s",
             [first.occurred_at - datetime.timedelta(seconds=61), second.pk])  # fmt: skip
    as_owner("UPDATE audit_auditevent SET hash = audit_auditevent_hash(prev_hash, audit_auditevent) WHERE id = %s",
             [second.pk])  # fmt: skip
    assert "was inserted out of order" in broken()


@pytest.mark.django_db
def test_a_kept_hash_past_the_end_counts_the_good_rows(cast):
    rows = events(cast, 2)
    message = broken("--anchor", f"{rows[-1].seq + 5}:{'a' * 64}")
    assert message.startswith("Audit log hash chain broken after 2 good rows.")
    assert f"Row seq {rows[-1].seq + 5}, whose hash was kept, is missing" in message


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        (["--anchor", f"1:{'X' * 64}"], "--anchor must be SEQ:HASH"),
        (["--anchor", f"x:{'a' * 64}"], "--anchor must be SEQ:HASH"),
        (["--anchor", "1:abc"], "--anchor must be SEQ:HASH"),
        (["--chunk-size", "0"], "--chunk-size must be at least 1."),
        (["--tolerance", "-1"], "--tolerance cannot be negative."),
    ],
)
@pytest.mark.django_db
def test_bad_arguments_are_refused_plainly(arguments, error):
    assert broken(*arguments).startswith(error)
