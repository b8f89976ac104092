"""Import services on small files of our own: bad files, atomicity, demo, the command."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cqphub.reference import selectors, services
from cqphub.reference.models import CollectiveAgreement, NsfCode, Opco, OpcoAttachment, RomeCode, RomeJobTitle
from cqphub.reference.parsers import ReferenceFileError

pytestmark = pytest.mark.django_db

IDCC_LIST = 'id,idcc,label\na,0016,Transports routiers\nb,1979,"Hôtels, cafés, restaurants"\n'
OPCO_TABLE = (
    "\ufeffIDCC;Opérateur de compétences;Libellé;obs\n16;OPCO Mobilité;Transports routiers;\n1979;AKTO;HCR;\n"
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_reimport_updates_without_duplicating(tmp_path):
    services.import_idcc(write(tmp_path, "a.csv", IDCC_LIST))
    changed = IDCC_LIST.replace("Transports routiers", "Transports routiers et activités auxiliaires")
    summary = services.import_idcc(write(tmp_path, "a.csv", changed))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    assert CollectiveAgreement.objects.count() == 2
    assert CollectiveAgreement.objects.get(idcc="0016").title.endswith("activités auxiliaires")


def test_a_bad_file_writes_nothing_and_keeps_what_was_there(tmp_path):
    services.import_idcc(write(tmp_path, "good.csv", IDCC_LIST))
    bad = write(tmp_path, "bad.csv", "id,idcc,label\na,0016,Nouveau titre\nb,19x9,HCR\n")
    with pytest.raises(ReferenceFileError) as error:
        services.import_idcc(bad)
    assert str(error.value) == f"{bad}, line 3: IDCC '19x9' is not a number of 1 to 4 digits"
    assert CollectiveAgreement.objects.get(idcc="0016").title == "Transports routiers"


def test_bad_opco_table_writes_no_opco(tmp_path):
    bad = write(tmp_path, "opco.csv", OPCO_TABLE + "2120;;Banque;\n")
    with pytest.raises(ReferenceFileError, match=r"line 4: IDCC 2120 has no OPCO"):
        services.import_opco(bad)
    assert (Opco.objects.count(), OpcoAttachment.objects.count(), CollectiveAgreement.objects.count()) == (
        0,
        0,
        0,
    )


def test_opco_aliases_resolve_to_one_opco(tmp_path):
    services.import_opco(write(tmp_path, "opco.csv", OPCO_TABLE))
    assert selectors.opco_for_idcc("16").short_name == "OPCO Mobilités"
    akto = selectors.opco_for_idcc("1979")
    assert akto.short_name == "AKTO" and akto.name.startswith("OPCO entreprises et salariés")
    assert selectors.opco_for_idcc("9999") is None
    assert selectors.opco_for_idcc("not an idcc") is None


def test_import_all_is_one_transaction(tmp_path):
    write(tmp_path, "download/idcc.csv", IDCC_LIST)
    write(tmp_path, "download/opco.csv", OPCO_TABLE.replace("1979;", "1979x;"))
    with pytest.raises(ReferenceFileError, match="line 3"):
        services.import_all(tmp_path / "download")
    assert CollectiveAgreement.objects.count() == 0  # the IDCC list, imported first, was rolled back


def test_rome_folder_with_an_unknown_code_writes_nothing(tmp_path):
    rome = tmp_path / "RefRomeCsv"
    write(
        rome,
        "unix_referentiel_code_rome_v460_utf8.csv",
        '"code_rome","code_ogr","libelle_rome","code_rome_parent"\n"D1102","1","Boulanger / Boulangère","D1102"\n',
    )
    write(
        rome,
        "unix_referentiel_appellation_v460_utf8.csv",
        '"code_ogr","libelle_appellation_long","libelle_appellation_court","code_rome","classification"\n'
        '"11","Boulanger","Boulanger","D1102","PRINCIPALE"\n"12","Soudeur","Soudeur","H2913","SYNONYME"\n',
    )
    with pytest.raises(ReferenceFileError, match=r"appellation_v460_utf8.csv, line 3: ROME code H2913"):
        services.import_rome(rome)
    assert RomeCode.objects.count() == 0 and RomeJobTitle.objects.count() == 0


def test_rome_without_appellations_warns(tmp_path):
    rome = tmp_path / "rome"
    write(
        rome,
        "unix_referentiel_code_rome_v460_utf8.csv",
        '"code_rome","code_ogr","libelle_rome","code_rome_parent"\n"D1102","1","Boulanger / Boulangère","D1102"\n',
    )
    summary = services.import_rome(rome)
    assert summary.created == 1
    assert summary.warnings == [
        "no appellation file: job titles not imported",
        "no competence file: skills not imported",
    ]


def test_remember_nsf_never_replaces_an_official_label():
    services.import_nsf()
    assert NsfCode.objects.count() == 131
    services.remember_nsf("251", "251 : Mécanique générale (libellé du répertoire)")
    assert NsfCode.objects.get(code="251").label == "Mécanique générale et de précision, usinage"
    learnt = services.remember_nsf("221 W", "221w : Commercialisation de produits alimentaires")
    assert (learnt.code, learnt.label, learnt.official) == (
        "221w",
        "Commercialisation de produits alimentaires",
        False,
    )
    assert services.remember_nsf("not a code", "x") is None
    assert selectors.nsf_label("251w") == "Mécanique générale et de précision, usinage (commercialisation)"


def test_demo_loader_is_idempotent():
    first = services.load_demo_reference()
    assert first["created"] > 0
    assert services.load_demo_reference() == {"created": 0, "updated": 0, "unchanged": first["created"]}
    assert CollectiveAgreement.objects.count() == 20
    assert Opco.objects.count() == 11
    assert {o.short_name for o in Opco.objects.all()} == {
        "AFDAS", "AKTO", "Atlas", "Constructys", "OCAPIAT", "OPCO 2i", "OPCO EP",
        "OPCO Mobilités", "OPCO Santé", "Opcommerce", "Uniformation",
    }  # fmt: skip
    assert all(o.agreement_count >= 1 for o in selectors.opcos())
    assert str(selectors.opco_for_idcc("3248")) == "OPCO 2i"
    assert str(selectors.opco_for_idcc("843")) == "OPCO EP"
    assert str(selectors.opco_for_idcc("1486")) == "Atlas"
    assert RomeCode.objects.count() == 16


def test_demo_does_not_overwrite_real_data(tmp_path):
    services.import_idcc(write(tmp_path, "real.csv", "id,idcc,label\na,3248,Titre réel de la métallurgie\n"))
    services.load_demo_reference()
    assert CollectiveAgreement.objects.get(idcc="3248").title == "Titre réel de la métallurgie"


def test_command_prints_a_summary_and_fails_clearly(tmp_path):
    out = StringIO()
    call_command("reference", "import-idcc", str(write(tmp_path, "idcc.csv", IDCC_LIST)), stdout=out)
    assert "idcc: 2 created, 0 updated, 0 unchanged" in out.getvalue()
    call_command("reference", "import-nsf", stdout=out)
    assert "nsf: 131 created" in out.getvalue()
    bad = write(tmp_path, "bad.csv", "id,idcc,label\na,,Sans IDCC\n")
    with pytest.raises(CommandError, match=r"import failed, nothing written: .*bad.csv, line 2"):
        call_command("reference", "import-idcc", str(bad), stdout=out)
    with pytest.raises(CommandError, match="not a folder"):
        call_command("reference", "import-rome", str(tmp_path / "missing"), stdout=out)
