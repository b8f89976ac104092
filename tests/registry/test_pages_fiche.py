"""The certification page on real fiches: status from the dates, banners, the summary box, every
published section, labels instead of codes, long texts as lists."""

from __future__ import annotations

import html as html_module
import re
from datetime import date

import pytest
from django.urls import reverse

from cqphub.registry.importer import import_paths
from cqphub.registry.models import Certification
from tests.factories.registry import XML_FIXTURE_DATE

pytestmark = [pytest.mark.django_db, pytest.mark.shared]


@pytest.fixture
def registry(rncp_xml_fixture, rncp_csv_sample):
    import_paths([rncp_csv_sample])
    import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE, allow_mass_withdrawal=True)


def page(client, code: str) -> str:
    response = client.get(reverse("registry:detail", args=[code]))
    assert response.status_code == 200
    text = html_module.unescape(response.content.decode()).replace("\u202f", " ").replace("\xa0", " ")
    return re.sub(r"\s+", " ", text)


def test_a_fiche_past_its_end_date_is_never_said_to_be_delivered(client, registry):
    html = page(client, "RNCP35809")  # ACTIF "Oui" in the export, but registered until 31/08/2026
    assert "Certification échue" in html and "31 août 2026" in html
    assert "peut être préparée et délivrée" not in html and "en vigueur" not in html.lower().split("</h1>")[0]
    assert "Non : la fiche n'est plus en vigueur." in html  # CPF in the summary box


def test_an_active_fiche_says_so_with_its_summary_and_call_to_action(client, registry):
    html = page(client, "RNCP37488")  # registered until 31/08/2028
    assert "Certification échue" not in html
    assert "En vigueur : la certification peut être préparée et délivrée." in html
    summary = html[html.index('id="summary-title"') : html.index('aria-labelledby="what-title"')]
    level = Certification.objects.get(code="RNCP37488").level
    for words in (f"Niveau {level}", "RNCP", "Contrat d'apprentissage", "CPF", "VAE", "Qui la délivre"):
        assert words in summary, words
    assert reverse("orientation:start") + "?code=RNCP37488" in summary
    assert "export de France compétences du 16 août 2026" in html


def test_an_expired_fiche_opens_with_its_successor(client, registry):
    html = page(client, "RNCP19468")  # CQP Tourier (CSV sample): ended 21/07/2021, continued as RS6117
    banners = html[html.index('class="fiche-banners"') : html.index('id="summary-title"')]
    assert "Certification échue" in banners and "21 juillet 2021" in banners
    assert "Remplacée par" in banners and "RS6117 — CQP Tourier" in banners
    assert "Enregistrée du 29 septembre 2022 au 29 septembre 2025" in banners
    assert 'href="' + reverse("registry:detail", args=["RS6117"]) + '"' in banners


def test_a_fiche_the_latest_export_no_longer_holds_says_so(client, registry, rncp_xml_fixture, tmp_path):
    text = rncp_xml_fixture.read_text(encoding="utf-8")
    start = text.index("<NUMERO_FICHE>RNCP36612</NUMERO_FICHE>")
    fiche_start, fiche_end = text.rindex("<FICHE>", 0, start), text.index("</FICHE>", start) + len("</FICHE>")
    newer = tmp_path / "export-fiches-rncp-v4-1-2026-09-01.xml"
    newer.write_text(text[:fiche_start] + text[fiche_end:], encoding="utf-8")
    import_paths([newer], allow_mass_withdrawal=True)
    html = page(client, "RNCP36612")
    assert "Retirée de l'export" in html and "ne contient plus cette fiche" in html
    assert "Non : la fiche n'est plus en vigueur." in html


def test_every_published_section_is_shown_with_labels_not_codes(client, registry):
    html = page(client, "RNCP36612")
    assert "CCI FRANCE" in html and "certificateur inactif" in html  # ETAT_CERTIFICATEUR Inactif
    assert "préparer à la certification et organiser l'évaluation" in html
    assert "HABILITATION_ORGA_FORM" not in html and "HABILITATION_FORMER" not in html
    assert "Promotions et insertion" in html and "Taux d'insertion global à 6 mois" in html
    assert "Publications au Journal officiel" in html
    assert "Composition du jury, par voie d'accès" in html
    assert "Nouvelle-Calédonie" in html and "Polynésie française" in html
    assert "Publication de la fiche" in html and "Publiée" in html


def test_correspondences_between_blocks_are_listed(client, registry):
    html = page(client, "RNCP40344")
    section = html[html.index('id="correspondences"') :]
    assert "RNCP37507" in section[: section.index("</ul>")]


def test_long_texts_are_lists_not_markers(client, registry):
    html = page(client, "RNCP34762")  # "Les compétences attestées sont les suivantes : A1C1. … A1C2. …"
    capacities = html[html.index("Compétences attestées") :]
    capacities = capacities[: capacities.index("</div>")]
    assert "<ul><li>A1C1." in capacities.replace("> <", "><")
    assert "* " not in capacities


def test_the_api_gives_the_new_facts(client, registry):
    data = client.get("/api/v1/certifications/RNCP19468").json()
    assert data["successor_fiches"][0]["code"] == "RS6117"
    assert data["export_date"] == "2024-02-22" and data["is_socle"] is False
    data = client.get("/api/v1/certifications/RNCP36612").json()
    assert any(c["state"] == "Inactif" for c in data["certifiers"])
    assert data["publications"] and data["promotion_stats"]
    assert date.fromisoformat(data["export_date"]) == XML_FIXTURE_DATE
