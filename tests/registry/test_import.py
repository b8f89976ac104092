"""The registry import on the real France compétences files under ../shared/data/rncp."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cqphub.registry import importer
from cqphub.registry.importer import ImportFailed, import_paths
from cqphub.registry.models import Block, Certification, Classification, ContinuityLink, ImportRun, Partner
from cqphub.registry.serializers import certification_to_dict, with_children
from tests.factories.registry import XML_FIXTURE_DATE, read_in_parts

pytestmark = pytest.mark.django_db


def registry_state() -> dict:
    """Everything an import may change, to prove a failed one changed nothing."""
    return {
        "certifications": sorted(
            Certification.objects.values_list("code", "digest", "title", "withdrawn_at")
        ),
        "blocks": Block.objects.count(),
        "partners": Partner.objects.count(),
        "classifications": Classification.objects.count(),
        "links": ContinuityLink.objects.count(),
    }


def record(code: str) -> dict:
    return certification_to_dict(with_children().get(code=code))


# -- XML v4.1 -----------------------------------------------------------------------------------
def test_xml_fixture_imports_every_fiche_with_exact_values(rncp_xml_fixture):
    summary = import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)
    assert (summary.read, summary.created, summary.updated, summary.withdrawn) == (12, 12, 0, 0)

    cyber = record("RNCP37488")
    assert cyber["title"] == "Cybersécurité"
    assert cyber["register"] == "RNCP"
    assert cyber["fiche_id"] == 23988
    assert cyber["abbreviation"]["code"] == "CS"
    assert cyber["level"] == 4
    assert cyber["active"] is True
    assert cyber["dates"]["effect"] == "2023-09-01"
    assert cyber["dates"]["end"] == "2028-08-31"
    assert len(cyber["blocks"]) == 2
    assert all(b["code"].startswith("RNCP37488BC") for b in cyber["blocks"])
    assert cyber["routes"]["vae"] is True and cyber["routes"]["apprenticeship"] is True
    assert cyber["is_cqp"] is False

    web = record("RNCP37674")
    assert web["title"] == "Développeur web et web mobile"
    assert web["abbreviation"]["code"] == "TP"
    assert len(web["partners"]) == 471
    assert all(p["siret"].isdigit() for p in web["partners"] if p["siret"])
    assert web["predecessors"] == ["RNCP31114"]


def test_xml_continuity_is_followed_transitively(rncp_xml_fixture):
    import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)
    assert record("RNCP34762")["predecessors"] == ["RNCP24998"]
    assert record("RNCP34762")["successors"] == ["RNCP39568"]
    assert record("RNCP39568")["predecessors"] == ["RNCP34762", "RNCP24998"]
    assert not Certification.objects.filter(code="RNCP24998").exists()  # only known by its code


def test_same_export_twice_changes_nothing(rncp_xml_fixture):
    import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)
    before = registry_state()
    summary = import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)
    assert (summary.created, summary.updated, summary.unchanged, summary.withdrawn) == (0, 0, 12, 0)
    assert not summary.changed
    assert registry_state() == before


def test_zipped_xml_is_the_same_as_plain(rncp_xml_fixture, tmp_path):
    archive = tmp_path / "export-fiches-rncp-v4-1-2026-08-16.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(rncp_xml_fixture, "export-fiches-rncp-v4-1-2026-08-16.xml")
    assert import_paths([archive]).created == 12
    assert import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE).unchanged == 12


def _edited_copy(source: Path, tmp_path: Path, edit) -> Path:
    text = source.read_text(encoding="utf-8")
    target = tmp_path / "export-fiches-rncp-v4-1-2026-09-01.xml"
    target.write_text(edit(text), encoding="utf-8")
    return target


def _drop_fiche(text: str, code: str) -> str:
    start = text.index(f"<NUMERO_FICHE>{code}</NUMERO_FICHE>")
    fiche_start = text.rindex("<FICHE>", 0, start)
    fiche_end = text.index("</FICHE>", start) + len("</FICHE>")
    return text[:fiche_start] + text[fiche_end:]


def test_newer_export_updates_adds_and_marks_withdrawn_without_deleting(rncp_xml_fixture, tmp_path):
    first = _edited_copy(rncp_xml_fixture, tmp_path, lambda t: _drop_fiche(t, "RNCP40344"))
    assert import_paths([first]).created == 11
    newer = _edited_copy(
        rncp_xml_fixture,
        tmp_path,
        lambda t: _drop_fiche(t, "RNCP36612").replace(
            "<INTITULE>Cybersécurité</INTITULE>", "<INTITULE>Cybersécurité (nouvel intitulé)</INTITULE>"
        ),
    )
    summary = import_paths([newer], allow_mass_withdrawal=True)  # 1 of 11 fiches: 9 %
    assert (summary.created, summary.updated, summary.unchanged, summary.withdrawn) == (1, 1, 9, 1)
    assert Certification.objects.get(code="RNCP37488").title == "Cybersécurité (nouvel intitulé)"
    gone = Certification.objects.get(code="RNCP36612")
    assert gone.withdrawn_at is not None
    assert gone.blocks.count() == 4  # history kept
    assert import_paths([rncp_xml_fixture], as_of=date(2026, 9, 2)).restored == 1
    assert Certification.objects.get(code="RNCP36612").withdrawn_at is None


def test_importing_one_register_does_not_withdraw_the_other(rncp_xml_fixture, rncp_csv_sample, tmp_path):
    import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)
    rs_only = tmp_path / "rs"
    rs_only.mkdir()
    summary = import_paths([_rs_only_csv(rncp_csv_sample, rs_only)])
    assert summary.withdrawn == 0
    assert Certification.objects.filter(withdrawn_at__isnull=False).count() == 0


def _rs_only_csv(sample: Path, target: Path) -> Path:
    for part in sample.glob("export_fiches_CSV_*.csv"):
        lines = part.read_bytes().split(b"\r\n")
        kept = [lines[0]] + [line for line in lines[1:] if b'"RS' in line[:25]]
        (target / part.name).write_bytes(b"\r\n".join(kept) + b"\r\n")
    return target


def test_unknown_elements_are_accepted_and_kept_in_the_raw_fiche(rncp_xml_fixture, tmp_path):
    path = _edited_copy(
        rncp_xml_fixture,
        tmp_path,
        lambda t: t.replace(
            "<INTITULE>Cybersécurité</INTITULE>",
            "<INTITULE>Cybersécurité</INTITULE><NOUVEL_ELEMENT_2027>valeur future</NOUVEL_ELEMENT_2027>",
        ),
    )
    import_paths([path])
    assert (
        "<NOUVEL_ELEMENT_2027>valeur future</NOUVEL_ELEMENT_2027>"
        in Certification.objects.get(code="RNCP37488").raw_text
    )


# -- CSV export ---------------------------------------------------------------------------------
def test_csv_sample_folder_imports_the_cqp_tourier(rncp_csv_sample):
    summary = import_paths([rncp_csv_sample])
    assert summary.created == 9
    tourier = record("RNCP19468")
    assert tourier["title"] == "CQP Tourier"
    assert tourier["register"] == "RNCP"
    assert tourier["abbreviation"] == {"code": "", "label": ""}
    assert tourier["is_cqp"] is True
    assert tourier["active"] is False
    assert tourier["level"] is None  # REPRISE: no level
    assert tourier["dates"]["end"] == "2021-07-21"
    assert tourier["idcc"] == [{"code": "3117", "label": "Boulangerie-pâtisserie (Entreprises artisanales)"}]
    assert [{k: c[k] for k in ("siret", "name", "state")} for c in tourier["certifiers"]] == [
        {"siret": "78466840200018", "name": "CONFEDE. NATIONALE BOULANGERS PATISSIERS", "state": ""}
    ]
    assert [p["siret"] for p in tourier["partners"]] == ["53326535100015"]
    assert tourier["routes"] == {
        "initial": False,
        "apprenticeship": False,
        "continuing": True,
        "professionalisation": True,
        "individual": True,
        "vae": True,
    }
    assert [r["code"] for r in tourier["rome"]] == ["D1102", "D1104"]
    assert tourier["successors"] == ["RS6117"]
    assert Certification.objects.get(code="RNCP19468").registration_status(date(2020, 1, 1)) == "active"
    assert Certification.objects.get(code="RNCP19468").registration_status(date(2024, 2, 22)) == "expired"

    rs = record("RS6117")
    assert rs["register"] == "RS"
    assert rs["active"] is True and rs["partial_validation"] is False
    assert len(rs["partners"]) == 6
    assert rs["predecessors"] == ["RNCP19468"]
    assert [f["code"] for f in rs["formacode"]] == ["21538", "21528"]


def test_csv_continuity_chain_survives_a_missing_link_row(rncp_csv_sample, tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    for part in rncp_csv_sample.glob("export_fiches_CSV_*.csv"):
        shutil.copy(part, folder / part.name)
    fixed = (
        rncp_csv_sample / "continuity_fix__export_fiches_CSV_Ancienne_Nouvelle_Certification_2024_02_22.csv"
    )
    shutil.copy(fixed, folder / "export_fiches_CSV_Ancienne_Nouvelle_Certification_2024_02_22.csv")
    import_paths([folder])
    assert record("RNCP1197")["successors"] == ["RNCP4049", "RNCP22094", "RNCP28155", "RNCP30271"]
    assert record("RNCP30271")["predecessors"] == ["RNCP28155", "RNCP22094", "RNCP4049", "RNCP1197"]


def test_csv_zip_as_published(rncp_csv_sample, tmp_path):
    archive = tmp_path / "export-fiches-csv-2024-02-22.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in rncp_csv_sample.glob("export_fiches_CSV_*.csv"):
            zf.write(part, part.name)
    assert import_paths([archive]).created == 9
    assert import_paths([rncp_csv_sample]).unchanged == 9


# -- bad input: clear error, registry unchanged -------------------------------------------------
def _bad_inputs(rncp_xml_fixture: Path, rncp_csv_sample: Path, tmp_path: Path) -> dict[str, tuple[Path, str]]:
    text = rncp_xml_fixture.read_text(encoding="utf-8")
    truncated = tmp_path / "export-fiches-rncp-v4-1-truncated.xml"
    truncated.write_text(text[: len(text) // 2], encoding="utf-8")
    wrong_root = tmp_path / "export-fiches-rncp-v4-1-wrong.xml"
    wrong_root.write_text("<?xml version='1.0'?><CATALOGUE><ITEM/></CATALOGUE>", encoding="utf-8")
    bad_date = tmp_path / "export-fiches-rncp-v4-1-baddate.xml"
    bad_date.write_text(
        text.replace(
            "<DATE_FIN_ENREGISTREMENT>31/08/2028</DATE_FIN_ENREGISTREMENT>",
            "<DATE_FIN_ENREGISTREMENT>31 août 2028</DATE_FIN_ENREGISTREMENT>",
            1,
        ),
        encoding="utf-8",
    )
    not_xml = tmp_path / "export-fiches-rncp-v4-1-notxml.xml"
    not_xml.write_text("Numero_Fiche;Intitule\nRNCP1;Test\n", encoding="utf-8")
    good_zip = tmp_path / "good.zip"
    with zipfile.ZipFile(good_zip, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(rncp_xml_fixture, "export-fiches-rncp-v4-1.xml")
    cut_zip = tmp_path / "export-fiches-rncp-v4-1-cut.zip"
    cut_zip.write_bytes(good_zip.read_bytes()[: good_zip.stat().st_size // 2])
    csv_dir = tmp_path / "csv-missing-column"
    csv_dir.mkdir()
    for part in rncp_csv_sample.glob("export_fiches_CSV_*.csv"):
        shutil.copy(part, csv_dir / part.name)
    blocks = next(csv_dir.glob("export_fiches_CSV_Blocs*.csv"))
    lines = blocks.read_bytes().decode("utf-8").split("\r\n")
    lines[2] = '"RNCP509";"RNCP509BC06"'
    blocks.write_bytes("\r\n".join(lines).encode("utf-8"))
    unrelated_zip = tmp_path / "photos.zip"
    with zipfile.ZipFile(unrelated_zip, "w") as zf:
        zf.writestr("holiday.txt", "not an export")
    return {
        "truncated xml": (truncated, truncated.name),
        "wrong root": (wrong_root, wrong_root.name),
        "bad date": (bad_date, "DATE_FIN_ENREGISTREMENT"),
        "csv renamed xml": (not_xml, not_xml.name),
        "truncated zip": (cut_zip, cut_zip.name),
        "csv missing column": (csv_dir, "line 3"),
        "unrelated zip": (unrelated_zip, unrelated_zip.name),
    }


@pytest.mark.parametrize(
    "case",
    [
        "truncated xml",
        "wrong root",
        "bad date",
        "csv renamed xml",
        "truncated zip",
        "csv missing column",
        "unrelated zip",
    ],
)
def test_bad_input_names_the_problem_and_leaves_the_registry_unchanged(
    case, rncp_xml_fixture, rncp_csv_sample, tmp_path
):
    _assert_fails_cleanly(case, rncp_xml_fixture, rncp_csv_sample, tmp_path)


def _assert_fails_cleanly(case, rncp_xml_fixture, rncp_csv_sample, tmp_path):
    """The bad input's import fails with a message naming the problem, and changes nothing but its run."""
    import_paths([rncp_csv_sample])
    before = registry_state()
    path, expected_in_message = _bad_inputs(rncp_xml_fixture, rncp_csv_sample, tmp_path)[case]
    with pytest.raises(ImportFailed) as error:
        import_paths([path], as_of=XML_FIXTURE_DATE)
    assert expected_in_message in str(error.value)
    assert registry_state() == before
    assert ImportRun.objects.filter(status=ImportRun.Status.FAILED).count() == 1


