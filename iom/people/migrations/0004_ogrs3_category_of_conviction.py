"""A conviction's exact OGRS 3 offence category, with who gave it and when (ADR 0015).

On SQLite, Django adds a column with a default by building the table afresh, which
drops the selection-facts triggers on it (ADR 0006), so the last step puts back every
watched table's triggers, as cohorts 0006 does. PostgreSQL keeps them.
"""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    first = importlib.import_module("iom.cohorts.migrations.0004_facts_snapshot")
    for statement in [*first._sqlite_backward(), *first._sqlite_forward()]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0003_routes_sentence_length_and_tag_condition'),
        # The triggers this puts back are the cohorts app's (0004, restored in 0006).
        ('cohorts', '0006_routes_facts_triggers_again'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='offendingevent',
            name='ogrs3_category',
            field=models.CharField(blank=True, db_default='', default='', max_length=40, verbose_name='OGRS 3 offence category'),
        ),
        migrations.AddField(
            model_name='offendingevent',
            name='ogrs3_category_set_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='offendingevent',
            name='ogrs3_category_set_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='offendingevent',
            name='ogrs3_category_source',
            field=models.CharField(blank=True, choices=[('feed', 'Police National Computer feed'), ('user', 'Chosen by a user')], db_default='', default='', max_length=8),
        ),
        migrations.RunPython(_triggers_again, migrations.RunPython.noop),
    ]
