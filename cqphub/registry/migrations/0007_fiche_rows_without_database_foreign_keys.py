"""A fiche's published lists keep their link to it but lose the database foreign key (see `FICHE_ROW`
in `registry/models.py`), and on PostgreSQL the raw fiche, already zlib-compressed by the importer, is
stored without TOAST trying to compress it again (`STORAGE EXTERNAL`).
"""

import django.db.models.deletion
from django.db import migrations, models


def _raw_storage(storage: str):
    def alter(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE registry_certification ALTER COLUMN raw SET STORAGE {storage}")

    return alter


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0006_compressed_long_texts'),
    ]

    operations = [
        migrations.AlterField(
            model_name='block',
            name='certification',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='blocks', to='registry.certification'),
        ),
        migrations.AlterField(
            model_name='certifier',
            name='certification',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='certifiers', to='registry.certification'),
        ),
        migrations.AlterField(
            model_name='classification',
            name='certification',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='classifications', to='registry.certification'),
        ),
        migrations.AlterField(
            model_name='continuitylink',
            name='certification',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='continuity_links', to='registry.certification'),
        ),
        migrations.AlterField(
            model_name='partner',
            name='certification',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='partners', to='registry.certification'),
        ),
        migrations.RunPython(_raw_storage("EXTERNAL"), _raw_storage("EXTENDED")),
    ]
