"""Authoring a CQP end to end in headless Chromium: create, add an activity, a block, a skill and
its criterion, a method, publish, start a new version, change it, compare; axe-core on every page."""

import pytest
from playwright.sync_api import expect

from cqphub.orgs.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, email="certification@demo.cqphub.fr"):
    page.goto(f"{live_server.url}/espace/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/espace/")


def save(page):
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()


def test_author_a_cqp_end_to_end(page, accessible, live_server, world):
    login(page, live_server)
    accessible(page)  # dashboard with the "what falls due" panel
    page.goto(f"{live_server.url}/espace/qualifications/")
    accessible(page)
    page.get_by_role("link", name="Nouvelle qualification").click()
    accessible(page)
    page.get_by_label("CQP (une branche)").check()
    page.get_by_label("Intitulé").fill("CQP Pâtissier de boutique")
    page.get_by_label("Commission paritaire (CPNE)").select_option(label="CPNEFP Boulangerie")
    page.get_by_label("Titulaire des droits de propriété intellectuelle").select_option(
        label="Association pour les CQP de la boulangerie artisanale (démo)"
    )
    page.get_by_label("Date de la décision de création").fill("2026-10-01")
    page.get_by_label("Métiers visés (codes ROME)").fill("D1104")
    save(page)
    expect(page.get_by_role("heading", name="CQP Pâtissier de boutique")).to_be_visible()
    accessible(page)

    page.get_by_role("link", name="Référentiels").click()
    accessible(page)
    page.get_by_role("link", name="Ajouter une activité").click()
    page.get_by_label("Intitulé de l'activité").fill("Production des entremets")
    save(page)
    page.get_by_role("link", name="Ajouter une situation de travail à A1").click()
    page.get_by_label("Situation de travail").fill("Monter un entremets à la commande")
    save(page)
    page.get_by_role("link", name="Ajouter un bloc", exact=True).click()
    accessible(page)
    page.get_by_label("Intitulé du bloc").fill("Réaliser des entremets")
    page.get_by_label("A1 Production des entremets").check()
    save(page)
    page.get_by_role("link", name="Ajouter une compétence au bloc BC01").click()
    page.get_by_label("Code").fill("C1")
    page.get_by_label("Énoncé de la compétence").fill("Monter et décorer un entremets")
    save(page)
    page.get_by_role("link", name="Ajouter un critère à C1").click()
    page.get_by_label("Critère d'évaluation").fill("Le montage est régulier")
    save(page)
    page.get_by_role("link", name="Ajouter un savoir à C1").click()
    page.get_by_label("Savoir associé").fill("Crèmes et mousses de base")
    save(page)
    page.get_by_role("link", name="Ajouter une modalité au bloc BC01").click()
    page.get_by_label("Modalité d'évaluation").select_option("practical_work")
    save(page)
    expect(page.get_by_text("Le montage est régulier")).to_be_visible()
    accessible(page)

    page.get_by_role("link", name="Publier cette version").click()
    accessible(page)
    page.get_by_role("button", name="Publier et figer").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Version 1 publiée")).to_be_visible()
    assert page.get_by_role("link", name="Ajouter une activité").count() == 0  # frozen

    page.get_by_role("button", name="Commencer une nouvelle version").first.click()
    page.wait_for_load_state()
    expect(page.get_by_text("Version 2 créée en brouillon")).to_be_visible()
    page.get_by_role("link", name="Ajouter un critère à C1").click()
    page.get_by_label("Critère d'évaluation").fill("La décoration respecte le visuel")
    save(page)
    accessible(page)

    page.get_by_role("link", name="Comparer les versions").click()
    page.get_by_role("button", name="Comparer").click()
    page.wait_for_load_state()
    expect(page.get_by_role("cell", name="La décoration respecte le visuel")).to_be_visible()
    expect(page.get_by_role("cell", name="BC01 › C1 › critères")).to_be_visible()
    accessible(page)


def test_back_office_pages_are_accessible(page, accessible, live_server, world):
    from cqphub.qualifications.demo import CQP_TITLE
    from cqphub.qualifications.models import Qualification

    cqp = Qualification.objects.get(title=CQP_TITLE)
    login(page, live_server, "admin.branche@demo.cqphub.fr")
    base = f"{live_server.url}/espace/qualifications/{cqp.pk}/"
    for path in (
        "",
        "versions/1/",
        "versions/2/",
        "vie-legale/",
        "registre/",
        "echanges/",
        "habilitations/",
        "comparer/",
    ):
        page.goto(base + path)
        expect(page.get_by_role("heading", name=CQP_TITLE), str(path)).to_be_visible()
        accessible(page)
    page.goto(f"{live_server.url}/espace/qualifications/depuis-une-fiche/")
    accessible(page)
    page.get_by_label("Numéro de fiche").fill("RNCP99001")
    page.get_by_label("Commission paritaire (CPNE)").select_option(label="CPNEFP Boulangerie")
    page.get_by_label("Titulaire des droits de propriété intellectuelle").select_option(
        label="Association pour les CQP de la boulangerie artisanale (démo)"
    )
    page.get_by_label("Date de la décision de création").fill("2026-11-01")
    page.get_by_role("button", name="Proposer les énoncés").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Relire les énoncés proposés")).to_be_visible()
    accessible(page)
