"""The registry in a real browser (Debian's Chromium via Playwright): search, filter, open, switch language.

Skipped with a clear message when Chromium is absent (see tests/conftest.py). Each page also passes an
axe-core check with no serious or critical violation.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.factories.registry import XML_FIXTURE_DATE

pytestmark = [pytest.mark.browser, pytest.mark.shared, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registry(transactional_db, rncp_xml_fixture, rncp_csv_sample):
    from cqphub.registry.importer import import_paths
    from cqphub.registry.search.index import clear_index

    import_paths([rncp_xml_fixture], as_of=XML_FIXTURE_DATE)
    # CQP Tourier (RNCP and RS), RS5000: an older export, which keeps the newer XML fiches
    import_paths([rncp_csv_sample])
    yield
    clear_index()  # the flush that follows only empties model tables


def test_search_filter_open_and_switch_language(live_server, page, accessible, registry):
    page.goto(live_server.url + "/")
    accessible(page)
    search = page.get_by_label(re.compile("Rechercher une certification"))
    search.fill("tourier")
    search.press("Enter")
    page.wait_for_url(re.compile(r"/registre/\?q=tourier"))
    expect(page.locator("ol.results > li")).to_have_count(1)  # the active one only
    accessible(page)

    # all fiches, then the specific register only
    page.get_by_label(re.compile(r"^Toutes")).check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page.locator("ol.results > li")).to_have_count(2)
    page.locator("#facet-register").get_by_label(re.compile("Répertoire spécifique")).check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    results = page.locator("ol.results > li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("RS6117")
    assert page.get_by_role("link", name=re.compile("Retirer le filtre")).count() >= 1

    # open the fiche
    results.first.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/registre/RS6117/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("CQP Tourier")
    assert "Certificat de qualification professionnelle (CQP)" in page.locator(".cqp-callout").inner_text()
    accessible(page)

    # switch to English, on the same page
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", name="Who awards it")).to_be_visible()
    accessible(page)


def test_keyboard_search_and_partner_search(live_server, page, accessible, registry):
    page.goto(live_server.url + "/registre/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className").startswith("skip-link")
    page.get_by_label(re.compile("Rechercher une certification")).fill("développeur web")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q="))
    page.get_by_role("link", name=re.compile("Développeur web et web mobile")).click()
    page.wait_for_url(re.compile("RNCP37674"))
    page.get_by_label("Chercher un organisme (nom ou SIRET)").fill("afpa")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("partenaire=afpa"))
    rows = page.locator("#partenaires tbody tr")
    assert 0 < rows.count() < 50
    accessible(page)


def test_a_code_typed_opens_the_fiche(live_server, page, registry):
    page.goto(live_server.url + "/registre/?q=rncp37488")
    assert page.url.endswith("/registre/RNCP37488/")
    assert "Cybersécurité" in page.get_by_role("heading", level=1).inner_text()


def test_import_history_is_reached_from_home_and_accessible(live_server, page, accessible, registry):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Historique des imports").click()
    page.wait_for_url("**/registre/imports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Imports du registre")
    assert page.locator("tbody tr").count() >= 2
    accessible(page)
