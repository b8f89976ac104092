"""The orientation journey in headless Chromium: the four steps (POSTed), the result, sharing, accessibility."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rows(cqp, reference_rows):
    return cqp


def _walk(page, base, status, age="", search_agreement=None):
    page.goto(f"{base}/orientation/")
    page.get_by_label(status, exact=True).check()
    page.get_by_role("button", name="Continuer").click()
    if age:
        page.get_by_label("Votre âge").fill(age)
    page.get_by_role("button", name="Continuer").click()
    if search_agreement:
        page.get_by_label("Nom ou IDCC de la convention collective").fill(search_agreement[0])
        page.get_by_role("button", name="Chercher").click()
        page.get_by_label(search_agreement[1]).check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Un métier, un intitulé ou un code (RNCP…, RS…)").fill("commis")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_label("RNCP34567 — CQP Commis de cuisine").check()
    page.get_by_role("button", name="Voir le résultat").click()
    page.wait_for_url("**/orientation/resultat/")


def test_the_journey_end_to_end_is_usable_and_accessible(live_server, page, accessible, rows):
    seen = []
    page.on("request", lambda request: seen.append(request.url))
    page.goto(f"{live_server.url}/orientation/")
    accessible(page)
    page.get_by_label("Salarié du secteur privé").check()
    page.get_by_role("button", name="Continuer").click()

    page.get_by_label("Votre âge").fill("34")
    page.get_by_label("un statut de cadre").check()
    accessible(page)
    page.get_by_role("button", name="Continuer").click()

    page.get_by_label("Nom ou IDCC de la convention collective").fill("restaurants")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_label("IDCC 1979 — Hôtels, cafés, restaurants (HCR)").check()
    accessible(page)
    page.get_by_role("button", name="Continuer").click()

    page.get_by_label("Un métier, un intitulé ou un code (RNCP…, RS…)").fill("commis")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_label("RNCP34567 — CQP Commis de cuisine").check()
    accessible(page)
    page.get_by_role("button", name="Voir le résultat").click()

    page.wait_for_url("**/orientation/resultat/")
    expect(page.get_by_role("heading", name="Ce que vous pouvez faire", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Ce que vous pouvez faire maintenant")).to_be_visible()
    assert page.locator("[data-option]").count() >= 2
    assert page.locator('[data-finding="route.apprenticeship"]').first.get_attribute("data-outcome") == "no"
    assert "Akto" in page.locator('[data-finding="contact.opco"]').text_content()
    assert "Apec" in page.locator('[data-finding="contact.cep"]').text_content()
    accessible(page)
    # security M4: no answer in any address the browser asked for
    assert not [url for url in seen if "age=" in url or "employer_idcc" in url or "disability" in url]

    page.get_by_label("Inclure ma situation (statut, âge, aides, handicap…)").check()
    page.get_by_label("Inclure la convention collective de mon employeur").check()
    page.get_by_role("button", name="Créer le lien de partage").click()
    share = page.get_by_label(
        "Lien partagé (contient seulement ce que la personne a choisi de partager)"
    ).input_value()
    assert "/orientation/partage/" in share and "age=" not in share
    accessible(page)

    # the shared link gives the same answer to someone else (another browser context, no session)
    other_context = page.context.browser.new_context()
    other = other_context.new_page()
    other.goto(share)
    assert "Akto" in other.locator('[data-finding="contact.opco"]').text_content()
    other_context.close()


def test_the_result_in_english_and_its_sources(live_server, page, accessible, rows):
    _walk(page, live_server.url, "Demandeur d'emploi", age="22")
    page.locator("#language-select").select_option("en")
    page.get_by_role("button", name="Changer").click()
    page.wait_for_load_state()
    page.get_by_text("The legal detail, with sources").first.click()
    finding = page.locator('[data-finding="contact.mission_locale"]')
    assert "Mission locale" in finding.inner_text()
    finding.locator("summary").click()
    assert finding.get_by_role("link", name="Code du travail, art. L. 5314-2").first.is_visible()
    accessible(page)


def test_the_certification_page_panel_is_accessible(live_server, page, accessible, rows):
    page.goto(f"{live_server.url}/registre/RNCP34567/")
    panel = page.get_by_role("region", name="Ce qui existe pour cette certification, selon votre situation")
    assert panel.is_visible()
    accessible(page)
    panel.get_by_role("link", name="Voir ce qui s'applique à votre situation").click()
    page.get_by_label("Demandeur d'emploi").check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("button", name="Voir le résultat").click()  # the certification chosen on its page
    assert page.locator('[data-finding="contact.france_travail"]').get_attribute("data-outcome") == "yes"


def test_print_button_prints_under_the_csp(live_server, page, rows):
    """Security L2 follow-up: the result's "Imprimer" button works under the Content-Security-Policy
    (scripts from this site only: an inline `onclick` was refused), and the page reports no CSP
    violation. `window.print` is stubbed in the page: the test asserts it was called."""
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    _walk(page, live_server.url, "Salarié du secteur privé", age="34")
    response = page.request.get(page.url)
    assert "script-src 'self'" in response.headers.get("content-security-policy", "")
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.get_by_role("button", name="Imprimer").click()
    assert (page.evaluate("window.__printed"), page.evaluate("window.__csp")) == (1, [])
    assert not [line for line in console if "Content Security Policy" in line], console