@pytest.mark.parametrize("in_parts", [False, True], ids=["whole", "in parts"])
@pytest.mark.parametrize("case", ["truncated xml", "bad date", "truncated zip", "csv missing column"])
def test_bad_input_parsed_in_a_child_process_fails_the_same_way(
    case, in_parts, rncp_xml_fixture, rncp_csv_sample, tmp_path, monkeypatch
):
    monkeypatch.setattr(importer, "PARSE_IN_CHILD_FROM", 0)  # the full-scale export's path
    if in_parts:  # the parts fail, and the file read again whole names the same line
        read_in_parts(monkeypatch)
    _assert_fails_cleanly(case, rncp_xml_fixture, rncp_csv_sample, tmp_path)


@pytest.mark.parametrize("in_parts", [False, True], ids=["one child", "in parts"])
def test_fiches_parsed_in_a_child_process_are_the_same(in_parts, rncp_xml_fixture, monkeypatch):
    import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)
    here = {c: record(c) for c in Certification.objects.values_list("code", flat=True)}
    Certification.objects.all().delete()
    monkeypatch.setattr(importer, "PARSE_IN_CHILD_FROM", 0)
    if in_parts:
        read_in_parts(monkeypatch)
    summary = import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)
    assert (summary.read, summary.created) == (12, 12)
    assert {c: record(c) for c in Certification.objects.values_list("code", flat=True)} == here


