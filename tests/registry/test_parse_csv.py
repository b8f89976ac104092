"""The CSV export parser on the real France compétences sample (../shared/data/rncp), no database."""

from __future__ import annotations

import hashlib
import json
import shutil
import unicodedata
import zipfile
from datetime import date
from pathlib import Path

import pytest

from cqphub.registry.parsing import count_hint, export_size, iter_csv_fiches, open_export
from cqphub.registry.parsing.csv_export import part_of, route_of
from cqphub.registry.records import ROUTE_KINDS, CodeLabel, ParseError

ORDER = [
    "RNCP509",
    "RNCP1197",
    "RNCP4049",
    "RNCP22094",
    "RNCP28155",
    "RNCP30271",
    "RS5000",
    "RNCP19468",
    "RS6117",
]
FIX = "continuity_fix__export_fiches_CSV_Ancienne_Nouvelle_Certification_2024_02_22.csv"


@pytest.fixture(scope="module")
def fiches(rncp_csv_sample) -> dict:
    return {r.code: r for r in open_export(rncp_csv_sample)}


def _parts(sample: Path) -> list[Path]:
    return sorted(sample.glob("export_fiches_CSV_*.csv"))


def _copy(sample: Path, target: Path) -> Path:
    target.mkdir()
    for part in _parts(sample):
        shutil.copy(part, target / part.name)
    return target


def _part(folder: Path, keyword: str) -> Path:
    return next(p for p in folder.iterdir() if keyword in p.name)


def _error(path: Path) -> ParseError:
    with pytest.raises(ParseError) as error:
        list(open_export(path))
    return error.value


# -- values of named fiches ---------------------------------------------------------------------
def test_fiches_come_in_standard_order(fiches):
    assert list(fiches) == ORDER
    for record in fiches.values():
        assert record.raw_format == "csv"
        assert record.digest == hashlib.sha256(record.raw).hexdigest()
        assert set(record.routes) == set(ROUTE_KINDS)


def test_cqp_tourier_exact_values(fiches):
    r = fiches["RNCP19468"]
    assert (r.title, r.register, r.fiche_id) == ("CQP Tourier", "RNCP", 4691)
    assert (r.abbreviation_code, r.abbreviation_label) == ("", "")
    assert r.active is False
    assert r.level is None  # REPRISE
    assert r.level_label.startswith("Sans niveau – le positionnement")
    assert r.end_date == date(2021, 7, 21)
    assert r.last_jo_date == date(2018, 7, 21)
    assert r.decision_date is None and r.effect_date is None
    assert r.registration_type == "Enregistrement sur demande"
    assert r.partial_validation is None
    assert r.accessible_new_caledonia is False and r.accessible_french_polynesia is False
    assert r.idcc == [CodeLabel("3117", "Boulangerie-pâtisserie (Entreprises artisanales)")]
    assert [(c.siret, c.name, c.state) for c in r.certifiers] == [
        ("78466840200018", "CONFEDE. NATIONALE BOULANGERS PATISSIERS", "")
    ]
    assert [(p.siret, p.name, p.habilitation) for p in r.partners] == [
        ("53326535100015", "INSTITUT NATIONAL DE LA BOULANGERIE PATISSERIE - INBP", "HABILITATION_ORGA_FORM")
    ]
    # the VoixdAccès part lists four routes for RNCP19468, "Par candidature individuelle" included
    assert r.routes == {
        "initial": False,
        "apprenticeship": False,
        "continuing": True,
        "professionalisation": True,
        "individual": True,
        "vae": True,
    }
    assert r.rome == [
        CodeLabel("D1102", "Boulangerie - viennoiserie"),
        CodeLabel("D1104", "Pâtisserie, confiserie, chocolaterie et glacerie"),
    ]
    assert r.nsf == [CodeLabel("221", "Agro-alimentaire, alimentation, cuisine")]
    assert r.formacode == [] and r.blocks == []
    assert r.predecessors == [] and r.successors == ["RS6117"]


