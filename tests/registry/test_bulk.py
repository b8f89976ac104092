"""`bulk.copy_text`: rows formatted for PostgreSQL's COPY by a process with no connection (the import's
parsing process), then sent as they are. The server must read back exactly the values formatted."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connection

from cqphub.registry.bulk import BulkWriter, copy_text, with_leading_id

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