def test_bad_date_error_names_file_fiche_and_element(rncp_xml_fixture, rncp_csv_sample, tmp_path):
    path, _ = _bad_inputs(rncp_xml_fixture, rncp_csv_sample, tmp_path)["bad date"]
    with pytest.raises(ImportFailed) as error:
        import_paths([path], as_of=XML_FIXTURE_DATE)
    message = str(error.value)
    assert path.name in message and "RNCP37488" in message and "DATE_FIN_ENREGISTREMENT" in message


def test_a_bad_second_file_rolls_back_the_first(rncp_xml_fixture, rncp_csv_sample, tmp_path):
    path, _ = _bad_inputs(rncp_xml_fixture, rncp_csv_sample, tmp_path)["truncated xml"]
    with pytest.raises(ImportFailed):
        import_paths([rncp_csv_sample, path])
    assert Certification.objects.count() == 0


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(ImportFailed, match="no such file"):
        import_paths([tmp_path / "absent.xml"])


# -- command line -------------------------------------------------------------------------------
def test_cli_import_prints_a_summary_then_says_nothing_changed(rncp_xml_fixture):
    out = io.StringIO()
    call_command("registry", "import", str(rncp_xml_fixture), "--as-of", "2026-08-16", stdout=out)
    assert "12 created" in out.getvalue()
    assert "export_fiches_RNCP_fixture.xml of 2026-08-16" in out.getvalue()
    out = io.StringIO()
    call_command("registry", "import", str(rncp_xml_fixture), "--as-of", "2026-08-16", stdout=out)
    assert "Nothing changed" in out.getvalue()


