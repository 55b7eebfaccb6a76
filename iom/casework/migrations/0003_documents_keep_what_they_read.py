"""A kept document says which restricted kinds of record it was worked out from
(docs/adr/0009). IOM Matrix sheets kept before this change may hold police
intelligence: they are marked so, and open only for readers with intelligence sight."""

from django.db import migrations, models


def mark_old_matrix_sheets(apps, schema_editor):
    documents = apps.get_model("casework", "GeneratedDocument")
    documents.objects.filter(kind="matrix_sheet").update(reads_intelligence=True)


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0002_plan_closure"),
    ]

    operations = [
        migrations.AddField(
            model_name="generateddocument",
            name="reads_intelligence",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="generateddocument",
            name="reads_public_protection",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_old_matrix_sheets, migrations.RunPython.noop),
    ]
