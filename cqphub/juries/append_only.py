"""Database-level refusal of UPDATE and DELETE on append-only tables (triggers).

The model and queryset refuse them too (`models.Decision`); the triggers stop every other path:
raw SQL, `QuerySet._raw_delete`, another program on the same database. A database owner with DDL
rights can always drop a trigger; `suspended()` does so, in one transaction, for maintenance and for
tests that must empty the tables (it re-creates them before leaving). PostgreSQL's TRUNCATE fires
no row trigger: it is left to privileges (the application role needs no TRUNCATE right).
"""

from __future__ import annotations

from contextlib import contextmanager

TABLES = ("juries_decision",)

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION cqphub_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = TG_TABLE_NAME || ' is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def create_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            _PG_FUNCTION,
            f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
            "FOR EACH ROW EXECUTE FUNCTION cqphub_append_only();",
        ]
    if vendor == "sqlite":
        return [
            f'CREATE TRIGGER "{table}_no_update" BEFORE UPDATE ON "{table}" '
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END;",
            f'CREATE TRIGGER "{table}_no_delete" BEFORE DELETE ON "{table}" '
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END;",
        ]
    return []


def drop_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}";']
    if vendor == "sqlite":
        return [
            f'DROP TRIGGER IF EXISTS "{table}_no_update";',
            f'DROP TRIGGER IF EXISTS "{table}_no_delete";',
        ]
    return []


def install(schema_editor, tables=TABLES) -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        for statement in create_sql(vendor, table):
            schema_editor.execute(statement)


def uninstall(schema_editor, tables=TABLES) -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        for statement in drop_sql(vendor, table):
            schema_editor.execute(statement)


@contextmanager
def suspended(connection, tables=TABLES):
    """Drop the triggers, run the block, re-create them — all in one transaction."""
    from django.db import transaction

    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for table in tables:
            for statement in drop_sql(connection.vendor, table):
                cursor.execute(statement)
        yield
        for table in tables:
            for statement in create_sql(connection.vendor, table):
                cursor.execute(statement)
