"""Load the default breast, colorectal and prostate protocols (followup/default_protocols.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from followup.default_protocols import ensure_loaded

    ensure_loaded(apps)


class Migration(migrations.Migration):
    dependencies = [("followup", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
