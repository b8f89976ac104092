"""`bulk.copy_text` and `bulk.binary_fields`: rows formatted for PostgreSQL's COPY (text and binary
formats) by a process with no connection (the import's parsing process), then sent as they are. The
server must read back exactly the values formatted."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connection

from cqphub.registry.bulk import BulkWriter, binary_fields, binary_row, copy_text, with_leading_id

pytestmark = pytest.mark.django_db
ROWS = [
    (
        "Tab\there, new line\nthere, carriage\rreturn, back\\slash, and \\N as text",
        "Électricien·ne — cœur d’œuvre 😀",
        7,
        True,
        date(2026, 11, 30),
        json.dumps({"vae": "jury\tcomposé", "liste": [1, 2]}, ensure_ascii=False),
    ),
    ("", "", 0, False, None, "[]"),
    (None, "seule", None, None, None, "{}"),
]


def test_copy_text_is_one_escaped_line_per_row():
    text = copy_text(ROWS)
    assert text.count(b"\n") == 3 and text.endswith(b"\n")
    first = text.split(b"\n")[0].split(b"\t")
    assert first[0] == rb"Tab\there, new line\nthere, carriage\rreturn, back\\slash, and \\N as text"
    assert first[3:5] == [b"t", b"2026-11-30"]
    assert text.split(b"\n")[2].split(b"\t")[0] == rb"\N"  # None
    assert copy_text([]) == b""


def test_with_leading_id_gives_every_row_its_id():
    text = copy_text(ROWS)
    prefixed = with_leading_id(42, text)
    lines = prefixed.split(b"\n")[:-1]
    assert len(lines) == 3 and all(line.startswith(b"42\t") for line in lines)
    assert [line[3:] for line in lines] == text.split(b"\n")[:-1]
    assert with_leading_id(42, b"") == b""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's (SQLite inserts rows)")
def test_postgresql_reads_back_exactly_the_values_formatted():
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE copy_round_trip (id bigint, a text, b text, n integer, flag boolean, "
            "day date, facts jsonb)"
        )
        BulkWriter(connection).copy_text_in(
            "copy_round_trip",
            ["id", "a", "b", "n", "flag", "day", "facts"],
            with_leading_id(5, copy_text(ROWS)),
        )
        cursor.execute(
            "SELECT a, b, n, flag, day, facts FROM copy_round_trip WHERE id = 5 ORDER BY n NULLS LAST, a"
        )
        read = [(*row[:5], json.loads(row[5])) for row in cursor.fetchall()]  # Django reads jsonb as text
    expected = [(*row[:5], json.loads(row[5])) for row in ROWS]
    assert sorted(read, key=repr) == sorted(expected, key=repr)


def test_binary_fields_are_the_values_without_the_field_count():
    oids = (25, 23, 16)  # text, integer, boolean
    assert binary_fields(("é", 7, None), oids) == (
        b"\x00\x00\x00\x02" + "é".encode() + b"\x00\x00\x00\x04\x00\x00\x00\x07" + b"\xff\xff\xff\xff"
    )
    assert binary_row(3, binary_fields(("é",), (25,)), binary_fields((7, None), (23, 16))) == (
        b"\x00\x03" + binary_fields(("é", 7, None), oids)
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's (SQLite inserts rows)")
def test_postgresql_reads_back_exactly_the_binary_values_formatted():
    """Each type the certification row has, by the oids the server gives (`column_types`): the import
    formats its head, the fiche and the raw fiche apart and joins them into one row."""
    columns = ["id", "code", "a", "b", "level", "n", "flag", "day", "facts", "raw", "gone"]
    rows = [
        (5, "RNCP1", *ROWS[0][:2], 3, 7, True, date(2026, 11, 30), ROWS[0][5], b"\x00\xffraw\n\\"),
        (6, "RS2", "", None, None, 0, False, None, "[]", b""),
        (7, "", None, "seule", 32767, None, None, None, "{}", None),
    ]
    bulk = BulkWriter(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE binary_round_trip (id bigint, code varchar(40), a text, b text, level smallint,"
            " n integer, flag boolean, day date, facts jsonb, raw bytea, gone timestamptz)"
        )
        types = bulk.column_types("binary_round_trip")
        head = tuple(types[c] for c in ("id", "code"))
        fiche = tuple(types[c] for c in ("a", "b", "level", "n", "flag", "day", "facts"))
        data = b"".join(
            binary_row(
                len(columns),
                binary_fields(row[:2], head),
                binary_fields(row[2:9], fiche),
                binary_fields((row[9], None), (types["raw"], types["gone"])),
            )
            for row in rows
        )
        bulk.copy_binary_in("binary_round_trip", columns, data)
        cursor.execute(f"SELECT {', '.join(columns)} FROM binary_round_trip ORDER BY id")  # noqa: S608
        read = [
            (*row[:8], json.loads(row[8]), None if row[9] is None else bytes(row[9]), row[10])
            for row in cursor.fetchall()
        ]
    assert read == [(*row[:8], json.loads(row[8]), row[9], None) for row in rows]
