"""Load checklist version 1 (hna/checklist_v1.py), published."""

from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from hna.checklist_v1 import CHECKLIST_V1

    Version = apps.get_model("hna", "ChecklistVersion")
    Category = apps.get_model("hna", "ConcernCategory")
    Item = apps.get_model("hna", "ConcernItem")
    if Version.objects.filter(number=1).exists():
        return
    version = Version.objects.create(number=1, name="Concerns checklist", status="published", published_at=timezone.now())
    for c_pos, (c_code, c_name, items) in enumerate(CHECKLIST_V1):
        category = Category.objects.create(version=version, code=c_code, name=c_name, position=c_pos)
        Item.objects.bulk_create(
            Item(category=category, code=f"{c_code}-{code}", text=text, position=pos)
            for pos, (code, text) in enumerate(items)
        )


class Migration(migrations.Migration):
    dependencies = [("hna", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