def test_rs_tourier_exact_values(fiches):
    r = fiches["RS6117"]
    assert (r.title, r.register, r.fiche_id, r.level) == ("CQP Tourier", "RS", 23237, None)
    assert r.active is True and r.partial_validation is False
    assert (r.decision_date, r.end_date) == (date(2022, 9, 29), date(2025, 9, 29))
    assert len(r.partners) == 6
    assert r.partners[0].name == "URMA - CENTRE FORMATION STE CLOTILDE"
    assert r.partners[0].siret == "18974011100035"
    assert [c.siret for c in r.certifiers] == ["78466840200018", "31504294500032"]
    assert r.predecessors == ["RNCP19468"] and r.successors == []
    assert r.formacode == [CodeLabel("21538", "Boulangerie"), CodeLabel("21528", "Pâtisserie")]
    assert r.idcc == [CodeLabel("3117", "Boulangerie-pâtisserie (Entreprises artisanales)")]
    assert [k for k, v in r.routes.items() if v] == ["continuing", "professionalisation", "vae"]


def test_cap_blocks_level_and_all_routes(fiches):
    r = fiches["RNCP509"]
    assert (r.abbreviation_code, r.abbreviation_label) == ("CAP", "Certificat d'aptitude professionnelle")
    assert (r.level, r.level_label, r.active) == (3, "Niveau 3", False)
    assert r.end_date == date(2023, 8, 31)
    assert [b.code for b in r.blocks] == [f"RNCP509BC0{n}" for n in (5, 6, 1, 2, 3, 4)]
    assert r.blocks[1].title == "UG3 : Éducation physique et sportive"
    assert r.routes == dict.fromkeys(ROUTE_KINDS, True)
    assert r.formacode == [CodeLabel("42872", "Sécurité incendie")]
    assert r.nsf == [CodeLabel("251", "Mécanique générale et de précision, usinage")]
    assert r.successors == ["RNCP38228"]


def test_continuity_and_label_quirks(fiches):
    r = fiches["RNCP4049"]
    assert r.predecessors == ["RNCP1197"] and r.successors == ["RNCP22094"]
    assert [c.code for c in r.rome] == ["D1407", "D1406", "H1102"]
    assert r.rome[2].label == "Management et ingénierie d'affaires"  # published with a doubled quote
    assert r.nsf == [CodeLabel("221w", "Commercialisation de produits alimentaires")]
    assert fiches["RNCP22094"].predecessors == ["RNCP4049"]
    blockchain = fiches["RS5000"]
    assert blockchain.title == "Exploiter la blockchain dans le développement d’applications"
    assert [p.siret for p in blockchain.partners] == ["82815245400033", "87920070700013", "48276116000019"]


def test_raw_is_canonical_json_of_the_fiche_rows_grouped_by_part(fiches):
    raw = fiches["RNCP19468"].raw
    grouped = json.loads(raw)
    assert raw == json.dumps(grouped, ensure_ascii=False, sort_keys=True).encode("utf-8")
    assert sorted(grouped) == [
        "Ancienne_Nouvelle_Certification",
        "CCN",
        "Certificateurs",
        "Nsf",
        "Partenaires",
        "Rome",
        "Standard",
        "VoixdAcces",
    ]
    assert grouped["Standard"][0]["Nomenclature_Europe_Niveau"] == "REPRISE"
    assert grouped["Certificateurs"][0]["Siret_Certificateur"] == "\t78466840200018"  # verbatim
    assert [row["Codes_Rome_Code"] for row in grouped["Rome"]] == ["D1102", "D1104"]


def test_progress_size_and_count(rncp_csv_sample):
    seen = []
    assert len(list(open_export(rncp_csv_sample, progress=seen.append))) == 9
    parts_size = sum(p.stat().st_size for p in _parts(rncp_csv_sample))
    assert sum(seen) == export_size(rncp_csv_sample) == parts_size  # the continuity_fix file is not a part
    assert count_hint(rncp_csv_sample) == 9


