"""Closing the loop and the dashboard (ADRs 0038, 0039): thresholds (with local defaults), offers of an
HNA, and deprivation by postcode (with a DEMO table for the demo postcodes)."""

import django.db.models.deletion
import uuid
from django.db import migrations, models


def load(apps, schema_editor):
    from qol_survey import default_thresholds, demo_deprivation

    default_thresholds.ensure_loaded(apps)
    demo_deprivation.ensure_loaded(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('qol_survey', '0006_demo_reference'),
        ('worklist', '0005_qol_offer_hna_kind'),
    ]

    operations = [
        migrations.CreateModel(
            name='HnaOffer',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('triggers', models.JSONField(default=list)),
                ('channel', models.CharField(max_length=10)),
                ('response', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='hna_offer', to='qol_survey.response')),
                ('work_item', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='worklist.workitem')),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='PostcodeDeprivation',
            fields=[
                ('postcode', models.CharField(max_length=8, primary_key=True, serialize=False)),
                ('decile', models.PositiveSmallIntegerField()),
                ('is_demo', models.BooleanField(default=False)),
            ],
            options={
                'ordering': ['postcode'],
                'constraints': [models.CheckConstraint(condition=models.Q(('decile__gte', 1), ('decile__lte', 10)), name='qol_decile_1_to_10')],
            },
        ),
        migrations.CreateModel(
            name='Threshold',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('instrument', models.CharField(max_length=40)),
                ('measure', models.CharField(max_length=20)),
                ('direction', models.CharField(choices=[('below', 'below'), ('at_least', 'at or above')], max_length=10)),
                ('value', models.DecimalField(decimal_places=4, max_digits=9)),
                ('label', models.CharField(max_length=120)),
                ('active', models.BooleanField(default=True)),
            ],
            options={
                'ordering': ['instrument', 'measure'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('active', True)), fields=('instrument', 'measure', 'direction'), name='qol_threshold_once')],
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
