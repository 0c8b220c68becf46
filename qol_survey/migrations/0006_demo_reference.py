"""Load the DEMO reference values (made up, not for reporting) so the report and dashboard compare."""

from django.db import migrations


def load(apps, schema_editor):
    from qol_survey.demo_reference import ensure_loaded

    ensure_loaded(apps)


class Migration(migrations.Migration):
    dependencies = [("qol_survey", "0005_reference_values")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
