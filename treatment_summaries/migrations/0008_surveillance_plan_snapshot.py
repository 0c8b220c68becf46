"""Issue 15 item 6 (ADR 0054): the follow-up tests planned at sign-off, kept on the version, and frozen
with the rest of a signed-off version's content (migration 0007's trigger function, one column more)."""

import importlib

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models

_0007 = importlib.import_module("treatment_summaries.migrations.0007_gp_action_prompts_and_frozen_new_fields")
FROZEN = _0007.CONTENT + _0007.NEW


class Migration(migrations.Migration):

    dependencies = [
        ('treatment_summaries', '0007_gp_action_prompts_and_frozen_new_fields'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='summaryversion',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='summaryversion',
            name='update_update',
        ),
        migrations.AddField(
            model_name='summaryversion',
            name='surveillance_plan',
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='summaryversionevent',
            name='surveillance_plan',
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='summaryversion',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "treatment_summaries_summaryversionevent" ("amendment_reason", "benefits_form", "benefits_form_date", "carer_contact", "cns_name", "contacts_in_hours", "contacts_out_of_hours", "created_at", "date_of_diagnosis", "diagnosis_text", "follow_up_pathway", "id", "information_given", "lock_version", "m_stage", "n_stage", "new_medication", "number", "ongoing_management", "patient_has_copy", "pdf_sha256", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "prescription_exemption", "red_flags", "referrals", "responsible_clinician", "sent_at", "side_effects_text", "signed_off_at", "signed_off_by_id", "signed_off_role", "staging_comments", "status", "summary_id", "supportive_care_register", "surveillance_plan", "t_stage", "treatment_aim", "updated_at") VALUES (NEW."amendment_reason", NEW."benefits_form", NEW."benefits_form_date", NEW."carer_contact", NEW."cns_name", NEW."contacts_in_hours", NEW."contacts_out_of_hours", NEW."created_at", NEW."date_of_diagnosis", NEW."diagnosis_text", NEW."follow_up_pathway", NEW."id", NEW."information_given", NEW."lock_version", NEW."m_stage", NEW."n_stage", NEW."new_medication", NEW."number", NEW."ongoing_management", NEW."patient_has_copy", NEW."pdf_sha256", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."prescription_exemption", NEW."red_flags", NEW."referrals", NEW."responsible_clinician", NEW."sent_at", NEW."side_effects_text", NEW."signed_off_at", NEW."signed_off_by_id", NEW."signed_off_role", NEW."staging_comments", NEW."status", NEW."summary_id", NEW."supportive_care_register", NEW."surveillance_plan", NEW."t_stage", NEW."treatment_aim", NEW."updated_at"); RETURN NULL;', hash='9662cb88078fcf6565e99b51fb2546ca6f7abdf7', operation='INSERT', pgid='pgtrigger_insert_insert_94912', table='treatment_summaries_summaryversion', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='summaryversion',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."amendment_reason" IS DISTINCT FROM (NEW."amendment_reason") OR OLD."benefits_form" IS DISTINCT FROM (NEW."benefits_form") OR OLD."benefits_form_date" IS DISTINCT FROM (NEW."benefits_form_date") OR OLD."carer_contact" IS DISTINCT FROM (NEW."carer_contact") OR OLD."cns_name" IS DISTINCT FROM (NEW."cns_name") OR OLD."contacts_in_hours" IS DISTINCT FROM (NEW."contacts_in_hours") OR OLD."contacts_out_of_hours" IS DISTINCT FROM (NEW."contacts_out_of_hours") OR OLD."created_at" IS DISTINCT FROM (NEW."created_at") OR OLD."date_of_diagnosis" IS DISTINCT FROM (NEW."date_of_diagnosis") OR OLD."diagnosis_text" IS DISTINCT FROM (NEW."diagnosis_text") OR OLD."follow_up_pathway" IS DISTINCT FROM (NEW."follow_up_pathway") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."information_given" IS DISTINCT FROM (NEW."information_given") OR OLD."lock_version" IS DISTINCT FROM (NEW."lock_version") OR OLD."m_stage" IS DISTINCT FROM (NEW."m_stage") OR OLD."n_stage" IS DISTINCT FROM (NEW."n_stage") OR OLD."new_medication" IS DISTINCT FROM (NEW."new_medication") OR OLD."number" IS DISTINCT FROM (NEW."number") OR OLD."ongoing_management" IS DISTINCT FROM (NEW."ongoing_management") OR OLD."patient_has_copy" IS DISTINCT FROM (NEW."patient_has_copy") OR OLD."pdf_sha256" IS DISTINCT FROM (NEW."pdf_sha256") OR OLD."prescription_exemption" IS DISTINCT FROM (NEW."prescription_exemption") OR OLD."red_flags" IS DISTINCT FROM (NEW."red_flags") OR OLD."referrals" IS DISTINCT FROM (NEW."referrals") OR OLD."responsible_clinician" IS DISTINCT FROM (NEW."responsible_clinician") OR OLD."sent_at" IS DISTINCT FROM (NEW."sent_at") OR OLD."side_effects_text" IS DISTINCT FROM (NEW."side_effects_text") OR OLD."signed_off_at" IS DISTINCT FROM (NEW."signed_off_at") OR OLD."signed_off_by_id" IS DISTINCT FROM (NEW."signed_off_by_id") OR OLD."signed_off_role" IS DISTINCT FROM (NEW."signed_off_role") OR OLD."staging_comments" IS DISTINCT FROM (NEW."staging_comments") OR OLD."status" IS DISTINCT FROM (NEW."status") OR OLD."summary_id" IS DISTINCT FROM (NEW."summary_id") OR OLD."supportive_care_register" IS DISTINCT FROM (NEW."supportive_care_register") OR OLD."surveillance_plan" IS DISTINCT FROM (NEW."surveillance_plan") OR OLD."t_stage" IS DISTINCT FROM (NEW."t_stage") OR OLD."treatment_aim" IS DISTINCT FROM (NEW."treatment_aim") OR OLD."updated_at" IS DISTINCT FROM (NEW."updated_at"))', func='INSERT INTO "treatment_summaries_summaryversionevent" ("amendment_reason", "benefits_form", "benefits_form_date", "carer_contact", "cns_name", "contacts_in_hours", "contacts_out_of_hours", "created_at", "date_of_diagnosis", "diagnosis_text", "follow_up_pathway", "id", "information_given", "lock_version", "m_stage", "n_stage", "new_medication", "number", "ongoing_management", "patient_has_copy", "pdf_sha256", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "prescription_exemption", "red_flags", "referrals", "responsible_clinician", "sent_at", "side_effects_text", "signed_off_at", "signed_off_by_id", "signed_off_role", "staging_comments", "status", "summary_id", "supportive_care_register", "surveillance_plan", "t_stage", "treatment_aim", "updated_at") VALUES (NEW."amendment_reason", NEW."benefits_form", NEW."benefits_form_date", NEW."carer_contact", NEW."cns_name", NEW."contacts_in_hours", NEW."contacts_out_of_hours", NEW."created_at", NEW."date_of_diagnosis", NEW."diagnosis_text", NEW."follow_up_pathway", NEW."id", NEW."information_given", NEW."lock_version", NEW."m_stage", NEW."n_stage", NEW."new_medication", NEW."number", NEW."ongoing_management", NEW."patient_has_copy", NEW."pdf_sha256", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."prescription_exemption", NEW."red_flags", NEW."referrals", NEW."responsible_clinician", NEW."sent_at", NEW."side_effects_text", NEW."signed_off_at", NEW."signed_off_by_id", NEW."signed_off_role", NEW."staging_comments", NEW."status", NEW."summary_id", NEW."supportive_care_register", NEW."surveillance_plan", NEW."t_stage", NEW."treatment_aim", NEW."updated_at"); RETURN NULL;', hash='90817a1b804e0a37f610c40563a05042e4e9372c', operation='UPDATE', pgid='pgtrigger_update_update_3b19a', table='treatment_summaries_summaryversion', when='AFTER')),
        ),
        migrations.RunSQL(_0007._function(FROZEN + ["surveillance_plan"]), _0007._function(FROZEN)),
    ]
