"""The reporting pages in headless Chromium with axe-core: the branch's holder report (rejected and
overdue awards, a file produced and downloaded), statistics with charts in French and English, and the
public holders-per-year section of the CQP's registry page."""

import pytest
from lxml import etree
from playwright.sync_api import expect

from cqphub.orgs.demo import DEMO_PASSWORD
from cqphub.reporting import holder_report as hr

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, email="certification@demo.cqphub.fr"):
    page.goto(f"{live_server.url}/espace/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/espace/")


def test_holder_report_and_statistics_pages(page, accessible, live_server, demo_world, settings, tmp_path):
    login(page, live_server)
    expect(
        page.get_by_role("heading", name="Déclaration des titulaires à la Caisse des dépôts")
    ).to_be_visible()
    accessible(page)
    page.goto(f"{live_server.url}/espace/rapports/")
    accessible(page)
    page.get_by_role("link", name=demo_world.branch.certifier_entities.first().name).first.click()
    accessible(page)
    page.get_by_role("link", name="Voir la liste « En retard »").click()
    expect(page.locator("#todo-title")).to_have_text("En retard")
    page.goto(page.url.split("?")[0] + "?etat=rejected")
    expect(page.get_by_text("Code commune de naissance inconnu du SI CPF (démo)")).to_be_visible()
    page.get_by_role("link", name="Corriger").first.click()
    accessible(page)
    page.get_by_label("Motif").fill("Commune de naissance corrigée dans le dossier")
    page.get_by_role("button", name="Enregistrer la correction").click()
    page.get_by_role("button", name="Produire le fichier XML").click()
    expect(page.get_by_text("Validé par le schéma XSD 1.1.2")).to_be_visible()
    accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger").click()
    path = tmp_path / "flux.xml"
    download.value.save_as(path)
    assert hr.validate_file(path, settings.CQPHUB_CDC_XSD) == []
    ids = etree.parse(str(path)).xpath("//cpf:idTechnique/text()", namespaces={"cpf": hr.NAMESPACE})
    assert len(ids) == 5  # 3 due + 1 overdue + the corrected one
    page.get_by_role("link", name="Enregistrer la réponse de la Caisse des dépôts").click()
    expect(page.get_by_role("heading", name="Réponse de la Caisse des dépôts")).to_be_visible()
    accessible(page)

    page.goto(f"{live_server.url}/espace/rapports/statistiques/")
    accessible(page)
    assert page.locator("svg[role=img]").count() >= 2
    page.goto(
        f"{live_server.url}/espace/rapports/statistiques/renouvellement/{demo_world.branch.committees.first().qualifications.first().pk}/"
    )
    accessible(page)
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    page.goto(f"{live_server.url}/espace/rapports/statistiques/")
    expect(page.get_by_role("heading", name="Candidacies by status")).to_be_visible()
    accessible(page)


def test_public_holders_section_on_the_cqp_page(page, accessible, live_server, demo_world):
    page.goto(f"{live_server.url}/registre/RNCP99001/")
    expect(page.get_by_role("heading", name="Titulaires par année")).to_be_visible()
    accessible(page)
