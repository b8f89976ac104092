"""The registry's long display texts (a fiche's activities, capacities, sectors, jobs, objectives; a
block's skills and assessment; a search document's snippet sources): compressed on SQLite, plain `text`
on PostgreSQL, always a `str` in Python; the import and the reindex write them so, and migration 0006
compresses (and, undone, decompresses) the rows a database already holds."""

import importlib
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection

from cqphub.registry.importer import import_paths
from cqphub.registry.models import Block, Certification
from cqphub.registry.parsing import open_export
from cqphub.registry.search import sqlite_fts
from cqphub.registry.search.index import load_sources, update_index
from tests.factories.registry import make_certification

pytestmark = pytest.mark.django_db
SQLITE = connection.vendor == "sqlite"
DEMO_EXPORT = (
    Path(__file__).resolve().parents[2] / "cqphub" / "web" / "demo" / "export-fiches-rncp-v4-1-demo.xml"
)
COLUMNS = ("activities", "capacities", "sectors", "jobs", "objectives")
migration = importlib.import_module("cqphub.registry.migrations.0006_compressed_long_texts")


def _stored(pk: int, column: str, table: str = "registry_certification", key: str = "id"):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {key} = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_a_long_text_is_stored_compressed_on_sqlite_and_read_back_as_written():
    text = "Réaliser la maintenance préventive et corrective des équipements — cœur du métier. " * 40
    cert = make_certification(activities=text, jobs="Soudeur ; soudeuse", capacities="")
    cert = Certification.objects.get(pk=cert.pk)
    assert (cert.activities, cert.jobs, cert.capacities) == (text, "Soudeur ; soudeuse", "")
    assert Certification.objects.filter(pk=cert.pk).values_list("activities", flat=True).get() == text
    stored = _stored(cert.pk, "activities")
    if SQLITE:
        assert isinstance(stored, bytes) and len(stored) < len(text.encode()) / 5
        assert _stored(cert.pk, "capacities") == b""  # an empty text stays empty
    else:
        assert stored == text  # PostgreSQL compresses long values itself (TOAST)


def test_an_update_is_compressed_too():
    cert = make_certification(objectives="avant")
    Certification.objects.filter(pk=cert.pk).update(objectives="après la mise à jour")
    assert Certification.objects.get(pk=cert.pk).objectives == "après la mise à jour"
    assert isinstance(_stored(cert.pk, "objectives"), bytes) is SQLITE


def test_the_import_stores_the_texts_the_export_gives():
    import_paths([DEMO_EXPORT], as_of=date(2026, 11, 27))
    expected = {r.code: r for r in open_export(DEMO_EXPORT)}
    read = {c.code: c for c in Certification.objects.filter(code__in=expected)}
    assert len(read) == len(expected) > 0
    assert any(r.activities for r in expected.values())
    for code, record in expected.items():
        for column in COLUMNS:
            assert getattr(read[code], column) == getattr(record, column), (code, column)
    blocks = {(b.certification.code, b.code): b for b in Block.objects.select_related("certification")}
    assert blocks
    for code, record in expected.items():
        for block in record.blocks:
            stored = blocks[(code, block.code)]
            assert (stored.skills, stored.assessment) == (block.skills, block.assessment), (code, block.code)
    some = next(c for c in read.values() if c.activities)
    sources = load_sources([some.pk])[some.pk]
    assert ["jobs", some.jobs] in sources or not some.jobs
    if SQLITE:
        assert isinstance(_stored(some.pk, "activities"), bytes)
        block = next(b for b in blocks.values() if b.skills)
        assert isinstance(_stored(block.pk, "skills", "registry_block"), bytes)
        assert isinstance(_stored(some.pk, "sources", sqlite_fts.DOC_TABLE, "certification_id"), bytes)


def test_a_reindex_writes_the_sources_as_the_import_does():
    cert = make_certification(blocks=[("BC01", "Souder des assemblages", "Préparer, pointer, souder")])
    update_index([cert.pk])
    assert ["block", "Souder des assemblages — Préparer, pointer, souder"] in load_sources([cert.pk])[cert.pk]
    stored = _stored(cert.pk, "sources", sqlite_fts.DOC_TABLE, "certification_id")
    assert isinstance(stored, bytes) is SQLITE


@pytest.mark.skipif(not SQLITE, reason="the migration changes nothing on PostgreSQL")
def test_migration_0006_compresses_the_rows_already_there_and_undoes_it():
    cert = make_certification(blocks=[("BC01", "Bloc")])
    block = cert.blocks.get()
    plain = {c: f"{c} : texte d’avant la migration, écrit en clair. " * 10 for c in COLUMNS}
    with connection.cursor() as cursor:  # as a database before 0006 holds them
        cursor.execute(
            f"UPDATE registry_certification SET {', '.join(f'{c} = %s' for c in COLUMNS)} WHERE id = %s",  # noqa: S608
            [*plain.values(), cert.pk],
        )
        cursor.execute(
            "UPDATE registry_block SET skills = %s WHERE id = %s", ["Compétences en clair", block.pk]
        )
    assert _stored(cert.pk, "jobs") == plain["jobs"]
    assert Certification.objects.get(pk=cert.pk).jobs == plain["jobs"]  # read as it is meanwhile

    editor = SimpleNamespace(connection=connection)
    migration.compress(None, editor)
    assert all(isinstance(_stored(cert.pk, c), bytes) for c in COLUMNS)
    cert = Certification.objects.get(pk=cert.pk)
    assert {c: getattr(cert, c) for c in COLUMNS} == plain
    assert isinstance(_stored(block.pk, "skills", "registry_block"), bytes)
    assert Block.objects.get(pk=block.pk).skills == "Compétences en clair"

    migration.decompress(None, editor)
    assert {c: _stored(cert.pk, c) for c in COLUMNS} == plain
    assert _stored(block.pk, "skills", "registry_block") == "Compétences en clair"
