"""Load the DEMO value set (made up, not for reporting) so the demo can score the health profile."""

from django.db import migrations


def load(apps, schema_editor):
    from qol_survey.demo_value_set import ensure_loaded

    ensure_loaded(apps)


class Migration(migrations.Migration):
    dependencies = [("qol_survey", "0002_demo_instruments")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
