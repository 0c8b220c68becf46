from django.db import migrations


def load(apps, schema_editor):
    from treatment_summaries.side_effects_v1 import load as load_v1

    load_v1(apps.get_model("treatment_summaries", "SideEffectOption"))


class Migration(migrations.Migration):
    dependencies = [("treatment_summaries", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