def test_cli_import_failure_is_a_command_error(tmp_path):
    bad = tmp_path / "export-fiches-rncp-v4-1-bad.xml"
    bad.write_text("<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE>", encoding="utf-8")
    with pytest.raises(CommandError, match="registry unchanged"):
        call_command("registry", "import", str(bad))


def test_cli_show_json_has_the_documented_keys(rncp_csv_sample):
    import_paths([rncp_csv_sample])
    out = io.StringIO()
    call_command("registry", "show", "rncp19468", "--json", stdout=out)
    shown = json.loads(out.getvalue())
    for key in (
        "code register title abbreviation level level_label active registration_type dates partial_validation "
        "blocks certifiers partners routes rome nsf formacode idcc predecessors successors is_cqp"
    ).split():
        assert key in shown, key
    assert set(shown["abbreviation"]) == {"code", "label"}
    assert {"decision", "effect", "end", "delivery_deadline"} <= set(shown["dates"])
    assert set(shown["routes"]) == {
        "initial",
        "apprenticeship",
        "continuing",
        "professionalisation",
        "individual",
        "vae",
    }
    assert shown["code"] == "RNCP19468" and shown["is_cqp"] is True


def test_cli_show_unknown_code(db):
    with pytest.raises(CommandError, match="no fiche RNCP1"):
        call_command("registry", "show", "RNCP1")


