"""The orientation journey in headless Chromium: the four steps, the result, accessibility."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rows(cqp, reference_rows):
    return cqp


def test_the_journey_end_to_end_is_usable_and_accessible(live_server, page, accessible, rows):
    page.goto(f"{live_server.url}/orientation/")
    accessible(page)
    page.get_by_label("Salarié").check()
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

    page.wait_for_url("**/orientation/resultat/**")
    assert page.get_by_role("heading", name="Ce que vous pouvez faire").is_visible()
    assert page.locator('[data-finding="route.apprenticeship"]').get_attribute("data-outcome") == "no"
    assert page.locator('[data-finding="contact.opco"]').inner_text().find("Akto") >= 0
    assert page.locator('[data-finding="contact.cep"]').inner_text().find("Apec") >= 0
    share = page.get_by_label("Lien à partager (contient seulement vos réponses)").input_value()
    assert "code=RNCP34567" in share and "employer_idcc=1979" in share and "age=34" in share
    accessible(page)

    # the shared link gives the same answer to someone else
    other = page.context.new_page()
    other.goto(share)
    assert other.locator('[data-finding="contact.opco"]').inner_text().find("Akto") >= 0
    other.close()


def test_the_result_in_english_and_its_sources(live_server, page, accessible, rows):
    page.goto(
        f"{live_server.url}/orientation/resultat/?status=job_seeker&age=22&code=RNCP34567&on=2026-06-01"
    )
    page.locator("#language-select").select_option("en")
    page.get_by_role("button", name="Changer").click()
    page.wait_for_load_state()
    finding = page.locator('[data-finding="contact.mission_locale"]')
    assert "Mission locale" in finding.inner_text()
    finding.locator("summary").click()
    assert finding.get_by_role("link", name="Code du travail, art. L. 5314-2").is_visible()
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
