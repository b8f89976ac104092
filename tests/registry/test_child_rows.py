"""A fiche's published lists (blocks, certifiers, partners, codes, continuity links) link to it without a
database foreign key (migration 0007, `FICHE_ROW` in `registry/models.py`): the importer alone writes
them, and these tests hold it to never leaving a row without its fiche, whatever the run does.

Every case runs on the real France compétences XML v4.1 fixture under ../shared/data/rncp.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from cqphub.registry import importer
from cqphub.registry.importer import CHILD_MODELS, ImportFailed, import_paths
from cqphub.registry.models import Block, Certification, Certifier, Classification, ContinuityLink, Partner
from cqphub.registry.parsing import open_export

pytestmark = [pytest.mark.django_db, pytest.mark.shared]
FICHE = "RNCP37488"


def _copy(source: Path, folder: Path, when: str, edit=lambda text: text) -> Path:
    target = folder / f"export-fiches-rncp-v4-1-{when}.xml"
    target.write_text(edit(source.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def _rows_without_their_fiche() -> dict[str, int]:
    fiches = Certification.objects.values("pk")
    return {
        model.__name__: model.objects.exclude(certification_id__in=fiches).count() for model in CHILD_MODELS
    }


def _rows_of(code: str) -> dict[str, int]:
    return {model.__name__: model.objects.filter(certification__code=code).count() for model in CHILD_MODELS}


def _published_rows(path: Path, code: str) -> dict[str, int]:
    record = next(r for r in open_export(path) if r.code == code)
    return {
        "Block": len(record.blocks),
        "Certifier": len(record.certifiers),
        "Partner": len(record.partners),
        "Classification": sum(len(getattr(record, s)) for s in ("rome", "nsf", "formacode", "idcc")),
        "ContinuityLink": len(record.predecessors) + len(record.successors),
    }


def test_the_links_have_no_database_foreign_key_but_keep_their_index():
    with connection.cursor() as cursor:
        for model in CHILD_MODELS:
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table).values()
            on_link = [c for c in constraints if c["columns"] == ["certification_id"]]
            assert on_link, f"{model.__name__}: certification_id is not indexed"
            assert not any(c["foreign_key"] for c in on_link), (
                f"{model.__name__}: a database foreign key is left"
            )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TOAST storage is PostgreSQL's")
def test_postgresql_does_not_compress_the_raw_fiche_again():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = 'registry_certification'::regclass "
            "AND attname = 'raw'"
        )
        assert cursor.fetchone()[0] == "e"  # EXTERNAL: out of line, never compressed by the server


@pytest.mark.parametrize("in_child", [False, True], ids=["parsed here", "parsed in a child process"])
def test_imports_that_add_change_and_fail_leave_no_row_without_its_fiche(
    in_child, rncp_xml_fixture, tmp_path, monkeypatch
):
    if in_child:
        monkeypatch.setattr(importer, "PARSE_IN_CHILD_FROM", 0)
    first = _copy(rncp_xml_fixture, tmp_path, "2026-09-01")
    import_paths([first])
    assert _rows_of(FICHE) == _published_rows(first, FICHE)
    assert _rows_without_their_fiche() == dict.fromkeys(_rows_without_their_fiche(), 0)

    # the fiche loses its first certifier and its first block: its rows are replaced, not added to
    def fewer(text: str) -> str:
        start = text.index(f"<NUMERO_FICHE>{FICHE}</NUMERO_FICHE>")
        for element in ("CERTIFICATEUR", "BLOC_COMPETENCES"):
            begin = text.index(f"<{element}>", start)
            end = text.index(f"</{element}>", begin) + len(f"</{element}>")
            text = text[:begin] + text[end:]
        return text

    changed = _copy(rncp_xml_fixture, tmp_path, "2026-09-02", fewer)
    expected = _published_rows(changed, FICHE)
    assert expected["Block"] == _published_rows(first, FICHE)["Block"] - 1
    summary = import_paths([changed])
    assert summary.updated == 1
    assert _rows_of(FICHE) == expected
    counts = {model.__name__: model.objects.count() for model in CHILD_MODELS}

    # a run that fails half-way writes none of its rows
    bad = _copy(
        rncp_xml_fixture,
        tmp_path,
        "2026-09-03",
        lambda t: fewer(t).replace("<CODE>RNCP37488BC02</CODE>", "<CODE>" + "X" * 60 + "</CODE>", 1),
    )
    with pytest.raises(ImportFailed):
        import_paths([bad])
    assert {model.__name__: model.objects.count() for model in CHILD_MODELS} == counts
    assert set(_rows_without_their_fiche().values()) == {0}


def test_deleting_a_fiche_through_the_orm_deletes_its_rows(rncp_xml_fixture, tmp_path):
    import_paths([rncp_xml_fixture], as_of=date(2026, 8, 16))
    fiche = Certification.objects.get(code=FICHE)
    assert all(_rows_of(FICHE)[m] for m in ("Block", "Certifier", "Classification"))
    fiche.delete()
    for model in (Block, Certifier, Partner, Classification, ContinuityLink):
        assert not model.objects.filter(certification_id=fiche.pk).exists()
    assert set(_rows_without_their_fiche().values()) == {0}
