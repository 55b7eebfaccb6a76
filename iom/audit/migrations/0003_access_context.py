"""Who acted through what: the API token, its issuer and the request id.

Every column is nullable without a default, so that each is a plain ADD COLUMN:
SQLite would otherwise rebuild the table and lose the append-only triggers.
Entries from before keep nulls, which the entry hash leaves out.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_chains_and_append_only'),
    ]

    operations = [
        migrations.AddField(
            model_name='accesslogentry',
            name='request_id',
            field=models.CharField(max_length=32, null=True),
        ),
        migrations.AddField(
            model_name='accesslogentry',
            name='token_id',
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name='accesslogentry',
            name='token_issued_by',
            field=models.CharField(max_length=150, null=True),
        ),
        migrations.AddField(
            model_name='accesslogentry',
            name='token_issued_by_id',
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name='accesslogentry',
            name='token_name',
            field=models.CharField(max_length=120, null=True),
        ),
    ]
