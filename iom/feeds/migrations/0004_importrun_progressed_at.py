"""When each run last moved on, so a run whose importer was stopped can be ended."""

from typing import Any

import django.utils.timezone
from django.db import migrations, models
from django.db.models.functions import Coalesce


def from_known_times(apps: Any, schema_editor: Any) -> None:
    """Existing runs last moved on when they ended, or else when they started."""
    ImportRun = apps.get_model("feeds", "ImportRun")
    ImportRun.objects.update(progressed_at=Coalesce("finished_at", "created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('feeds', '0003_progress_and_file_removal'),
    ]

    operations = [
        migrations.AddField(
            model_name='importrun',
            name='progressed_at',
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.RunPython(from_known_times, migrations.RunPython.noop),
    ]
