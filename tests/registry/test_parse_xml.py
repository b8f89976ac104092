"""The XML v4.x parser on the real France compétences fixture (../shared/data/rncp), no database."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from cqphub.registry.parsing import count_hint, export_size, iter_xml_fiches, open_export
from cqphub.registry.records import ROUTE_KINDS, CodeLabel, ParseError, PartnerRecord

CODES = [
    "RNCP34762",
    "RNCP35809",
    "RNCP35625",
    "RNCP35419",
    "RNCP37488",
    "RNCP40344",
    "RNCP36612",
    "RNCP37674",
    "RNCP36490",
    "RNCP35959",
    "RNCP37873",
    "RNCP39568",
]


@pytest.fixture(scope="module")
def fiches(rncp_xml_fixture) -> dict:
    return {r.code: r for r in open_export(rncp_xml_fixture)}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _fixture_text(rncp_xml_fixture: Path) -> str:
    return rncp_xml_fixture.read_text(encoding="utf-8")


def _errors(path: Path) -> ParseError:
    with pytest.raises(ParseError) as error:
        list(open_export(path))
    return error.value


# -- values of named fiches ---------------------------------------------------------------------
def test_every_fiche_in_file_order(fiches):
    assert list(fiches) == CODES
    for record in fiches.values():
        assert record.register == "RNCP"
        assert record.raw_format == "xml"
        assert record.raw.startswith(b"<FICHE>") and record.raw.endswith(b"</FICHE>")
        assert record.digest == hashlib.sha256(record.raw).hexdigest()
        assert etree.fromstring(record.raw).findtext("NUMERO_FICHE") == record.code
        assert set(record.routes) == set(ROUTE_KINDS)


def test_cybersecurite_exact_values(fiches):
    r = fiches["RNCP37488"]
    assert r.title == "Cybersécurité"
    assert r.fiche_id == 23988
    assert (r.abbreviation_code, r.abbreviation_label) == ("CS", "Certificat de spécialisation")
    assert r.state == "Publiée"
    assert r.active is True
    assert (r.level, r.level_label) == (4, "Niveau 4")
    assert r.registration_type == "Enregistrement de droit"
    assert r.effect_date == date(2023, 9, 1)
    assert r.end_date == date(2028, 8, 31)
    assert r.publication_date == date(2023, 4, 20)
    assert r.decision_date is None and r.delivery_deadline is None and r.last_jo_date is None
    assert r.has_partners is False and r.partners == []
    assert r.partial_validation is None  # not published in this fiche
    assert r.accessible_new_caledonia is True and r.accessible_french_polynesia is True
    assert [(b.code, b.title) for b in r.blocks] == [
        ("RNCP37488BC01", "Mise en œuvre de réseaux informatiques"),
        ("RNCP37488BC02", "Cybersécurité"),
    ]
    assert r.blocks[1].skills.startswith("* Communiquer en situation professionnelle (français/anglais)")
    assert r.blocks[0].assessment.startswith("* Scolaires (établissement public ou privé sous contrat)")
    assert len(r.certifiers) == 1
    assert r.certifiers[0].siret == "11004301500012"
    assert r.certifiers[0].name == "MINISTERE DE L'EDUCATION NATIONALE ET DE LA JEUNESSE"
    assert (r.certifiers[0].state, r.certifiers[0].state_changed_on) == ("Actif", date(2023, 5, 1))
    assert r.routes == dict.fromkeys(ROUTE_KINDS, True)
    assert r.jury_compositions["vae"].startswith("Le jury est composé à parité :")
    assert [c.code for c in r.rome] == ["M1810", "M1802", "M1801"]
    assert r.nsf == [CodeLabel("326", "Informatique, traitement de l'information, réseaux de transmission")]
    assert r.formacode == [CodeLabel("31045", "Cybersécurité")]
    assert r.predecessors == [] and r.successors == [] and r.idcc == []
    assert r.activities.startswith("Les principales activités sont :")
    assert r.publications[1] == {
        "kind": "general",
        "title": "Décret n° 2023-824 du 25 août 2023 remplaçant l'intitulé du diplôme « mention "
        "complémentaire » par l'intitulé « certificat de spécialisation »",
        "date": "2023-08-27",
    }
    assert [p["kind"] for p in r.publications] == ["general", "general", "creation", "autre"]


def test_developpeur_web_partners_routes_and_continuity(fiches):
    r = fiches["RNCP37674"]
    assert r.title == "Développeur web et web mobile"
    assert (r.abbreviation_code, r.level, r.active) == ("TP", 5, True)
    assert r.end_date == date(2028, 9, 1)
    assert r.has_partners is True
    assert len(r.partners) == 471
    assert r.partners[1] == PartnerRecord(
        siret="75404770200057",
        name="3W ACADEMY",
        habilitation="HABILITATION_ORGA_FORM",
        state="Actif",
        state_changed_on=date(2026, 8, 14),
        active_since=None,
    )
    assert all(p.siret.isdigit() and len(p.siret) == 14 for p in r.partners)
    assert r.routes == {
        "initial": False,
        "apprenticeship": True,
        "continuing": True,
        "professionalisation": True,
        "individual": False,
        "vae": True,
    }
    assert set(r.jury_compositions) == {"apprenticeship", "continuing", "professionalisation", "vae"}
    assert r.predecessors == ["RNCP31114"] and r.successors == []
    assert r.promotion_stats == [
        {
            "year": 2021,
            "certified": 3899,
            "certified_vae": 0,
            "insertion_rate_6_months": 60,
            "job_insertion_rate_2_years": 83,
        }
    ]
    assert r.correspondences[1] == {
        "source": {"code": "", "blocks": ["RNCP37674BC01"]},
        "destination": {"code": "RNCP31114", "blocks": ["RNCP31114BC01"]},
    }
    assert r.regulations == "Sans objet"


def test_partner_active_since_and_continuity_both_ways(fiches):
    iscod = next(p for p in fiches["RNCP35419"].partners if p.name == "ISCOD")
    assert iscod.siret == "88877726500016"
    assert iscod.active_since == date(2023, 4, 12) and iscod.state_changed_on == date(2023, 4, 12)
    old = fiches["RNCP34762"]
    assert (old.title, old.abbreviation_code, old.level, old.active) == (
        "Programme Grande Ecole – Diplôme d’études supérieures en management",
        "DipViGrM",
        7,
        False,
    )
    assert old.predecessors == ["RNCP24998"] and old.successors == ["RNCP39568"]
    assert fiches["RNCP39568"].predecessors == ["RNCP34762"]
    assert old.url == "https://www.grenoble-em.com/programme-grande-ecole"


def test_progress_reports_every_byte(rncp_xml_fixture):
    seen = []
    records = list(open_export(rncp_xml_fixture, progress=seen.append))
    assert len(records) == 12
    assert sum(seen) == export_size(rncp_xml_fixture) == rncp_xml_fixture.stat().st_size
    assert count_hint(rncp_xml_fixture) is None  # XML: no cheap count, use the byte size


# -- zip ----------------------------------------------------------------------------------------
def test_xml_read_from_a_zip_gives_the_same_records(rncp_xml_fixture, tmp_path, fiches):
    archive = tmp_path / "export-fiches-rncp-v4-1-2026-08-16.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(rncp_xml_fixture, "export_fiches_RNCP_V4_1_2026-08-16.xml")
    seen = []
    assert list(open_export(archive, progress=seen.append)) == list(fiches.values())
    assert sum(seen) == export_size(archive) == rncp_xml_fixture.stat().st_size


def test_a_zip_with_two_xml_files_streams_both(rncp_xml_fixture, tmp_path):
    rs = _fixture_text(rncp_xml_fixture).replace("<NUMERO_FICHE>RNCP37488<", "<NUMERO_FICHE>RS7488<")
    archive = tmp_path / "both.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(rncp_xml_fixture, "export_fiches_RNCP.xml")
        zf.writestr("export_fiches_RS.xml", rs)
    records = list(open_export(archive))
    assert len(records) == 24
    assert [r.register for r in records if r.code == "RS7488"] == ["RS"]


# -- tolerance ----------------------------------------------------------------------------------
def test_unknown_elements_are_accepted_and_kept_in_raw(rncp_xml_fixture, tmp_path, fiches):
    edited = _fixture_text(rncp_xml_fixture).replace(
        "<INTITULE>Cybersécurité</INTITULE>",
        "<INTITULE>Cybersécurité</INTITULE><NOUVEL_ELEMENT_2027><X>valeur future</X></NOUVEL_ELEMENT_2027>",
    )
    path = _write(
        tmp_path, "export-fiches-rncp-v4-2-new.xml", edited.replace("<VERSION_FLUX>4.1", "<VERSION_FLUX>4.2")
    )
    record = next(r for r in open_export(path) if r.code == "RNCP37488")
    assert b"<NOUVEL_ELEMENT_2027><X>valeur future</X></NOUVEL_ELEMENT_2027>" in record.raw
    assert record.digest != fiches["RNCP37488"].digest
    assert record.title == "Cybersécurité" and record.blocks == fiches["RNCP37488"].blocks


SYNTHETIC = """<?xml version="1.0" encoding="UTF-8"?>
<FICHES><VERSION_FLUX>4.1</VERSION_FLUX>
<FICHE>
  <ID_FICHE>99</ID_FICHE><NUMERO_FICHE> RS9999 </NUMERO_FICHE>
  <INTITULE>  CQP Tourier  </INTITULE>
  <NOMENCLATURE_EUROPE><NIVEAU>REPRISE</NIVEAU><LIBELLE>Sans niveau</LIBELLE></NOMENCLATURE_EUROPE>
  <VALIDATION_PARTIELLE>Oui</VALIDATION_PARTIELLE>
  <DUREE_ENREGISTREMENT>5</DUREE_ENREGISTREMENT>
  <DATE_LIMITE_DELIVRANCE>31/12/2030</DATE_LIMITE_DELIVRANCE>
  <DATE_DERNIER_JO>04/10/2016</DATE_DERNIER_JO>
  <DATE_DECISION>28/03/2025</DATE_DECISION>
  <CCN_1><NUMERO>3117</NUMERO><LIBELLE>Boulangerie-pâtisserie (Entreprises artisanales)</LIBELLE></CCN_1>
  <CCN_2><NUMERO>843</NUMERO><LIBELLE>Boulangerie-pâtisserie</LIBELLE></CCN_2>
  <CODES_IDCC><IDCC><CODE>3117</CODE><LIBELLE>doublon</LIBELLE></IDCC><IDCC><CODE>1747</CODE><LIBELLE>Activités industrielles de boulangerie</LIBELLE></IDCC></CODES_IDCC>
  <CERTIFICATEURS><CERTIFICATEUR><SIRET_CERTIFICATEUR>\t784 668 402 00018</SIRET_CERTIFICATEUR><NOM_CERTIFICATEUR>CNBP</NOM_CERTIFICATEUR></CERTIFICATEUR></CERTIFICATEURS>
  <SI_JURY_VAE>Oui</SI_JURY_VAE><JURY_VAE>Jury paritaire</JURY_VAE>
  <SI_JURY_CQ><ACTIF>Oui</ACTIF></SI_JURY_CQ>
  <STATISTIQUES_PROMOTIONS><STATISTIQUES_PROMOTION><ANNEE>2022</ANNEE><TAUX_INSERTION_GLOBAL_6MOIS>81,5</TAUX_INSERTION_GLOBAL_6MOIS><NOMBRE_CERTIFIES></NOMBRE_CERTIFIES></STATISTIQUES_PROMOTION></STATISTIQUES_PROMOTIONS>
  <!-- a comment -->
  <ACTIF>Oui</ACTIF>
