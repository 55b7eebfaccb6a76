"""Service accounts, and who issued each API token.

A token acts only as a service account or as the person who issued it
(ApiToken.acts_lawfully). Tokens issued before this migration have no recorded
issuer, so those acting as a person stop working: the person issues their own
from their account page, or the calling system gets a service account.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='apitoken',
            name='issued_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='issued_api_tokens', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='user',
            name='is_service_account',
            field=models.BooleanField(default=False, help_text='An account for another system, not a person: the only kind of account an administrator may issue API tokens to.'),
        ),
    ]
