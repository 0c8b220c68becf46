"""Load checklist version 1 (hna/checklist_v1.py), published."""

from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from hna.checklist_v1 import load as load_v1

    load_v1(
        apps.get_model("hna", "ChecklistVersion"),
        apps.get_model("hna", "ConcernCategory"),
        apps.get_model("hna", "ConcernItem"),
        timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [("hna", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