</FICHE>
</FICHES>
"""


def test_values_the_fixture_lacks(tmp_path):
    path = _write(tmp_path, "export-fiches-rs-v4-1-synthetic.xml", SYNTHETIC)
    (r,) = open_export(path)
    assert (r.code, r.register, r.fiche_id, r.title) == ("RS9999", "RS", 99, "CQP Tourier")
    assert (r.level, r.level_label) == (None, "Sans niveau")
    assert r.partial_validation is True and r.active is True and r.has_partners is None
    assert r.duration == "5"
    assert (r.delivery_deadline, r.last_jo_date, r.decision_date) == (
        date(2030, 12, 31),
        date(2016, 10, 4),
        date(2025, 3, 28),
    )
    assert r.idcc == [
        CodeLabel("3117", "Boulangerie-pâtisserie (Entreprises artisanales)"),
        CodeLabel("0843", "Boulangerie-pâtisserie"),
        CodeLabel("1747", "Activités industrielles de boulangerie"),
    ]
    assert r.certifiers[0].siret == "78466840200018"
    assert (
        r.routes["vae"] is True and r.routes["professionalisation"] is True and r.routes["initial"] is False
    )
    assert r.jury_compositions == {"vae": "Jury paritaire"}
    assert r.promotion_stats == [{"year": 2022, "insertion_rate_6_months": 81.5, "certified": None}]


@pytest.mark.parametrize("value", ["NIV0", "", "AUCUN", "REPRISE"])
def test_no_level_values(tmp_path, value):
    text = SYNTHETIC.replace("<NIVEAU>REPRISE</NIVEAU>", f"<NIVEAU>{value}</NIVEAU>")
    (r,) = open_export(_write(tmp_path, "export-fiches-rs-v4-1-level.xml", text))
    assert r.level is None


def test_a_file_without_fiches_is_empty(tmp_path):
    path = _write(
        tmp_path, "export-fiches-rs-v4-1-empty.xml", "<FICHES><VERSION_FLUX>4.1</VERSION_FLUX></FICHES>"
    )
    assert list(open_export(path)) == []


# -- bad input ----------------------------------------------------------------------------------
def test_malformed_xml_names_file_fiche_and_line(rncp_xml_fixture, tmp_path):
    text = _fixture_text(rncp_xml_fixture)
    cut = text.index("<NOM_PARTENAIRE>3W ACADEMY</NOM_PARTENAIRE>")  # mid RNCP37674
    path = _write(tmp_path, "export-fiches-rncp-v4-1-truncated.xml", text[:cut])
    error = _errors(path)
    assert error.file == path.name and error.fiche == "RNCP37674"
    assert error.where == f"line {text[:cut].count(chr(10)) + 1}"
    assert "malformed XML" in str(error) and "last complete fiche: RNCP36612" in str(error)
    assert path.name in str(error) and "RNCP37674" in str(error) and "line " in str(error)


def test_malformed_xml_streams_the_fiches_before_the_error(rncp_xml_fixture, tmp_path):
    text = _fixture_text(rncp_xml_fixture)
    path = _write(tmp_path, "cut.xml", text[: text.index("<NUMERO_FICHE>RNCP37674")])
    read = []
    with pytest.raises(ParseError, match="last complete fiche: RNCP36612"):
        for record in iter_xml_fiches(path, name=path.name):
            read.append(record.code)
    assert read == CODES[:7]


def test_wrong_root_is_refused(tmp_path):
    path = _write(
        tmp_path, "export-fiches-rncp-v4-1-wrong.xml", "<?xml version='1.0'?><CATALOGUE><ITEM/></CATALOGUE>"
    )
    error = _errors(path)
    assert error.file == path.name
    assert "root element is <CATALOGUE>, expected <FICHES>" in str(error)


def test_text_file_renamed_xml_is_refused(tmp_path):
    path = _write(tmp_path, "export-fiches-rncp-v4-1-notxml.xml", "Numero_Fiche;Intitule\nRNCP1;Test\n")
    error = _errors(path)
    assert path.name in str(error) and "not an XML file" in str(error)


def test_empty_file_is_refused(tmp_path):
    path = _write(tmp_path, "empty.xml", "")
    assert "empty file" in str(_errors(path))


def test_other_major_version_is_refused(rncp_xml_fixture, tmp_path):
    text = _fixture_text(rncp_xml_fixture).replace(
        "<VERSION_FLUX>4.1</VERSION_FLUX>", "<VERSION_FLUX>5.0</VERSION_FLUX>"
    )
    error = _errors(_write(tmp_path, "export-fiches-rncp-v5-0.xml", text))
    assert "VERSION_FLUX is 5.0: only the XML export v4.x is supported" in str(error)
    missing = _fixture_text(rncp_xml_fixture).replace("<VERSION_FLUX>4.1</VERSION_FLUX>", "")
    assert "no VERSION_FLUX" in str(_errors(_write(tmp_path, "noversion.xml", missing)))


def test_bad_date_names_file_fiche_and_element(rncp_xml_fixture, tmp_path):
    text = _fixture_text(rncp_xml_fixture).replace(
        "<DATE_FIN_ENREGISTREMENT>31/08/2028</DATE_FIN_ENREGISTREMENT>",
        "<DATE_FIN_ENREGISTREMENT>31 août 2028</DATE_FIN_ENREGISTREMENT>",
        1,
    )
    path = _write(tmp_path, "export-fiches-rncp-v4-1-baddate.xml", text)
    error = _errors(path)
    assert (error.file, error.fiche, error.where) == (path.name, "RNCP37488", "DATE_FIN_ENREGISTREMENT")
    assert str(error) == (
        f"{path.name} · fiche RNCP37488 · DATE_FIN_ENREGISTREMENT: "
        "'31 août 2028' is not a date in the dd/mm/yyyy form"
    )


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("<ID_FICHE>23988</ID_FICHE>", "<ID_FICHE>23988a</ID_FICHE>", "ID_FICHE"),
        ("<NIVEAU>NIV4</NIVEAU>", "<NIVEAU>Bac+2</NIVEAU>", "NOMENCLATURE_EUROPE/NIVEAU"),
        ("<ACTIF>Oui</ACTIF>", "<ACTIF>Peut-être</ACTIF>", "SI_JURY_FI/ACTIF"),
        ("<ACTIF>Oui</ACTIF>\n    <DATE_DE", "<ACTIF>Peut-être</ACTIF>\n    <DATE_DE", "ACTIF"),
        ("<DATE_EFFET>01/09/2023</DATE_EFFET>", "<DATE_EFFET>31/02/2023</DATE_EFFET>", "DATE_EFFET"),
        (
            "<DATE_DERNIERE_MODIFICATION_ETAT>01/05/2023</DATE_DERNIERE_MODIFICATION_ETAT>",
            "<DATE_DERNIERE_MODIFICATION_ETAT>2023-05-01</DATE_DERNIERE_MODIFICATION_ETAT>",
            "CERTIFICATEURS/CERTIFICATEUR[1]/DATE_DERNIERE_MODIFICATION_ETAT",
        ),
    ],
)
def test_unreadable_values_name_the_element(rncp_xml_fixture, tmp_path, old, new, where):
    text = _fixture_text(rncp_xml_fixture)
    start = text.index("<NUMERO_FICHE>RNCP37488</NUMERO_FICHE>")
    end = text.index("</FICHE>", start) + len("</FICHE>")
    fiche = text[text.rindex("<FICHE>", 0, start) : end]
    assert old in fiche
    path = _write(tmp_path, "bad.xml", text.replace(fiche, fiche.replace(old, new, 1)))
    error = _errors(path)
    assert (error.file, error.fiche, error.where) == ("bad.xml", "RNCP37488", where)


def test_bad_partner_date_names_the_partner(rncp_xml_fixture, tmp_path):
    text = _fixture_text(rncp_xml_fixture).replace(
        "<DATE_ACTIF>12/04/2023</DATE_ACTIF>", "<DATE_ACTIF>12/13/2023</DATE_ACTIF>", 1
    )
    error = _errors(_write(tmp_path, "bad.xml", text))
    assert error.fiche == "RNCP35419" and error.where == "PARTENAIRES/PARTENAIRE[2]/DATE_ACTIF"


def test_truncated_zip_is_refused(rncp_xml_fixture, tmp_path):
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(rncp_xml_fixture, "export-fiches-rncp-v4-1.xml")
    cut = tmp_path / "export-fiches-rncp-v4-1-cut.zip"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    error = _errors(cut)
    assert error.file == cut.name and "truncated or corrupt" in str(error)


def test_corrupt_zip_member_is_refused_mid_stream(rncp_xml_fixture, tmp_path):
    archive = tmp_path / "export-fiches-rncp-v4-1-crc.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        zf.write(rncp_xml_fixture, "export-fiches-rncp-v4-1.xml")
    data = bytearray(archive.read_bytes())
    spot = data.index(b"<NOM_PARTENAIRE>3W ACADEMY")  # inside RNCP37674: its text changes, not its shape
    data[spot + 16 : spot + 18] = b"4X"
    archive.write_bytes(bytes(data))
    error = _errors(archive)
    assert error.file == f"{archive.name} › export-fiches-rncp-v4-1.xml"
    assert "corrupt" in str(error) and "CRC" in str(error)


def test_zip_with_unrelated_content_is_refused(tmp_path):
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("holiday.txt", "not an export")
    error = _errors(archive)
    assert error.file == archive.name and "not a France compétences export" in str(error)


@pytest.mark.parametrize("name", ["notes.txt", "export.json"])
def test_other_files_are_refused(tmp_path, name):
    path = _write(tmp_path, name, "{}")
    assert "not a France compétences export" in str(_errors(path))


# -- streaming ----------------------------------------------------------------------------------
COPIES = 5000


@pytest.fixture(scope="module")
def large_xml(rncp_xml_fixture, tmp_path_factory) -> Path:
    """~60 MB: 5,000 copies of the real RNCP37488 fiche (12 KB each), codes made unique."""
    text = _fixture_text(rncp_xml_fixture)
    start = text.index("<NUMERO_FICHE>RNCP37488</NUMERO_FICHE>")
    fiche = text[text.rindex("<FICHE>", 0, start) : text.index("</FICHE>", start) + len("</FICHE>")]
    head, tail = fiche.split("RNCP37488", 1)
    path = tmp_path_factory.mktemp("large") / "export-fiches-rncp-v4-1-large.xml"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<FICHES>\n<VERSION_FLUX>4.1</VERSION_FLUX>\n')
        for i in range(COPIES):
            fh.write(f"{head}RNCP{900000 + i}{tail}\n")
        fh.write("</FICHES>\n")
    return path


def test_parser_streams_a_large_file_in_bounded_python_memory(large_xml):
    size = large_xml.stat().st_size
    assert size > 50_000_000
    tracemalloc.start()
    try:
        count = sum(1 for _ in open_export(large_xml))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == COPIES
    assert peak < size / 50, f"peak {peak} bytes for a {size} byte file"


def test_parser_streams_a_large_file_in_bounded_process_memory(large_xml):
    """tracemalloc does not see libxml2's own allocations: measure the whole process instead."""
    script = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from cqphub.registry.parsing import open_export\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "n = sum(1 for _ in open_export(Path(sys.argv[1])))\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(n, (after - before) * 1024)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(large_xml)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    count, growth = map(int, out.stdout.split())
    assert count == COPIES
    assert growth < large_xml.stat().st_size / 5, f"RSS grew by {growth} bytes"


def test_known_content_yields_partial_records_without_building_them(rncp_xml_fixture):
    from cqphub.registry.parsing import open_export

    full = {r.code: r for r in open_export(rncp_xml_fixture)}
    known = {code: r.digest for code, r in full.items() if code != "RNCP37488"}
    again = {r.code: r for r in open_export(rncp_xml_fixture, known=lambda c, d: known.get(c) == d)}
    assert again["RNCP37488"].partial is False and again["RNCP37488"].title == "Cybersécurité"
    skipped = again["RNCP37674"]
    assert skipped.partial is True
    assert (skipped.digest, skipped.register, skipped.title, skipped.partners) == (
        full["RNCP37674"].digest,
        "RNCP",
        "",
        [],
    )