# -- zip and folder -----------------------------------------------------------------------------
def test_zip_with_nfd_names_gives_the_same_records_as_the_folder(rncp_csv_sample, tmp_path, fiches):
    archive = tmp_path / "export-fiches-csv-2024-02-22.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in _parts(rncp_csv_sample):
            zf.write(part, "export/" + unicodedata.normalize("NFD", part.name))
    assert any(unicodedata.normalize("NFC", n) != n for n in zipfile.ZipFile(archive).namelist())
    seen = []
    assert list(open_export(archive, progress=seen.append)) == list(fiches.values())
    assert sum(seen) == export_size(archive)
    assert count_hint(archive) == 9


def test_part_names_are_matched_by_keyword():
    assert part_of("export_fiches_CSV_VoixdAccès_2024_02_22.csv") == "VoixdAcces"
    assert part_of(unicodedata.normalize("NFD", "EXPORT_FICHES_CSV_Blocs_De_Compétences_2024.csv")) == (
        "Blocs_De_Competences"
    )
    assert part_of("export_fiches_CSV_VoixdAcc├¿s_2024_02_22.csv") == "VoixdAcces"  # cp437-decoded name
    assert part_of("dir/export_fiches_CSV_Standard_2024_02_22.csv") == "Standard"
    assert part_of(FIX) is None
    assert part_of("export_fiches_CSV_Standard_2024_02_22.txt") is None


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Par expérience", "vae"),
        ("Par candidature individuelle", "individual"),
        ("En contrat de professionnalisation", "professionalisation"),
        ("En contrat d’apprentissage", "apprenticeship"),
        ("En contrat d'apprentissage", "apprenticeship"),
        ("Après un parcours de formation continue", "continuing"),
        ("Après un parcours de formation sous statut d’élève ou d’étudiant", "initial"),
        ("Par un chemin inconnu", None),
    ],
)
def test_route_labels(label, kind):
    assert route_of(label) == kind


def test_the_continuity_fix_file_beside_the_parts_is_ignored(rncp_csv_sample, tmp_path):
    folder = _copy(rncp_csv_sample, tmp_path / "export")
    shutil.copy(rncp_csv_sample / FIX, folder / FIX)
    assert next(r for r in open_export(folder) if r.code == "RNCP22094").predecessors == ["RNCP4049"]
    # used in place of the part, its missing RNCP22094 row leaves that fiche without links
    shutil.copy(rncp_csv_sample / FIX, _part(folder, "Ancienne_Nouvelle"))
    fixed = {r.code: r for r in open_export(folder)}
    assert fixed["RNCP22094"].predecessors == [] and fixed["RNCP22094"].successors == []
    assert fixed["RNCP28155"].predecessors == ["RNCP22094"]


def test_only_the_standard_part_is_required(rncp_csv_sample, tmp_path):
    folder = tmp_path / "minimal"
    folder.mkdir()
    shutil.copy(_part(rncp_csv_sample, "Standard"), folder)
    records = list(iter_csv_fiches(folder, name="minimal"))
    assert [r.code for r in records] == ORDER
    assert all(r.partners == [] and not any(r.routes.values()) for r in records)


# -- bad input ----------------------------------------------------------------------------------
def test_missing_standard_part(rncp_csv_sample, tmp_path):
    folder = _copy(rncp_csv_sample, tmp_path / "export")
    _part(folder, "Standard").unlink()
    error = _error(folder)
    assert error.file == "export" and "no Standard part" in str(error)


def test_row_with_a_missing_column_names_file_fiche_and_line(rncp_csv_sample, tmp_path):
    folder = _copy(rncp_csv_sample, tmp_path / "export")
    blocks = _part(folder, "Blocs")
    lines = blocks.read_bytes().split(b"\r\n")
    lines[2] = b'"RNCP509";"RNCP509BC06"'
    blocks.write_bytes(b"\r\n".join(lines))
    error = _error(folder)
    assert (error.file, error.fiche, error.where) == (blocks.name, "RNCP509", "line 3")
    assert str(error) == f"{blocks.name} · fiche RNCP509 · line 3: 2 columns where the header has 3"


