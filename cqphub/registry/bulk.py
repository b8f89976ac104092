"""Fast bulk writes behind one small interface: `executemany` on SQLite, `COPY` on PostgreSQL.

Django's `bulk_create` costs about 7× more per row on SQLite (DESIGN.md §4); a whole-registry
import writes some 600,000 child rows, so the import goes through here instead. On PostgreSQL a
process with no connection can also format rows for COPY (`copy_text`, or `binary_fields` for COPY's
binary format) for another to send (`copy_text_in`, `copy_binary_in`): the import's parsing process does.
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


# COPY's binary format (PostgreSQL's documentation, "COPY", "Binary Format"): a header, then each row
# as a 16-bit field count and its fields (a 32-bit length, -1 for NULL, then the value), then a trailer.
COPY_BINARY_HEADER = (
    b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
)  # signature, flags, no extension
COPY_BINARY_TRAILER = b"\xff\xff"
JSONB_OID = 3802


def binary_fields(values: Sequence, oids: tuple[int, ...]) -> bytes:
    """`values` in COPY's binary format for columns of these PostgreSQL types (oids), without the row's
    field count: a caller joins several such parts into one row (`binary_row`).

    Binary, because a fiche's long texts and its raw bytes then cost the server a length each instead
    of an escaped text to scan (and the raw fiche no hexadecimal). The formatting is psycopg's own
    (`format_row_binary`, the one `Copy.write_row` uses, reached like `copy_text`'s), its dumpers chosen
    by oid as `Copy.set_types` chooses them; a jsonb column takes JSON already encoded (a `str`)."""
    out = bytearray()
    _binary_formatter(oids)(values, out=out)
    del out[:2]  # the field count (`binary_row` writes the row's); in place, not a slice's extra copy
    return bytes(out)


@cache
def _binary_formatter(oids: tuple[int, ...]):
    from psycopg import adapters
    from psycopg._copy_base import format_row_binary
    from psycopg.adapt import AdaptersMap, Dumper, Transformer
    from psycopg.pq import Format

    class EncodedJsonb(Dumper):
        """JSON text already encoded, as jsonb's binary input takes it: format version 1, the text."""

        format = Format.BINARY
        oid = JSONB_OID

        def dump(self, obj: str) -> bytes:
            return b"\x01" + obj.encode()

    local = AdaptersMap(adapters)
    local.register_dumper(None, EncodedJsonb)  # by oid only: other columns keep psycopg's dumpers
    transformer = Transformer(local)
    transformer.set_dumper_types(list(oids), Format.BINARY)
    return partial(format_row_binary, tx=transformer)


def binary_row(field_count: int, *parts: bytes) -> bytes:
    """One row of COPY's binary format from `binary_fields` parts that hold `field_count` fields in all."""
    return field_count.to_bytes(2, "big") + b"".join(parts)


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

    def copy_text_in(self, table: str, columns: Sequence[str], data: bytes | bytearray) -> None:
        """PostgreSQL: rows already in COPY text format (`copy_text`) into `table`."""
        if data:
            self._copy_in(table, columns, "", data)

    def copy_binary_in(self, table: str, columns: Sequence[str], rows: bytes | bytearray) -> None:
        """PostgreSQL: rows in COPY's binary format (`binary_row`), without header or trailer, into `table`."""
        if rows:
            self._copy_in(table, columns, " (FORMAT binary)", COPY_BINARY_HEADER, rows, COPY_BINARY_TRAILER)

    def _copy_in(self, table: str, columns: Sequence[str], options: str, *data: bytes | bytearray) -> None:
        cols = ", ".join(self.quote(c) for c in columns)
        with (
            self.connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {self.quote(table)} ({cols}) FROM STDIN{options}") as copy,
        ):
            for part in data:
                copy.write(part)

    def column_types(self, table: str) -> dict[str, int]:
        """PostgreSQL: each column's type oid, as the server has it (for `binary_fields`)."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT attname, atttypid::int FROM pg_attribute"
                " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                [self.quote(table)],
            )
            return dict(cursor.fetchall())

    def copy_through_temporary(
        self, name: str, definition: str, columns: Sequence[str], data: bytes | bytearray, statement: str,
        *, binary: bool = False,
    ) -> None:  # fmt: skip
        """PostgreSQL: `data` (COPY text, or binary rows with `binary`) into this session's temporary
        table `name`, created as `definition` when missing and emptied before and after, then
        `statement`, which reads it: one set-based statement for a whole batch instead of one per row.
        Not `ON COMMIT DROP`: a caller in autocommit mode would lose the table between statements."""
        if not data:
            return
        with self.connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} {definition}")
            cursor.execute(f"TRUNCATE {name}")
            (self.copy_binary_in if binary else self.copy_text_in)(name, columns, data)
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
