"""The long display texts become `CompressedTextField`s: a fiche's activities, capacities, sectors, jobs
and objectives, and a block's skills and assessment.

SQLite: the rows already there are compressed here (their columns keep their declared `text` type, so
no table is rebuilt); undoing it decompresses them. PostgreSQL: nothing changes in the database.
"""

from django.db import migrations

import cqphub.registry.fields

COLUMNS = {
    "registry_certification": ("activities", "capacities", "sectors", "jobs", "objectives"),
    "registry_block": ("skills", "assessment"),
}
MODELS = {"registry_certification": "certification", "registry_block": "block"}
CHUNK = 1000


def _convert(schema_editor, convert, wanted: type) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, columns in COLUMNS.items():
            listed = ", ".join(columns)
            sets = ", ".join(f"{c} = %s" for c in columns)
            last = 0
            while True:
                cursor.execute(
                    f"SELECT id, {listed} FROM {table} WHERE id > %s ORDER BY id LIMIT {CHUNK}",  # noqa: S608
                    [last],
                )
                rows = cursor.fetchall()
                if not rows:
                    break
                last = rows[-1][0]
                changed = [
                    [*(convert(v) if isinstance(v, wanted) else v for v in values), pk]
                    for pk, *values in rows
                    if any(isinstance(v, wanted) and v for v in values)
                ]
                if changed:
                    cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", changed)  # noqa: S608


def compress(apps, schema_editor):
    from cqphub.registry.compression import compress_text

    _convert(schema_editor, compress_text, str)


def decompress(apps, schema_editor):
    from cqphub.registry.compression import decompress_text

    _convert(schema_editor, decompress_text, bytes)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_search_fts_two_letter_prefixes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name=MODELS[table],
                    name=name,
                    field=cqphub.registry.fields.CompressedTextField(blank=True),
                )
                for table, columns in COLUMNS.items()
                for name in columns
            ],
            database_operations=[migrations.RunPython(compress, decompress, elidable=False)],
        ),
    ]
