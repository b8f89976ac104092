"""Log in through the real page in headless Chromium; login and dashboard pass axe-core."""

import pytest
from playwright.sync_api import expect

from cqphub.orgs.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_and_dashboard(page, accessible, live_server, demo):
    page.goto(f"{live_server.url}/espace/")
    assert "/espace/connexion/" in page.url
    accessible(page)
    page.get_by_label("Adresse e-mail").fill("admin.branche@demo.cqphub.fr")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/espace/")
    expect(page.get_by_role("heading", name="Espace professionnel")).to_be_visible()
    expect(page.get_by_role("link", name="Boulangerie-pâtisserie artisanale").first).to_be_visible()
    accessible(page)
    page.get_by_role("link", name="Boulangerie-pâtisserie artisanale").first.click()
    page.get_by_role("link", name="Journal").click()
    expect(page.get_by_role("heading", name="Journal des modifications")).to_be_visible()
    accessible(page)
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{live_server.url}/")


def test_wrong_password_message_is_accessible(page, accessible, live_server, demo):
    page.goto(f"{live_server.url}/espace/connexion/")
    page.get_by_label("Adresse e-mail").fill("admin.branche@demo.cqphub.fr")
    page.get_by_label("Mot de passe").fill("not-the-password")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_be_visible()
    accessible(page)
