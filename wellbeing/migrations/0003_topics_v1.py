"""Load the first topics (wellbeing/topics_v1.py): data a service admin edits afterwards."""

from django.db import migrations


def load(apps, schema_editor):
    from wellbeing.topics_v1 import load as load_v1

    load_v1(apps.get_model("wellbeing", "Topic"))


class Migration(migrations.Migration):
    dependencies = [("wellbeing", "0002_library_and_directory")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