def test_cli_import_shows_a_progress_bar_on_a_terminal(rncp_xml_fixture, monkeypatch, capsys):
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    out = io.StringIO()
    call_command("registry", "import", str(rncp_xml_fixture), "--as-of", "2026-08-16", stdout=out)
    assert "12 created" in out.getvalue()
    bar = capsys.readouterr().out
    assert rncp_xml_fixture.name in bar and "722.1/722.1 kB" in bar  # rich: the file and its bytes read


def test_cli_show_json_gives_the_rules_engine_routes_successors_and_socle(rncp_csv_sample):
    import_paths([rncp_csv_sample])
    out = io.StringIO()
    call_command("registry", "show", "RNCP19468", "--json", stdout=out)
    shown = json.loads(out.getvalue())
    assert shown["is_socle"] is False
    assert shown["export_date"] == "2024-02-22" and shown["origin"] == "france_competences"
    (successor,) = shown["successor_fiches"]  # CQP Tourier: its RNCP fiche continues as RS6117
    assert successor["code"] == "RS6117" and successor["register"] == "RS" and successor["in_registry"]
    assert set(successor) >= {"registered_from", "registered_until", "level"}
    fiche = Certification.objects.get(code="RS6117")
    assert successor["registered_until"] == (fiche.end_date.isoformat() if fiche.end_date else None)
