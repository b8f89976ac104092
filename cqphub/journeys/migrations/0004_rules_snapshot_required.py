"""Second step of 0003, in its own transaction (PostgreSQL refuses ALTER TABLE with pending FK checks)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("journeys", "0003_rules_snapshot")]

    operations = [
        migrations.RemoveField(model_name="candidacy", name="findings"),
        migrations.AlterField(
            model_name="candidacy",
            name="rules_snapshot",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="journeys.rulessnapshot",
                verbose_name="constats du moteur de règles",
            ),
        ),
    ]
