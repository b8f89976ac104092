"""PostgreSQL: the search vectors move to a narrow table of their own (`registry_search_fts`), apart from
the snapshot's data and the snippets' sources; a match then reads far fewer pages. Existing vectors are
moved, no reindex needed. SQLite: nothing to do (its FTS5 table already is apart)."""

from django.db import migrations


def split(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from cqphub.registry.search.postgres_fts import SPLIT

        for statement in SPLIT:
            schema_editor.execute(statement)


def unsplit(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from cqphub.registry.search.postgres_fts import UNSPLIT

        for statement in UNSPLIT:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_search_index"),
    ]

    operations = [
        migrations.RunPython(split, unsplit, elidable=False),
    ]
