# Each event records the signed-in user beside the operator, and the id of the chain key
# that sealed its hash. Events written before keep an empty seal_key: `tracelot verify`
# names them as not sealed (they were hashed without a key).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0005_send_back_recall"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="user",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="signed-in user",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="seal_key",
            field=models.CharField(default="", max_length=16, verbose_name="sealed with key"),
            preserve_default=False,
        ),
    ]
