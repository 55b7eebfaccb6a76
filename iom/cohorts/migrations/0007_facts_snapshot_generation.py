"""Each kept facts snapshot gets a generation, new on every build and every kept patch,
so what is evaluated from a snapshot is tied to exactly that content
(iom/cohorts/candidates/snapshot.py; docs/adr/0020)."""

import uuid

from django.db import migrations, models


def _one_each(apps, schema_editor):
    """Adding the column gives every existing row the same value: give each its own."""
    snapshots = apps.get_model("cohorts", "FactsSnapshot")
    for pk in snapshots.objects.values_list("pk", flat=True):
        snapshots.objects.filter(pk=pk).update(generation=uuid.uuid4())


class Migration(migrations.Migration):

    dependencies = [
        ('cohorts', '0006_routes_facts_triggers_again'),
    ]

    operations = [
        migrations.AddField(
            model_name='factssnapshot',
            name='generation',
            field=models.UUIDField(default=uuid.uuid4, help_text='New on every build and every kept patch: what was evaluated from it is kept only while this is the same (candidates/snapshot.py).'),
        ),
        migrations.RunPython(_one_each, migrations.RunPython.noop),
    ]