def test_unreadable_date_names_file_fiche_line_and_column(rncp_csv_sample, tmp_path):
    folder = _copy(rncp_csv_sample, tmp_path / "export")
    standard = _part(folder, "Standard")
    standard.write_bytes(standard.read_bytes().replace(b'"21/07/2021"', b'"2021-07-21"'))
    error = _error(folder)
    assert (error.file, error.fiche) == (standard.name, "RNCP19468")
    assert error.where == "line 9, column Date_Fin_Enregistrement"
    assert "'2021-07-21' is not a date in the dd/mm/yyyy form" in str(error)


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [(b'"REPRISE"', b'"Niveau IV"', "Nomenclature_Europe_Niveau"), (b'"4691"', b'"x4691"', "Id_Fiche")],
)
def test_unreadable_standard_values(rncp_csv_sample, tmp_path, old, new, column):
    folder = _copy(rncp_csv_sample, tmp_path / "export")
    standard = _part(folder, "Standard")
    standard.write_bytes(standard.read_bytes().replace(old, new))
    error = _error(folder)
    assert (error.fiche, error.where) == ("RNCP19468", f"line 9, column {column}")


def test_a_part_with_the_wrong_header_is_refused(rncp_csv_sample, tmp_path):
    folder = _copy(rncp_csv_sample, tmp_path / "export")
    partners = _part(folder, "Partenaires")
    partners.write_bytes(_part(folder, "Rome").read_bytes())
    error = _error(folder)
    assert error.file == partners.name and error.where == "line 1"
    assert "not the Partenaires part" in str(error) and "nom_partenaire" in str(error)


def test_two_files_for_one_part_are_refused(rncp_csv_sample, tmp_path):
    folder = _copy(rncp_csv_sample, tmp_path / "export")
    shutil.copy(_part(folder, "Rome"), folder / "export_fiches_CSV_Rome_2024_03_01.csv")
    assert "two files for the Rome part" in str(_error(folder))


def test_truncated_zip_is_refused(rncp_csv_sample, tmp_path):
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in _parts(rncp_csv_sample):
            zf.write(part, part.name)
    cut = tmp_path / "export-fiches-csv-2024-02-22-cut.zip"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size - 200])
    error = _error(cut)
    assert error.file == cut.name and "truncated or corrupt" in str(error)


def test_corrupt_zip_member_names_the_member(rncp_csv_sample, tmp_path):
    archive = tmp_path / "export-fiches-csv-crc.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for part in _parts(rncp_csv_sample):
            zf.write(part, part.name)
    data = bytearray(archive.read_bytes())
    spot = data.index(b"INSTITUT NATIONAL DE LA BOULANGERIE")
    data[spot : spot + 8] = b"INSTITUX"
    archive.write_bytes(bytes(data))
    error = _error(archive)
    member = _part(rncp_csv_sample, "Partenaires").name
    assert error.file == f"{archive.name} › {member}"
    assert "corrupt or truncated zip member" in str(error) and "CRC" in str(error)


def test_zip_without_parts_and_single_csv_are_refused(rncp_csv_sample, tmp_path):
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("holiday.txt", "not an export")
        zf.write(rncp_csv_sample / FIX, FIX)
    error = _error(archive)
    assert error.file == "photos.zip" and "neither XML fiches nor export_fiches_CSV_* parts" in str(error)
    single = _part(rncp_csv_sample, "Standard")
    assert "a single CSV part" in str(_error(single))


def test_not_utf8_is_refused_with_the_line(rncp_csv_sample, tmp_path):
    folder = _copy(rncp_csv_sample, tmp_path / "export")
    rome = _part(folder, "Rome")
    rome.write_bytes(rome.read_bytes().decode("utf-8").encode("latin-1"))
    error = _error(folder)
    assert error.file == rome.name and "not UTF-8 text" in str(error) and error.where.startswith("near line ")
