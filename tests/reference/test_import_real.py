"""Importing the real public files of ../shared/data: exact figures."""

import pytest

from cqphub.reference import selectors, services
from cqphub.reference.models import (
    CollectiveAgreement,
    CpneReference,
    Formacode,
    NsfCode,
    Opco,
    OpcoAttachment,
    RomeCode,
    RomeJobTitle,
    RomeSkill,
)

pytestmark = [pytest.mark.django_db, pytest.mark.shared]


@pytest.fixture
def idcc_dir(shared_data):
    return shared_data / "idcc_opco"


def test_reva_idcc_lists(idcc_dir):
    first = services.import_idcc(idcc_dir / "reva_candidacy-convention-collective-v1.csv")
    assert (first.created, first.updated, first.unchanged) == (731, 0, 0)
    again = services.import_idcc(idcc_dir / "reva_candidacy-convention-collective-v1.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 731)
    newer = services.import_idcc(idcc_dir / "reva_candidacy-convention-collective-v2.csv")
    assert newer.created == 7  # v2 has 610 agreements, 7 of them not in v1
    assert CollectiveAgreement.objects.count() == 738
    assert (
        CollectiveAgreement.objects.get(idcc="3248").title
        == "Convention collective nationale de la métallurgie"
    )
    assert CollectiveAgreement.objects.get(idcc="0016").title.startswith(
        "Convention collective nationale des transports"
    )


def test_kali_list_format(idcc_dir):
    summary = services.import_idcc(idcc_dir / "kali_liste_conventions_format_sample.csv")
    assert (summary.created, summary.skipped) == (1, 1)  # the independent text (TI) has no IDCC
    metallurgie = CollectiveAgreement.objects.get(idcc="3248")
    assert metallurgie.kali_id == "KALICONT000046993250"
    assert metallurgie.active is True
    assert metallurgie.title.startswith("Convention collective nationale de la métallurgie du 7 février 2022")


def test_idcc_opco_table_2020(idcc_dir):
    summary = services.import_opco(idcc_dir / "referentielCodesIdccOpco_2020.csv")
    assert (summary.created, summary.updated, summary.unchanged, summary.skipped) == (330, 0, 0, 3)
    assert len(summary.warnings) == 3 and "line 332" in summary.warnings[0]  # "N.A." métallurgie accord
    assert Opco.objects.count() == 11
    assert OpcoAttachment.objects.count() == 330
    assert CollectiveAgreement.objects.count() == 330
    counts = {o.short_name: o.agreement_count for o in selectors.opcos()}
    assert counts == {
        "AFDAS": 46,
        "AKTO": 30,
        "Atlas": 20,
        "Constructys": 9,
        "OCAPIAT": 48,
        "OPCO 2i": 43,
        "OPCO EP": 54,
        "OPCO Mobilités": 22,
        "OPCO Santé": 9,
        "Opcommerce": 21,
        "Uniformation": 28,
    }
    expected = {
        "843": "OPCO EP",  # boulangerie-pâtisserie artisanale
        "1979": "AKTO",  # hôtels, cafés, restaurants
        "16": "OPCO Mobilités",
        "01486": "Atlas",  # Syntec, written with 5 digits
        "2264": "OPCO Santé",
        "0044": "OPCO 2i",
        "2216": "Opcommerce",
        "1597": "Constructys",
        "3043": "AKTO",
    }
    assert {idcc: str(selectors.opco_for_idcc(idcc)) for idcc in expected} == expected
    assert selectors.opco_for_idcc(1486).short_name == "Atlas"
    # the 2020 table predates the 2022 métallurgie agreement (IDCC 3248) and has no IDCC 3117
    assert selectors.opco_for_idcc("3248") is None
    assert selectors.opco_for_idcc("3117") is None

    again = services.import_opco(idcc_dir / "referentielCodesIdccOpco_2020.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 330)
    assert OpcoAttachment.objects.count() == 330


def test_opco_import_keeps_titles_of_the_idcc_list(idcc_dir):
    services.import_idcc(idcc_dir / "reva_candidacy-convention-collective-v2.csv")
    before = CollectiveAgreement.objects.get(idcc="0843").title
    services.import_opco(idcc_dir / "referentielCodesIdccOpco_2020.csv")
    assert CollectiveAgreement.objects.get(idcc="0843").title == before


def test_cpne_lists(idcc_dir):
    services.import_idcc(idcc_dir / "reva_candidacy-convention-collective-v1.csv")
    summary = services.import_cpne(idcc_dir / "npec_2019-10_cpne_idcc.csv")
    assert summary.created == 229
    assert CpneReference.objects.filter(idcc_list=[]).count() == 43  # "NA"
    btp = CpneReference.objects.get(code="9")
    assert btp.name == "CPNE conjointes du bâtiment et des travaux publics"
    assert len(btp.idcc_list) == 20 and "1597" in btp.idcc_list and "0627" in btp.idcc_list
    assert btp.agreements.filter(idcc="1597").exists()
    assert list(selectors.cpnes_for_idcc("1597").values_list("code", flat=True)) == ["9"]

    newer = services.import_cpne(idcc_dir / "npec_2024-07-15_cpne_list.csv")  # names only
    assert newer.created == 6
    assert CpneReference.objects.count() == 235
    btp.refresh_from_db()
    assert len(btp.idcc_list) == 20  # a list without IDCCs keeps the known ones


def test_rome_v460(shared_data):
    folder = shared_data / "rome" / "rome_v460"
    summary = services.import_rome(folder)
    assert summary.details == {"ROME codes": 1584, "job titles": 13120, "skills": 18317}
    assert summary.created == 1584 + 13120 + 18317
    assert summary.warnings == [
        "no unix_liens_rome_referentiels file: skills imported without their ROME code"
    ]
    assert RomeCode.objects.count() == 1584
    assert RomeCode.objects.exclude(parent_code="").count() == 1052
    assert RomeCode.objects.get(code="D1102").title == "Boulanger / Boulangère"
    assert RomeCode.objects.get(code="D1108").parent_code == "D1102"
    assert RomeJobTitle.objects.count() == 13120
    assert RomeJobTitle.objects.filter(principal=True).count() == 1584
    assert RomeJobTitle.objects.get(code_ogr="10200").rome.code == "F1402"
    assert RomeSkill.objects.count() == 18317
    assert RomeSkill.objects.filter(rome__isnull=False).count() == 0
    assert RomeSkill.objects.filter(kind="Macro-compétence").count() == 507
    assert [r.code for r in selectors.search_rome("boulangere")] == ["D1102", "D1108"]

    again = services.import_rome(folder)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1584 + 13120 + 18317)


def test_formacode_v14_and_v13(shared_data):
    v14 = services.import_formacode(shared_data / "formacode" / "formacodes-v14.csv.xz")
    v13 = services.import_formacode(shared_data / "formacode" / "formacodes-v13.csv")
    assert (v14.kind, v14.created, v13.kind, v13.created) == ("formacode v14", 2775, "formacode v13", 2632)
    term = Formacode.objects.get(code="15061", version="14")
    assert (term.label, term.parent_code) == ("Accompagnement vers emploi", "15054")
    assert term.domain == "150 DEVELOPPEMENT PROFESSIONNEL ET PERSONNEL"
    assert Formacode.objects.get(code="15070", version="13").parent_code == "15061"
    again = services.import_formacode(shared_data / "formacode" / "formacodes-v14.csv.xz")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2775)


