"""No index on the ledger's run columns.

No query looks ledger records up by the run that first wrote, last wrote or
withdrew them (a run's page reads the counts stored on the run, and runs are
never deleted), while each of the three indexes cost every imported record one
more entry written: at a million records a file, seconds of the first import.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('feeds', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='feedrecord',
            name='first_run',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='feeds.importrun'),
        ),
        migrations.AlterField(
            model_name='feedrecord',
            name='last_run',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='feeds.importrun'),
        ),
        migrations.AlterField(
            model_name='feedrecord',
            name='withdrawn_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='feeds.importrun'),
        ),
    ]
