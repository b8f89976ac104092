"""Elements the parser used to skip, read now; anything still unknown is listed by name."""

from __future__ import annotations

import pytest

from cqphub.registry.parsing import iter_xml_fiches

pytestmark = pytest.mark.shared


def fiches(path):
    return {r.code: r for r in iter_xml_fiches(path, name=path.name)}


def test_the_real_fixture_has_nothing_unknown(rncp_xml_fixture):
    records = fiches(rncp_xml_fixture)
    assert all(not r.unknown_elements for r in records.values())
    years = {code: r.promotion_years for code, r in records.items() if r.promotion_years}
    assert years  # ANNEES_PROMOTIONS_NIVEAU, skipped before


def test_published_elements_skipped_before_are_read(rncp_xml_fixture, tmp_path):
    text = rncp_xml_fixture.read_text(encoding="utf-8")
    text = text.replace(
        "<INTITULE>Cybersécurité</INTITULE>",
        "<INTITULE>Cybersécurité</INTITULE>"
        "<PREREQUIS_VALIDATION_CERTIFICATION>Être titulaire du permis B</PREREQUIS_VALIDATION_CERTIFICATION>"
        "<NIVEAU_MAITRISE_COMPETENCES>Autonomie complète</NIVEAU_MAITRISE_COMPETENCES>"
        "<MODALITES_RENOUVELLEMENT>Tous les 5 ans</MODALITES_RENOUVELLEMENT>"
        "<DUREE_VALIDITE>5 ans</DUREE_VALIDITE>"
        "<ELEMENT_DE_2027>x</ELEMENT_DE_2027>",
        1,
    )
    start = text.index("<NUMERO_FICHE>RNCP37488</NUMERO_FICHE>")
    certifier = text.index("</NOM_CERTIFICATEUR>", start)
    text = (
        text[:certifier]
        + "</NOM_CERTIFICATEUR><SITE_INTERNET>https://example.org</SITE_INTERNET>"
        + text[certifier + len("</NOM_CERTIFICATEUR>") :]
    )
    jury = text.index("<SI_JURY_VAE>", start)
    text = (
        text[: jury + len("<SI_JURY_VAE>")]
        + "<DATE_DERNIERE_MODIFICATION>02/03/2025</DATE_DERNIERE_MODIFICATION>"
        + text[jury + len("<SI_JURY_VAE>") :]
    )
    path = tmp_path / "export-fiches-rncp-v4-1-2026-09-01.xml"
    path.write_text(text, encoding="utf-8")
    record = fiches(path)["RNCP37488"]
    assert record.validation_prerequisites == "Être titulaire du permis B"
    assert record.skill_mastery_level == "Autonomie complète"
    assert (record.renewal_terms, record.validity_duration) == ("Tous les 5 ans", "5 ans")
    assert record.certifiers[0].website == "https://example.org"
    assert record.jury_dates == {"vae": "2025-03-02"}
    assert record.unknown_elements == ["ELEMENT_DE_2027"]
