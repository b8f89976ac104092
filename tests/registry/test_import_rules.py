"""Which copy of a fiche wins, withdrawal safety, codes, over-long values, one import at a time.

Every case runs on the real France compétences files under ../shared/data/rncp (the XML v4.1 fixture
of 2026-08-16 and the CSV export sample of 2024-02-22), copied and edited in a temporary folder.
"""

from __future__ import annotations

import gc
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from cqphub.registry import importer
from cqphub.registry.importer import ImportFailed, import_paths
from cqphub.registry.importlock import exclusive_import
from cqphub.registry.models import Certification, ImportRun, Origin
from cqphub.registry.parsing import export_date
from cqphub.web.demo_data import import_demo_registry
from tests.factories.registry import XML_FIXTURE_DATE

pytestmark = [pytest.mark.django_db, pytest.mark.shared]


def dated_copy(source: Path, folder: Path, when: str, edit=lambda text: text, kind: str = "rncp") -> Path:
    target = folder / f"export-fiches-{kind}-v4-1-{when}.xml"
    target.write_text(edit(source.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def only_fiche(text: str, code: str) -> str:
    """The export with one fiche left."""
    head = text[: text.index("<FICHE>")]
    start = text.index(f"<NUMERO_FICHE>{code}</NUMERO_FICHE>")
    fiche_start = text.rindex("<FICHE>", 0, start)
    fiche_end = text.index("</FICHE>", start) + len("</FICHE>")
    return head + text[fiche_start:fiche_end] + "</FICHES>"


def retitled(text: str) -> str:
    return text.replace("<INTITULE>Cybersécurité</INTITULE>", "<INTITULE>Cybersécurité (2026-09)</INTITULE>")


def state() -> list:
    return sorted(Certification.objects.values_list("code", "digest", "title", "withdrawn_at", "export_date"))


# -- export dates --------------------------------------------------------------------------------
def test_the_export_date_comes_from_the_names(rncp_xml_fixture, rncp_csv_sample, tmp_path):
    assert export_date(rncp_csv_sample) == date(2024, 2, 22)  # the folder, and each part's _2024_02_22
    assert export_date(dated_copy(rncp_xml_fixture, tmp_path, "2026-11-27")) == date(2026, 11, 27)
    assert export_date(rncp_xml_fixture) is None  # export_fiches_RNCP_fixture.xml carries none
    with pytest.raises(ImportFailed, match="--as-of"):
        import_paths([rncp_xml_fixture])
    summary = import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)
    assert set(Certification.objects.values_list("export_date", flat=True)) == {XML_FIXTURE_DATE}
    run = ImportRun.objects.get(pk=summary.run_id)
    assert run.dated_files == [("export_fiches_RNCP_fixture.xml", XML_FIXTURE_DATE)]


# -- across runs ----------------------------------------------------------------------------------
def test_the_2024_csv_after_the_2026_export_neither_overwrites_nor_withdraws(
    rncp_xml_fixture, rncp_csv_sample
):
    import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)
    before = state()
    summary = import_paths([rncp_csv_sample])  # 2024-02-22: 7 RNCP fiches, none of the 2026 ones
    assert summary.created == 9
    assert summary.withdrawn == 0
    assert summary.kept_newer == 12  # the 2026 fiches: newer data already held
    assert [row for row in state() if row[0] in {r[0] for r in before}] == before
    run = ImportRun.objects.get(pk=summary.run_id)
    assert run.kept_newer == 12 and run.export_dates == ["2024-02-22"]


def test_an_older_export_never_overwrites_a_newer_copy(rncp_xml_fixture, tmp_path):
    import_paths([dated_copy(rncp_xml_fixture, tmp_path, "2026-09-01", retitled)])
    older = import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)  # the unedited 2026-08-16 copy
    assert (older.updated, older.kept_newer) == (0, 12)
    fiche = Certification.objects.get(code="RNCP37488")
    assert fiche.title == "Cybersécurité (2026-09)" and fiche.export_date == date(2026, 9, 1)
    newer = import_paths([rncp_xml_fixture], as_of=date(2026, 9, 2))
    assert newer.updated == 1 and Certification.objects.get(code="RNCP37488").title == "Cybersécurité"
    assert set(Certification.objects.values_list("export_date", flat=True)) == {date(2026, 9, 2)}


# -- in one run -----------------------------------------------------------------------------------
def test_in_one_run_the_newest_export_wins_whatever_the_order(rncp_xml_fixture, tmp_path):
    old = dated_copy(rncp_xml_fixture, tmp_path, "2026-08-16")
    new = dated_copy(rncp_xml_fixture, tmp_path, "2026-09-01", retitled)
    summary = import_paths([old, new])  # older given first
    assert summary.created == 12 and summary.read == 24
    fiche = Certification.objects.get(code="RNCP37488")
    assert fiche.title == "Cybersécurité (2026-09)" and fiche.export_date == date(2026, 9, 1)


