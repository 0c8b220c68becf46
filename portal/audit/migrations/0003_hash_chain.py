"""A hash chain over the access log (ADR 0016).

Every row gets `seq` (the chain's order), `prev_hash` (the hash of the row before it, or 64 zeros
for the first) and `hash` = sha256 of prev_hash and the row's fields. A BEFORE INSERT trigger sets
all three, so every writer (create, bulk_create, raw SQL, the app role) is covered and nothing the
application sends can forge them. One writer at a time extends the chain: the trigger takes a
transaction-scoped advisory lock, which is held until the inserting transaction ends.

Rows written before this migration are chained here, in (occurred_at, id) order.

The encoding is repeated, independently, in portal/audit/chain.py, which `audit_verify` uses: a
replaced database function cannot vouch for itself. Each field is written as <length>:<text>, or
~ for NULL; occurred_at as UTC ISO 8601 with microseconds; ip_address as abbrev(inet).
"""

from django.db import migrations, models

# Any fixed key ("audt"); nothing else in the portal takes advisory locks.
CHAIN_LOCK_KEY = 1635083380


def _forward_sql(schema: str) -> str:
    return f"""
SET CONSTRAINTS ALL IMMEDIATE;  -- ALTER TABLE refuses to run while deferred checks are pending
ALTER TABLE audit_auditevent
    ADD COLUMN seq bigint,
    ADD COLUMN prev_hash varchar(64),
    ADD COLUMN hash varchar(64);
CREATE SEQUENCE audit_auditevent_seq OWNED BY audit_auditevent.seq;

CREATE FUNCTION audit_chain_field(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN value IS NULL THEN '~' ELSE char_length(value)::text || ':' || value END $$;

CREATE FUNCTION audit_auditevent_hash(prev_hash text, r audit_auditevent) RETURNS text
    LANGUAGE sql STABLE
    SET search_path = {schema}, pg_temp
    AS $$ SELECT encode(sha256(convert_to(
        audit_chain_field(prev_hash)
        || audit_chain_field(r.seq::text)
        || audit_chain_field(r.id::text)
        || audit_chain_field(to_char(r.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'))
        || audit_chain_field(r.actor_id::text)
        || audit_chain_field(r.actor_label)
        || audit_chain_field(r.role)
        || audit_chain_field(r.organisation_id::text)
        || audit_chain_field(r.patient_id::text)
        || audit_chain_field(r.action)
        || audit_chain_field(r.object_type)
        || audit_chain_field(r.object_id)
        || audit_chain_field(abbrev(r.ip_address))
        || audit_chain_field(r.request_id),
    'UTF8')), 'hex') $$;

-- Chain the rows already there (the append-only trigger is off for this one transaction).
ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only;
DO $$
DECLARE
    r audit_auditevent;
    previous text := repeat('0', 64);
BEGIN
    FOR r IN SELECT * FROM audit_auditevent ORDER BY occurred_at, id LOOP
        r.seq := nextval('audit_auditevent_seq');
        r.hash := audit_auditevent_hash(previous, r);
        UPDATE audit_auditevent SET seq = r.seq, prev_hash = previous, hash = r.hash WHERE id = r.id;
        previous := r.hash;
    END LOOP;
END $$;
ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only;

-- The defaults only stand in until the trigger runs (and tell Django to read the values back).
ALTER TABLE audit_auditevent
    ALTER COLUMN seq SET DEFAULT 0, ALTER COLUMN seq SET NOT NULL,
    ALTER COLUMN prev_hash SET DEFAULT '', ALTER COLUMN prev_hash SET NOT NULL,
    ALTER COLUMN hash SET DEFAULT '', ALTER COLUMN hash SET NOT NULL,
    ADD CONSTRAINT audit_auditevent_seq_key UNIQUE (seq);

CREATE FUNCTION audit_auditevent_chain() RETURNS trigger
    LANGUAGE plpgsql
    -- Pinned, so no role can shadow the table or functions (a temporary table, say).
    SET search_path = {schema}, pg_temp
    AS $$
DECLARE
    previous text;
BEGIN
    -- Under REPEATABLE READ the row before could be invisible to this snapshot: the chain would fork.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'audit rows must be written in a READ COMMITTED transaction, not %',
            current_setting('transaction_isolation');
    END IF;
    -- One chain writer at a time, until this transaction ends (ADR 0016: keep those short).
    PERFORM pg_advisory_xact_lock({CHAIN_LOCK_KEY});
    NEW.seq := nextval('audit_auditevent_seq');
    -- A fresh snapshot (READ COMMITTED, volatile function): sees whatever the last holder committed.
    SELECT hash INTO previous FROM audit_auditevent ORDER BY seq DESC LIMIT 1;
    NEW.prev_hash := coalesce(previous, repeat('0', 64));
    NEW.hash := audit_auditevent_hash(NEW.prev_hash, NEW);
    RETURN NEW;
END $$;

CREATE TRIGGER audit_auditevent_chain
    BEFORE INSERT ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_chain();
"""


REVERSE_SQL = """
DROP TRIGGER IF EXISTS audit_auditevent_chain ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_auditevent_chain();
ALTER TABLE audit_auditevent DROP COLUMN seq, DROP COLUMN prev_hash, DROP COLUMN hash;
DROP FUNCTION IF EXISTS audit_auditevent_hash(text, audit_auditevent);
DROP FUNCTION IF EXISTS audit_chain_field(text);
"""


def forward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(current_schema())")
        schema = cursor.fetchone()[0]
        cursor.execute(_forward_sql(schema))


def reverse(apps, schema_editor):
    schema_editor.execute(REVERSE_SQL)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forward, reverse)],
            state_operations=[
                migrations.AddField(
                    model_name="auditevent",
                    name="seq",
                    field=models.BigIntegerField(db_default=0, editable=False, unique=True),
                ),
                migrations.AddField(
                    model_name="auditevent",
                    name="prev_hash",
                    field=models.CharField(db_default="", editable=False, max_length=64),
                ),
                migrations.AddField(
                    model_name="auditevent",
                    name="hash",
                    field=models.CharField(db_default="", editable=False, max_length=64),
                ),
            ],
        ),
    ]
