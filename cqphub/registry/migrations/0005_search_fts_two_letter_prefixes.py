"""SQLite: the search table keeps one prefix index (2 letters) instead of three (2, 3 and 4).

An import of the full registry tokenized and wrote about twice as much for indexes the search did not
need (`sqlite_fts` says why). The live table is rebuilt with its documents, no re-import needed.
PostgreSQL: nothing to do (prefixes are served by its GIN index)."""

from django.db import migrations


def rebuild(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from cqphub.registry.search.sqlite_fts import rebuild_with_schema

        with schema_editor.connection.cursor() as cursor:
            rebuild_with_schema(cursor)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_provenance_and_published_facts"),
    ]

    operations = [
        # the rebuilt table works with the code before this migration too: nothing to undo
        migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=False),
    ]
