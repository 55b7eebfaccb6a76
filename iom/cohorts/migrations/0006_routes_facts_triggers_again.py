"""The prevent and deter strand (004 1.8), and the selection-facts triggers again,
on SQLite, after people 0003.

On SQLite, Django adds a column with a default (people 0003's licence tag
condition) by building the table afresh, which drops the table's triggers, so
writes to orders would no longer mark whose facts changed (ADR 0006). This puts
back every watched table's triggers (dropping any left first), so it holds
whichever migrations rebuilt which table. PostgreSQL keeps triggers when a
column is added: nothing to do there.
"""

import importlib

from django.db import migrations, models

_first = importlib.import_module("iom.cohorts.migrations.0004_facts_snapshot")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in [*_first._sqlite_backward(), *_first._sqlite_forward()]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("cohorts", "0005_lifecycle_team_and_prison_hub"),
        ("people", "0003_routes_sentence_length_and_tag_condition"),
    ]

    operations = [
        migrations.AlterField(
            model_name="cohortmembership",
            name="strand",
            field=models.CharField(
                choices=[("standard", "Rehabilitate and resettle"),
                         ("deter_young_offender", "Deter Young Offender (10 to 17)"),
                         ("catch_and_control", "Catch and control"),
                         ("prevent_and_deter", "Prevent and deter")],
                default="standard", max_length=24),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
