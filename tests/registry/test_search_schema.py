"""SQLite storage choices the import's speed rests on (`bench/registry_import.py` measures them):
8 KiB pages for a new database, and one prefix index (2 letters) on the search table, with the
migration that rebuilds a table created with the former three."""

import pytest
from django.db import connection

from cqphub.registry.search import search_certifications, sqlite_fts
from cqphub.registry.search.index import forget_answers
from tests.factories.registry import cqp_registry  # noqa: F401

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's storage; PostgreSQL has its own"),
]

FORMER_SCHEMA = sqlite_fts.SCHEMA[2].replace("prefix = '2'", "prefix = '2 3 4'")


def _table_sql(cursor) -> str:
    cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [sqlite_fts.FTS_TABLE])
    return cursor.fetchone()[0]


def test_a_new_database_has_8_kib_pages():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_size")
        assert cursor.fetchone()[0] == 8192
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] in {"wal", "memory"}  # an in-memory test database has no WAL


def test_the_search_table_has_one_prefix_index_of_two_letters():
    with connection.cursor() as cursor:
        assert "prefix = '2')" in _table_sql(cursor)
        assert sqlite_fts.rebuild_with_schema(cursor) is False  # nothing to do on a current table


@pytest.mark.shared
def test_a_table_with_the_former_prefix_indexes_is_rebuilt_with_its_documents(cqp_registry):  # noqa: F811
    queries = ["soud", "so", "électr", "agent de", "maintenance"]
    before = {q: [h.code for h in search_certifications(q, page_size=50).hits] for q in queries}
    assert all(before.values())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {sqlite_fts.FTS_TABLE}")
        documents = cursor.fetchone()[0]
        # the table as migration 0002 created it before: three prefix indexes, the same documents
        cursor.execute(f"ALTER TABLE {sqlite_fts.FTS_TABLE} RENAME TO former")
        cursor.execute(FORMER_SCHEMA.replace("IF NOT EXISTS ", ""))
        cursor.execute(f"INSERT INTO {sqlite_fts.FTS_TABLE} (rowid, code, title, abbreviation, blocks, rest) "
                       "SELECT rowid, code, title, abbreviation, blocks, rest FROM former")  # fmt: skip
        cursor.execute("DROP TABLE former")
        assert "prefix = '2 3 4'" in _table_sql(cursor)

        assert sqlite_fts.rebuild_with_schema(cursor) is True

        assert "prefix = '2')" in _table_sql(cursor)
        cursor.execute(f"SELECT COUNT(*) FROM {sqlite_fts.FTS_TABLE}")
        assert cursor.fetchone()[0] == documents
        cursor.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE %s", [f"{sqlite_fts.FTS_TABLE}_old%"]
        )
        assert cursor.fetchone()[0] == 0
    forget_answers()  # asked again, the queries reach the rebuilt table
    after = {q: [h.code for h in search_certifications(q, page_size=50).hits] for q in queries}
    assert after == before
