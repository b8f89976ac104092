"""In headless Chromium: a centre enrols a candidate on the CQP by the professionalisation-contract
route, and a branch officer declares a VAE candidacy admissible; axe-core on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cqphub.orgs.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from cqphub.journeys.demo import load_demo_journeys
    from tests.journeys.conftest import build_world

    world = build_world()
    load_demo_journeys()
    return world


def login(page, live_server, email):
    page.goto(f"{live_server.url}/espace/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/espace/")


def test_centre_enrols_and_branch_declares_admissible(page, accessible, live_server, demo):
    # 1. the Lyon school's trainer enrols a job seeker on the CQP by a professionalisation contract
    login(page, live_server, "formateur@demo.cqphub.fr")
    accessible(page)
    page.goto(f"{live_server.url}/espace/parcours/")
    accessible(page)
    page.get_by_role("link", name="Inscrire un candidat").click()
    accessible(page)
    page.get_by_label("Nom de naissance").fill("Benoît")
    page.get_by_label("Prénoms").fill("Clara")
    page.get_by_label("Femme").check()
    page.get_by_label("Année de naissance").fill("1996")
    page.get_by_label("Commune de naissance (code INSEE)").fill("69123")
    page.get_by_label("CQP visé").select_option(label="CQP Boulanger-tourier")
    page.get_by_label("Formation", exact=True).check()
    page.get_by_label("Financement ou dispositif").select_option("professionalisation")
    # an employee: the law does not open the contract — refused with the rule and its article
    page.get_by_label("Situation de la personne").select_option("employee")
    page.get_by_label("Centre").select_option(label="Fournil École Lyon (démo)")
    page.get_by_label("Début prévu").fill("2026-12-07")
    page.get_by_role("button", name="Créer la candidature").click()
    page.wait_for_load_state()
    expect(page.get_by_text("L. 6325-1").first).to_be_visible()
    accessible(page)
    page.get_by_label("Situation de la personne").select_option("job_seeker")
    page.get_by_role("button", name="Créer la candidature").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="BENOÎT Clara")).to_be_visible()
    expect(page.get_by_text("Candidature créée.")).to_be_visible()
    accessible(page)
    page.get_by_label("Nouvel état").select_option("submitted")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_load_state()
    page.get_by_label("Nouvel état").select_option("enrolled")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_text("État mis à jour : Inscrite.")).to_be_visible()
    accessible(page)
    page.get_by_role("button", name="Se déconnecter").click()

    # 2. the branch's certification officer declares a submitted VAE candidacy admissible
    login(page, live_server, "certification@demo.cqphub.fr")
    page.goto(f"{live_server.url}/espace/parcours/?route=vae&status=submitted")
    accessible(page)
    page.locator("table tbody a").first.click()
    page.wait_for_load_state()
    accessible(page)
    expect(page.get_by_role("heading", name="Recevabilité (VAE)")).to_be_visible()
    page.get_by_label("Recevable", exact=True).check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Décision de recevabilité enregistrée.")).to_be_visible()
    expect(page.locator(".cq-page-title").get_by_text("Recevable")).to_be_visible()
    accessible(page)
