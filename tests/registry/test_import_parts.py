"""A large XML export read in parts by several processes gives exactly what the whole file gives.

Imports cut a large plain XML file at fiche boundaries (`parsing.xml_split`); each part is read by its
own child, which on SQLite stages the rows itself (`importer._PartWriter`) and on PostgreSQL sends them
formatted for COPY. The small real fixture takes that path here with the size thresholds lowered.
"""

import pytest
from django.db import connection

from cqphub.registry import importer
from cqphub.registry.importer import import_paths
from cqphub.registry.models import Certification
from cqphub.registry.parsing import open_export, open_export_part
from cqphub.registry.parsing.xml_split import XmlPart, xml_parts
from cqphub.registry.serializers import certification_to_dict, with_children
from tests.factories.registry import XML_FIXTURE_DATE, read_in_parts

pytestmark = [pytest.mark.django_db, pytest.mark.shared]


def fiches(records) -> list[tuple]:
    return [(r.code, r.digest, r.title, len(r.partners)) for r in records]


def everything() -> dict:
    return {
        code: certification_to_dict(with_children().get(code=code))
        for code in Certification.objects.values_list("code", flat=True)
    }


# -- cutting the file ------------------------------------------------------------------------------
@pytest.mark.parametrize("count", [2, 3, 5])
def test_parts_read_one_after_another_give_the_whole_file(count, rncp_xml_fixture):
    parts = xml_parts(rncp_xml_fixture, count)
    assert len(parts) == count
    assert parts[0].start == 0 and parts[-1].end == rncp_xml_fixture.stat().st_size
    assert all(a.end == b.start for a, b in zip(parts, parts[1:], strict=False))
    text = rncp_xml_fixture.read_bytes()
    assert all(text[p.start : p.start + len(b"<FICHE>")] == b"<FICHE>" for p in parts[1:])
    seen: list[int] = []
    read = [
        f for part in parts for f in fiches(open_export_part(rncp_xml_fixture, part, progress=seen.append))
    ]
    assert read == fiches(open_export(rncp_xml_fixture))
    assert sum(seen) == rncp_xml_fixture.stat().st_size  # the progress bar ends at the file's size


def test_a_file_that_cannot_be_cut_is_one_part(tmp_path, rncp_xml_fixture):
    assert xml_parts(rncp_xml_fixture, 1) == [XmlPart(0, rncp_xml_fixture.stat().st_size, b"", True)]
    empty = tmp_path / "export-fiches-rncp-v4-1-2026-11-27.xml"
    empty.write_bytes(b"<?xml version='1.0'?><FICHES><VERSION_FLUX>4.1</VERSION_FLUX></FICHES>")
    assert xml_parts(empty, 4) == [XmlPart(0, empty.stat().st_size, b"", True)]


# -- the import ------------------------------------------------------------------------------------
def test_an_import_in_parts_stores_what_a_whole_import_stores(rncp_xml_fixture, monkeypatch):
    import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)
    whole = everything()
    Certification.objects.all().delete()
    read_in_parts(monkeypatch, 4)
    summary = import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)
    assert (summary.read, summary.created, summary.updated) == (12, 12, 0)
    assert everything() == whole
    again = import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)  # the re-import path, in parts too
    assert (again.read, again.unchanged, again.created, again.updated) == (12, 12, 0, 0)


def test_a_changed_fiche_read_in_a_part_is_updated_in_place(rncp_xml_fixture, tmp_path, monkeypatch):
    import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)
    pk = Certification.objects.get(code="RNCP37488").pk
    edited = tmp_path / "export-fiches-rncp-v4-1-2026-09-01.xml"
    edited.write_text(
        rncp_xml_fixture.read_text(encoding="utf-8").replace(
            "<INTITULE>Cybersécurité</INTITULE>", "<INTITULE>Cœur de la cybersécurité</INTITULE>"
        ),
        encoding="utf-8",
    )
    read_in_parts(monkeypatch)
    summary = import_paths([edited])
    assert (summary.updated, summary.unchanged, summary.created) == (1, 11, 0)
    changed = Certification.objects.get(code="RNCP37488")
    assert (changed.pk, changed.title) == (pk, "Cœur de la cybersécurité")
    assert changed.blocks.count() > 0 and changed.certifiers.count() > 0  # children replaced, not lost


def test_a_cut_inside_a_cdata_section_makes_the_import_read_the_file_whole(
    rncp_xml_fixture, tmp_path, monkeypatch
):
    """A cut is guessed from bytes; a wrong guess fails loudly in the parts, never silently, and the
    run starts again with the file read whole: the same result, counted once."""
    fake = "<![CDATA[ fin </FICHE>\n<FICHE> début ]]>"
    text = rncp_xml_fixture.read_text(encoding="utf-8").replace(
        "<INTITULE>Cybersécurité</INTITULE>", f"<INTITULE>Cybersécurité{fake}</INTITULE>"
    )
    path = tmp_path / "export-fiches-rncp-v4-1-2026-09-01.xml"
    path.write_text(text, encoding="utf-8")
    import_paths([path])
    whole = everything()
    assert "</FICHE>" in whole["RNCP37488"]["title"]
    Certification.objects.all().delete()

    data = path.read_bytes()
    cut = data.index(b"<FICHE> d\xc3\xa9but")  # inside the CDATA section
    head = data[: data.index(b"<FICHE>")]
    wrong = [XmlPart(0, cut, b"", False), XmlPart(cut, len(data), head, True)]
    read_in_parts(monkeypatch, 2)
    monkeypatch.setattr(importer, "xml_parts", lambda _path, _count: wrong)
    summary = import_paths([path])
    assert (summary.read, summary.created) == (12, 12)
    assert everything() == whole


@pytest.mark.django_db(transaction=True)
def test_the_switch_from_attached_parts_stores_the_same(rncp_xml_fixture, rncp_csv_sample, monkeypatch):
    """Outside a test's transaction the parts are attached and copied inside SQLite (the production path)."""
    import_paths([rncp_csv_sample])
    import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE, allow_mass_withdrawal=True)
    whole = everything()
    Certification.objects.all().delete()
    read_in_parts(monkeypatch)
    import_paths([rncp_csv_sample])
    summary = import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE, allow_mass_withdrawal=True)
    assert (summary.created, summary.read) == (12, 12)
    got = everything()
    assert got.keys() == whole.keys()
    # ids differ between the two runs (the first rows were deleted): compare without them
    strip = {"id", "first_import", "last_change_import", "withdrawn_at"}
    assert [{k: v for k, v in got[c].items() if k not in strip} for c in sorted(got)] == [
        {k: v for k, v in whole[c].items() if k not in strip} for c in sorted(whole)
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TOAST compression is PostgreSQL's")
@pytest.mark.django_db(transaction=True)  # the import's transaction is the outermost, as in production
def test_a_postgresql_import_compresses_long_values_with_lz4(rncp_xml_fixture):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        if not cursor.fetchone()[0]:
            pytest.skip("this PostgreSQL server was built without lz4")
        import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)
        cursor.execute(
            "SELECT pg_column_compression(activities), count(*) FROM registry_certification"
            " WHERE pg_column_compression(activities) IS NOT NULL GROUP BY 1"
        )
        assert dict(cursor.fetchall()).keys() == {"lz4"}
        cursor.execute("SHOW default_toast_compression")
        assert cursor.fetchone()[0] == "pglz"  # the run's transaction only: the session is as it was
    assert Certification.objects.get(code="RNCP37488").title == "Cybersécurité"
