"""Load the two instruments with demo wording in our own words (qol_survey/demo_instruments.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from qol_survey.demo_instruments import ensure_loaded

    ensure_loaded(apps)


class Migration(migrations.Migration):
    dependencies = [("qol_survey", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
