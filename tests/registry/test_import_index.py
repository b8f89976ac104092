"""The import indexes from memory, batch by batch; a full reindex reads the tables back. Same index."""

from datetime import date

import pytest
from django.db import connection

from cqphub.registry import importer
from cqphub.registry.importer import import_paths
from cqphub.registry.search import update_index
from cqphub.registry.search.index import backend
from tests.factories.registry import XML_FIXTURE_DATE, read_in_parts

pytestmark = pytest.mark.django_db


def index_rows() -> dict:
    be = backend()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT certification_id, data, sources FROM {be.DOC_TABLE} ORDER BY certification_id"
        )
        docs = cursor.fetchall()
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT certification_id, document::text FROM {be.FTS_TABLE} ORDER BY certification_id"
            )
        else:
            cursor.execute(
                f"SELECT rowid, code, title, abbreviation, blocks, rest FROM {be.FTS_TABLE} ORDER BY rowid"
            )
        fts = cursor.fetchall()
    return {"docs": docs, "fts": fts}


@pytest.mark.parametrize(
    "in_child", [False, True, "in parts"], ids=["parsed here", "parsed in a child process", "read in parts"]
)
def test_index_written_by_the_import_equals_a_full_reindex(
    in_child, rncp_xml_fixture, rncp_csv_sample, tmp_path, monkeypatch
):
    if in_child == "in parts":  # and on SQLite, a large XML file by several children at once
        read_in_parts(monkeypatch)
    elif in_child:  # the full-scale export is parsed in a child process; these small files are not
        monkeypatch.setattr(importer, "PARSE_IN_CHILD_FROM", 0)
    import_paths([rncp_csv_sample])
    changed = tmp_path / "export-fiches-rncp-v4-1-edited.xml"
    changed.write_text(
        rncp_xml_fixture.read_text(encoding="utf-8").replace(
            "<INTITULE>Cybersécurité</INTITULE>", "<INTITULE>Cœur de la cybersécurité</INTITULE>"
        ),
        encoding="utf-8",
    )
    import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE, allow_mass_withdrawal=True)
    import_paths(
        [changed], as_of=date(2026, 8, 17)
    )  # one fiche updated: its index row replaced, not duplicated
    from_import = index_rows()
    assert len(from_import["docs"]) == len(from_import["fts"]) > 12
    update_index(None)
    assert index_rows() == from_import


def fts_indexes() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'registry_search_fts%%'"
            " ORDER BY indexname"
        )
        return [(name, definition.split(" USING ")[1]) for name, definition in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN index")
def test_the_vectors_keep_their_key_and_gin_index_whichever_way_it_is_built(
    rncp_xml_fixture, rncp_csv_sample, monkeypatch
):
    """Into an empty registry the next table is indexed as the vectors arrive; otherwise the index is
    built at the end (`postgres_fts.create_next`). Either way the live table has the same two indexes."""
    expected = [
        ("registry_search_fts_document", "gin (document)"),
        ("registry_search_fts_pkey", "btree (certification_id)"),
    ]
    from cqphub.registry.search import postgres_fts

    indexed_early = []
    create_next = postgres_fts.create_next

    def spy(cursor):
        create_next(cursor)
        cursor.execute("SELECT to_regclass('registry_search_fts_next_document') IS NOT NULL")
        indexed_early.append(cursor.fetchone()[0])

    monkeypatch.setattr(postgres_fts, "create_next", spy)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registry_search_fts")  # an empty registry
    import_paths([rncp_csv_sample])  # first import: indexed as the vectors arrive
    assert fts_indexes() == expected
    monkeypatch.setattr(importer._DirectSink, "SWAP_AT", 0)  # a large re-import: built at the end
    import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE, allow_mass_withdrawal=True)
    assert fts_indexes() == expected
    assert indexed_early == [True, False]
    from_import = index_rows()
    update_index(None)
    assert index_rows() == from_import