def test_two_different_copies_of_the_same_date_stop_the_import(rncp_xml_fixture, tmp_path):
    one = dated_copy(rncp_xml_fixture, tmp_path, "2026-09-01")
    other_folder = tmp_path / "other"
    other_folder.mkdir()
    other = dated_copy(rncp_xml_fixture, other_folder, "2026-09-01", retitled, kind="rncp-bis")
    with pytest.raises(ImportFailed) as error:
        import_paths([one, other])
    message = str(error.value)
    assert "RNCP37488" in message and one.name in message and other.name in message
    assert Certification.objects.count() == 0
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_the_same_copy_in_two_exports_of_one_date_is_fine(rncp_xml_fixture, tmp_path):
    one = dated_copy(rncp_xml_fixture, tmp_path, "2026-09-01")
    zipped = tmp_path / "export-fiches-rncp-v4-1-2026-09-01.zip"
    import zipfile

    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(one, one.name)
    assert import_paths([one, zipped]).created == 12


def test_a_fiche_twice_in_one_file_stops_the_import(rncp_xml_fixture, tmp_path):
    def doubled(text: str) -> str:
        start = text.index("<FICHE>")
        end = text.index("</FICHE>") + len("</FICHE>")
        return text[:end] + text[start:end] + text[end:]

    path = dated_copy(rncp_xml_fixture, tmp_path, "2026-09-01", doubled)
    with pytest.raises(ImportFailed, match=r"RNCP34762 appears twice") as error:
        import_paths([path])
    assert path.name in str(error.value)
    assert Certification.objects.count() == 0


# -- withdrawal safety ----------------------------------------------------------------------------
def test_L4_a_one_fiche_file_cannot_empty_the_register(rncp_xml_fixture, tmp_path):
    import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)
    before = state()
    one = dated_copy(rncp_xml_fixture, tmp_path, "2026-09-01", lambda t: only_fiche(t, "RNCP37488"))
    with pytest.raises(ImportFailed) as error:
        import_paths([one])
    message = str(error.value)
    assert "11 of the 12" in message and "RNCP register" in message and "--allow-mass-withdrawal" in message
    assert state() == before
    assert ImportRun.objects.order_by("-pk").first().status == ImportRun.Status.FAILED
    summary = import_paths([one], allow_mass_withdrawal=True)
    assert summary.withdrawn == 11
    assert Certification.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_the_platforms_own_fiches_are_never_withdrawn(rncp_xml_fixture):
    import_demo_registry(import_paths)
    demo = set(Certification.objects.values_list("code", flat=True))
    assert set(Certification.objects.values_list("origin", flat=True)) == {Origin.PLATFORM}
    summary = import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE, allow_mass_withdrawal=True)
    assert summary.withdrawn == 0
    assert not Certification.objects.filter(code__in=demo, withdrawn_at__isnull=False).exists()


# -- codes ----------------------------------------------------------------------------------------
def test_codes_are_normalised_before_anything_else(rncp_xml_fixture, tmp_path):
    import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)
    lower = dated_copy(
        rncp_xml_fixture,
        tmp_path,
        "2026-09-01",
        lambda t: t.replace(
            "<NUMERO_FICHE>RNCP37488</NUMERO_FICHE>", "<NUMERO_FICHE> rncp37488 </NUMERO_FICHE>"
        ),
    )
    summary = import_paths([lower])
    assert (summary.created, summary.updated, summary.withdrawn) == (0, 1, 0)  # the same fiche, not a new one
    assert Certification.objects.filter(code="RNCP37488").count() == 1
    assert Certification.objects.count() == 12


# -- over-long values -----------------------------------------------------------------------------
@pytest.mark.parametrize("in_child", [False, True], ids=["parsed here", "parsed in a child process"])
def test_long_free_text_is_stored_whole_and_an_over_long_code_is_refused(
    in_child, rncp_xml_fixture, tmp_path, monkeypatch
):
    if in_child:
        monkeypatch.setattr(importer, "PARSE_IN_CHILD_FROM", 0)
    long_name = "Organisme " + "très long " * 80  # 810 characters: was cut at 500
    named = dated_copy(
        rncp_xml_fixture,
        tmp_path,
        "2026-09-01",
        lambda t: t.replace("<NOM_CERTIFICATEUR>", f"<NOM_CERTIFICATEUR>{long_name}", 1),
    )
    import_paths([named])
    assert any(len(name) > 800 for name in Certification.objects.values_list("certifiers__name", flat=True))
    before = state()
    code = "RNCP37488BC01" + "X" * 60
    bad = dated_copy(
        rncp_xml_fixture,
        tmp_path,
        "2026-09-02",
        lambda t: t.replace("<CODE>RNCP37488BC01</CODE>", f"<CODE>{code}</CODE>", 1),
    )
    with pytest.raises(ImportFailed) as error:
        import_paths([bad])
    message = str(error.value)
    assert (
        bad.name in message
        and "RNCP37488" in message
        and "BLOCS_COMPETENCES/BLOC_COMPETENCES[1]/CODE" in message
    )
    assert state() == before
    failed = ImportRun.objects.order_by("-pk").first()
    assert failed.status == ImportRun.Status.FAILED and "BLOC_COMPETENCES" in failed.error