def test_nsf_codes_learnt_from_a_registry_export(shared_data):
    services.import_nsf()
    registry_table = next((shared_data / "rncp" / "fc_csv_export_2024-02-22_sample").glob("*Nsf*.csv"))
    summary = services.import_nsf(registry_table)
    assert (summary.created, summary.unchanged) == (2, 3)
    learnt = NsfCode.objects.get(code="221w")
    assert (learnt.label, learnt.level, learnt.parent_code, learnt.official) == (
        "Commercialisation de produits alimentaires",
        "subgroup",
        "221",
        False,
    )
    # the official label is kept, not the registry's wording
    assert NsfCode.objects.get(code="326").label.endswith("réseau de transmission des données")


def test_import_all_of_the_shared_folder_is_idempotent(shared_data):
    first = services.import_all(shared_data)
    kinds = [s.kind for s in first]
    assert kinds == ["idcc", "opco", "cpne", "nsf", "rome", "formacode v13", "formacode v14"]
    assert first[0].created == 738 and first[2].created == 235 and first[3].created == 131
    second = services.import_all(shared_data)
    assert all((s.created, s.updated) == (0, 0) for s in second), [str(s) for s in second]
    # KALI's list comes last among the IDCC lists: it is the official one
    assert CollectiveAgreement.objects.get(idcc="3248").kali_id == "KALICONT000046993250"
