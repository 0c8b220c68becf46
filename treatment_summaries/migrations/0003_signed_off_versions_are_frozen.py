"""A signed-off version is a clinical record: the database refuses to change its content or delete
it, and refuses changes to or deletion of its treatments, GP actions and side-effect ticks. Only the
send workflow columns (status, sent_at, updated_at) may still move. Drafts are untouched. Inserting
parts is not blocked (fixtures build sent versions directly); the services add parts to drafts
only, and the stored PDF with its hash remains the record that was signed."""

from django.db import migrations

CONTENT = [
    "summary_id", "number", "amendment_reason", "diagnosis_text", "date_of_diagnosis", "t_stage", "n_stage",
    "m_stage", "staging_comments", "treatment_aim", "side_effects_text", "red_flags", "contacts_in_hours",
    "contacts_out_of_hours", "responsible_clinician", "cns_name", "referrals", "ongoing_management",
    "follow_up_pathway", "new_medication", "information_given", "patient_has_copy", "carer_contact",
    "signed_off_at", "signed_off_by_id", "pdf", "pdf_sha256",
]
CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in CONTENT)

FORWARD = f"""
CREATE OR REPLACE FUNCTION eots_version_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'signed-off treatment summary versions cannot be deleted'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status <> 'draft' AND ({CHANGED}) THEN
        RAISE EXCEPTION 'signed-off treatment summary versions cannot be changed'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER eots_version_frozen BEFORE UPDATE OR DELETE ON treatment_summaries_summaryversion
    FOR EACH ROW EXECUTE FUNCTION eots_version_frozen();

CREATE OR REPLACE FUNCTION eots_version_part_frozen() RETURNS trigger AS $$
DECLARE
    -- TG_ARGV[0] names the column that points at the version (it differs for the M2M table).
    parent uuid := (to_jsonb(OLD) ->> TG_ARGV[0])::uuid;
BEGIN
    IF (SELECT status FROM treatment_summaries_summaryversion WHERE id = parent) <> 'draft' THEN
        RAISE EXCEPTION 'parts of a signed-off treatment summary version cannot be changed (% on %)',
            TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER eots_treatment_frozen BEFORE UPDATE OR DELETE ON treatment_summaries_treatment
    FOR EACH ROW EXECUTE FUNCTION eots_version_part_frozen('version_id');
CREATE TRIGGER eots_gpaction_frozen BEFORE UPDATE OR DELETE ON treatment_summaries_gpaction
    FOR EACH ROW EXECUTE FUNCTION eots_version_part_frozen('version_id');
CREATE TRIGGER eots_side_effects_frozen BEFORE UPDATE OR DELETE
    ON treatment_summaries_summaryversion_side_effects
    FOR EACH ROW EXECUTE FUNCTION eots_version_part_frozen('summaryversion_id');
"""

REVERSE = """
DROP TRIGGER IF EXISTS eots_side_effects_frozen ON treatment_summaries_summaryversion_side_effects;
DROP TRIGGER IF EXISTS eots_gpaction_frozen ON treatment_summaries_gpaction;
DROP TRIGGER IF EXISTS eots_treatment_frozen ON treatment_summaries_treatment;
DROP TRIGGER IF EXISTS eots_version_frozen ON treatment_summaries_summaryversion;
DROP FUNCTION IF EXISTS eots_version_part_frozen();
DROP FUNCTION IF EXISTS eots_version_frozen();
"""


class Migration(migrations.Migration):
    dependencies = [("treatment_summaries", "0002_side_effects_v1")]
    operations = [migrations.RunSQL(FORWARD, REVERSE)]
