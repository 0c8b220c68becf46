"""Issue 15 items 4 and 5 (ADR 0051): load the GP action prompts (v1); record the role of whoever
signed off the versions signed before the setting existed (the service let only a clinician sign
off, so each of them was a clinician); then freeze the new columns with the rest of a signed-off
version's content, by redefining migration 0003's trigger function with them in its list."""

from django.db import migrations

CONTENT = [
    "summary_id", "number", "amendment_reason", "diagnosis_text", "date_of_diagnosis", "t_stage", "n_stage",
    "m_stage", "staging_comments", "treatment_aim", "side_effects_text", "red_flags", "contacts_in_hours",
    "contacts_out_of_hours", "responsible_clinician", "cns_name", "referrals", "ongoing_management",
    "follow_up_pathway", "new_medication", "information_given", "patient_has_copy", "carer_contact",
    "signed_off_at", "signed_off_by_id", "pdf", "pdf_sha256",
]
NEW = ["benefits_form", "benefits_form_date", "prescription_exemption", "supportive_care_register", "signed_off_role"]


def _function(columns) -> str:
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in columns)
    return f"""
CREATE OR REPLACE FUNCTION eots_version_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'signed-off treatment summary versions cannot be deleted'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status <> 'draft' AND ({changed}) THEN
        RAISE EXCEPTION 'signed-off treatment summary versions cannot be changed'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def load_prompts(apps, schema_editor):
    from treatment_summaries.gp_actions_v1 import load

    load(apps.get_model("treatment_summaries", "GPActionOption"))


def signed_by_clinicians(apps, schema_editor):
    version = apps.get_model("treatment_summaries", "SummaryVersion")
    version.objects.filter(signed_off_at__isnull=False, signed_off_role="").update(signed_off_role="clinician")


class Migration(migrations.Migration):
    dependencies = [("treatment_summaries", "0006_summary_fields_and_sign_off_setting")]
    operations = [
        migrations.RunPython(load_prompts, migrations.RunPython.noop),
        # Before the new function: the old one does not yet guard signed_off_role.
        migrations.RunPython(signed_by_clinicians, migrations.RunPython.noop),
        migrations.RunSQL(_function(CONTENT + NEW), _function(CONTENT)),
    ]
