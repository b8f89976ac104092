"""Fast bulk writes behind one small interface: `executemany` on SQLite, `COPY` on PostgreSQL.

Django's `bulk_create` costs about 7× more per row on SQLite (DESIGN.md §4); a whole-registry
import writes some 600,000 child rows, so the import goes through here instead. On PostgreSQL a
process with no connection can also format rows for COPY (`copy_text`) for another to send
(`copy_text_in`): the import's parsing process does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache, partial

from django.db import connection


@cache
def _row_formatter():
    """psycopg's own COPY row formatter (its C implementation when installed), the one `Copy.write_row`
    uses, with the default adapters (no connection: a parsing process has none). `psycopg.copy` does
    not re-export it, so it is reached here, in one place; `tests/registry/test_bulk.py` holds it to
    what the server reads back. Imported on first use: a SQLite site never loads psycopg."""
    from psycopg._copy_base import format_row_text
    from psycopg.adapt import Transformer

    return partial(format_row_text, tx=Transformer())


def copy_text(rows: Iterable[Sequence]) -> bytes:
    """Rows in PostgreSQL's COPY text format (tab-separated, escaped, one line each), as `insert` sends
    them: a process without a connection prepares them, and `copy_text_in` sends them as they are."""
    out, format_row = bytearray(), _row_formatter()
    for row in rows:
        format_row(row, out=out)
    return bytes(out)


def with_leading_id(pk: int, text: bytes) -> bytes:
    """`copy_text` rows given a first column, `pk` (a fiche's rows are formatted before it has an id)."""
    if not text:
        return b""
    head = b"%d\t" % pk
    return head + text[:-1].replace(b"\n", b"\n" + head) + b"\n"  # a value's newline is escaped: `\n`


class BulkWriter:
    def __init__(self, using_connection=None):
        self.connection = using_connection or connection
        self.vendor = self.connection.vendor
        self.quote = self.connection.ops.quote_name

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
        rows = rows if isinstance(rows, list) else list(rows)
        if not rows:
            return 0
        cols = ", ".join(self.quote(c) for c in columns)
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
                with raw.copy(f"COPY {self.quote(table)} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {self.quote(table)} ({cols}) VALUES ({marks})", rows)
        return len(rows)

    def copy_text_in(self, table: str, columns: Sequence[str], data: bytes) -> None:
        """PostgreSQL: rows already in COPY text format (`copy_text`) into `table`."""
        if not data:
            return
        cols = ", ".join(self.quote(c) for c in columns)
        with (
            self.connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {self.quote(table)} ({cols}) FROM STDIN") as copy,
        ):
            copy.write(data)

    def copy_through_temporary(
        self, name: str, definition: str, columns: Sequence[str], data: bytes, statement: str
    ) -> None:
        """PostgreSQL: `data` (COPY text) into this session's temporary table `name`, created as
        `definition` when missing and emptied before and after, then `statement`, which reads it: one
        set-based statement for a whole batch instead of one per row. Not `ON COMMIT DROP`: a caller
        in autocommit mode would lose the table between statements."""
        if not data:
            return
        with self.connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} {definition}")
            cursor.execute(f"TRUNCATE {name}")
            self.copy_text_in(name, columns, data)
            cursor.execute(statement)
            cursor.execute(f"TRUNCATE {name}")

    def delete_where_in(self, table: str, column: str, values: Sequence, chunk: int = 900) -> None:
        with self.connection.cursor() as cursor:
            for start in range(0, len(values), chunk):
                part = values[start : start + chunk]
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(
                    f"DELETE FROM {self.quote(table)} WHERE {self.quote(column)} IN ({marks})", part
                )

    def next_id(self, table: str) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.quote(table)}")
            return cursor.fetchone()[0] + 1

    def lock_for_import(self, table: str) -> None:
        """One import at a time: ids are allocated by the importer, so writers must not interleave.

        SQLite already holds the database write lock for the whole transaction (IMMEDIATE mode).
        """
        if self.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {self.quote(table)} IN SHARE ROW EXCLUSIVE MODE")

    def reset_sequence(self, table: str) -> None:
        if self.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST(COALESCE(MAX(id), 0), 1)) "
                    f"FROM {self.quote(table)}",
                    [table],
                )
