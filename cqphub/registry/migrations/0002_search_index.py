"""The search index: an FTS5 table on SQLite, a tsvector + GIN index on PostgreSQL (with `unaccent`
and `pg_trgm`). Raw SQL chosen by the connection's vendor; no model state changes.
After migrating a database that already holds fiches, run `cqphub registry reindex` once."""

from django.db import migrations


def create(apps, schema_editor):
    from cqphub.registry.search.index import create_schema

    create_schema(schema_editor)


def drop(apps, schema_editor):
    from cqphub.registry.search.index import drop_schema

    drop_schema(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