# -- unknown elements -----------------------------------------------------------------------------
def test_unknown_elements_are_listed_by_name_and_count(rncp_xml_fixture, tmp_path):
    path = dated_copy(
        rncp_xml_fixture,
        tmp_path,
        "2026-09-01",
        lambda t: t.replace("</INTITULE>", "</INTITULE><NOUVEL_ELEMENT_2027>x</NOUVEL_ELEMENT_2027>"),
    )
    summary = import_paths([path])
    assert summary.unknown_elements == {"NOUVEL_ELEMENT_2027": 12}
    assert ImportRun.objects.get(pk=summary.run_id).unknown_elements == {"NOUVEL_ELEMENT_2027": 12}
    assert (
        "<NOUVEL_ELEMENT_2027>x</NOUVEL_ELEMENT_2027>" in Certification.objects.get(code="RNCP37488").raw_text
    )


# -- one import at a time; logins and back-office writes go on ------------------------------------
def test_M3_a_second_import_says_one_is_already_running(rncp_xml_fixture):
    held, release = threading.Event(), threading.Event()

    def first_import():  # another thread, its own connection: like another process
        from django.db import connections

        with exclusive_import(connections["default"]):
            held.set()
            release.wait(30)
        connections["default"].close()

    thread = threading.Thread(target=first_import)
    thread.start()
    try:
        assert held.wait(30)
        with pytest.raises(ImportFailed, match="an import is already running"):
            import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)
    finally:
        release.set()
        thread.join(30)
    assert Certification.objects.count() == 0
    assert import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE).created == 12  # free again


@pytest.mark.django_db(transaction=True)
def test_M3_logins_and_back_office_writes_succeed_while_an_import_runs(rncp_xml_fixture, rncp_csv_sample):
    from django.test import Client

    from cqphub.orgs.models import Branch
    from cqphub.orgs.services import create_branch
    from tests.factories.orgs import PASSWORD, UserFactory

    user = UserFactory(email="claire@example.org")
    outcomes: list = []

    def visitor():  # another thread, its own database connection, like a web worker
        try:
            response = Client().post(reverse("orgs:login"), {"username": user.email, "password": PASSWORD})
            outcomes.append(("login", response.status_code))
            create_branch(
                actor=user, name="Branche pendant l'import", slug="pendant-import", idcc_codes=["0843"]
            )
            outcomes.append(("write", Branch.objects.filter(slug="pendant-import").count()))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(("error", repr(error)))
        finally:
            connection.close()

    files: list = []

    def during_the_import(path, _size):
        files.append(path.name)
        if len(files) != 2:
            return
        # the first export is read and its fiches are prepared: the run is under way, not switched in
        assert Certification.objects.count() == 0
        thread = threading.Thread(target=visitor)
        thread.start()
        thread.join(timeout=30)
        assert not thread.is_alive(), "the login waited for the import"

    summary = import_paths(
        [rncp_xml_fixture, rncp_csv_sample], as_of=XML_FIXTURE_DATE, on_file=during_the_import
    )
    assert summary.created == 21 and len(files) == 2
    assert outcomes == [("login", 302), ("write", 1)]


def test_a_run_stopped_early_closes_its_stage_part_in_its_own_thread(rncp_xml_fixture, tmp_path, monkeypatch):
    """A refused fiche stops the in-process stream mid-file. Its open stage part (a sqlite3 connection)
    is closed on leaving the run, not by the garbage collector wherever the run's frames die."""
    bad = dated_copy(
        rncp_xml_fixture,
        tmp_path,
        "2026-09-02",
        lambda t: t.replace("<CODE>RNCP37488BC01</CODE>", "<CODE>RNCP37488BC01" + "X" * 60 + "</CODE>", 1),
    )
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    with pytest.raises(ImportFailed) as error:
        import_paths([bad])
    holder = [error.value]  # its traceback holds the run's frames, and so the stream
    del error

    def let_go():
        holder.clear()
        gc.collect()

    thread = threading.Thread(target=let_go)
    thread.start()
    thread.join()
    gc.collect()
    assert [u.exc_value for u in unraisable] == []
