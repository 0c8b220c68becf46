"""Migration 0003 froze a signed-off version's content, and its parts against UPDATE and DELETE.
This closes what it left open, so a version that has left draft cannot change by any path
(ADR 0018):

- Its parts (treatments, GP actions, side-effect ticks) cannot be INSERTed either, nor moved onto
  it by an UPDATE of their version column: the new parent is checked as well as the old one.
- The check locks the parent version row (FOR SHARE). A part inserted while a sign-off holds the
  row waits for it, then reads the committed status and is refused; without the lock it read the
  old 'draft' and slipped in after the PDF had been rendered.
- A version is born a draft (only sign-off makes a signed-off one) and its status moves only
  forward, draft -> signed_off -> sent -> superseded. Without this an UPDATE back to 'draft'
  would unfreeze it, since 0003 lets drafts change freely.

Row triggers do not fire on TRUNCATE (test teardown relies on that, STACK-NOTES 7); the app's
database role is what keeps TRUNCATE away from these tables."""

from django.db import migrations

PARTS = [
    ("eots_treatment_frozen", "treatment_summaries_treatment", "version_id"),
    ("eots_gpaction_frozen", "treatment_summaries_gpaction", "version_id"),
    ("eots_side_effects_frozen", "treatment_summaries_summaryversion_side_effects", "summaryversion_id"),
]


def _triggers(events: str) -> str:
    return "\n".join(
        f"DROP TRIGGER IF EXISTS {name} ON {table};\n"
        f"CREATE TRIGGER {name} BEFORE {events} ON {table}\n"
        f"    FOR EACH ROW EXECUTE FUNCTION eots_version_part_frozen('{column}');"
        for name, table, column in PARTS
    )


FORWARD = f"""
CREATE OR REPLACE FUNCTION eots_version_part_frozen() RETURNS trigger AS $$
DECLARE
    -- TG_ARGV[0] names the column that points at the version (it differs for the M2M table).
    parents uuid[] := ARRAY[]::uuid[];
    parent_status text;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        parents := parents || (to_jsonb(OLD) ->> TG_ARGV[0])::uuid;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        parents := parents || (to_jsonb(NEW) ->> TG_ARGV[0])::uuid;
    END IF;
    -- FOR SHARE: a sign-off in progress holds the row; wait for it and read what it committed.
    FOR parent_status IN
        SELECT status FROM treatment_summaries_summaryversion WHERE id = ANY (parents) ORDER BY id FOR SHARE
    LOOP
        IF parent_status <> 'draft' THEN
            RAISE EXCEPTION 'parts of a signed-off treatment summary version cannot be % (% on %)',
                CASE TG_OP WHEN 'INSERT' THEN 'added' WHEN 'DELETE' THEN 'removed' ELSE 'changed' END,
                TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
        END IF;
    END LOOP;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;

{_triggers("INSERT OR UPDATE OR DELETE")}

CREATE OR REPLACE FUNCTION eots_version_status_forward() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'draft' THEN
            RAISE EXCEPTION 'treatment summary versions start as drafts, signed off only by sign-off (not %)',
                NEW.status USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSIF NEW.status IS DISTINCT FROM OLD.status AND (OLD.status, NEW.status) NOT IN (
        ('draft', 'signed_off'), ('signed_off', 'sent'), ('sent', 'superseded')
    ) THEN
        RAISE EXCEPTION 'treatment summary version status only moves forward (draft, signed_off, sent, superseded): '
            'not from % to %', OLD.status, NEW.status USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER eots_version_status_forward BEFORE INSERT OR UPDATE OF status
    ON treatment_summaries_summaryversion FOR EACH ROW EXECUTE FUNCTION eots_version_status_forward();
"""

# Back to 0003: parts checked on UPDATE and DELETE, by their old parent, without a lock.
REVERSE = f"""
DROP TRIGGER IF EXISTS eots_version_status_forward ON treatment_summaries_summaryversion;
DROP FUNCTION IF EXISTS eots_version_status_forward();

CREATE OR REPLACE FUNCTION eots_version_part_frozen() RETURNS trigger AS $$
DECLARE
    parent uuid := (to_jsonb(OLD) ->> TG_ARGV[0])::uuid;
BEGIN
    IF (SELECT status FROM treatment_summaries_summaryversion WHERE id = parent) <> 'draft' THEN
        RAISE EXCEPTION 'parts of a signed-off treatment summary version cannot be changed (% on %)',
            TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;

{_triggers("UPDATE OR DELETE")}
"""


class Migration(migrations.Migration):
    dependencies = [("treatment_summaries", "0003_signed_off_versions_are_frozen")]
    operations = [migrations.RunSQL(FORWARD, REVERSE)]
