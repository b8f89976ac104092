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
