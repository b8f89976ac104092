"""The orientation journey's pages and the certification panel (Django test client)."""

from urllib.parse import urlencode

import pytest
from django.core import signing
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from cqphub.orientation.views import SHARE_SALT

pytestmark = pytest.mark.django_db


def get(client, name, lang="fr", **params):
    query = urlencode(params, doseq=True)
    return client.get(f"{reverse(name)}?{query}", HTTP_ACCEPT_LANGUAGE=lang)


def post(client, name, data, lang="fr"):
    return client.post(reverse(name), data, HTTP_ACCEPT_LANGUAGE=lang)


def journey(client, *, status="employee", situation=None, idcc="", code="RNCP34567", trade="", lang="fr"):
    """Walk the four steps by POST, as a browser does; returns the responses' redirect targets."""
    locations = []
    for name, data in (
        ("orientation:start", {"status": status}),
        ("orientation:situation", situation or {}),
        ("orientation:employer", {"choose": "1", "employer_idcc": idcc}),
        ("orientation:target", {"choose": "1", "code": code, "trade": trade}),
    ):
        response = post(client, name, data, lang)
        assert response.status_code == 302, (name, response.content.decode()[:500])
        locations.append(response["Location"])
    return locations


def test_step_1_asks_who_you_are(client):
    html = get(client, "orientation:start").content.decode()
    assert 'name="status"' in html and "Demandeur d&#x27;emploi" in html
    assert "Apprenti" in html and "Agent public" in html and "Salarié du secteur privé" in html  # audit D5
    assert 'aria-current="step"' in html and 'method="post"' in html


def test_step_1_without_a_status_asks_again(client):
    response = post(client, "orientation:start", {"status": "astronaut"})
    assert response.status_code == 400
    assert (
        "Choisissez la situation" in response.content.decode()
        or "Sélectionnez un choix valide" in response.content.decode()
    )


def test_later_steps_need_a_status(client):
    assert get(client, "orientation:situation").status_code == 302
    assert get(client, "orientation:result").status_code == 302


def test_step_2_asks_contract_benefits_and_says_vae_needs_no_minimum(client):
    post(client, "orientation:start", {"status": "employee"})
    html = get(client, "orientation:situation").content.decode()
    assert 'name="age"' in html and 'name="benefits"' in html and 'name="contract"' in html
    assert "invalidity_pension" in html and "aucune durée minimale" in html  # audit D5
    response = post(client, "orientation:situation", {"age": "abc"})
    assert response.status_code == 400 and "person.age" not in response.content.decode()


def test_step_3_finds_collective_agreements_by_name_or_idcc(client, reference_rows):
    post(client, "orientation:start", {"status": "employee"})
    html = post(client, "orientation:employer", {"agreement_q": "syntec"}).content.decode()
    assert "IDCC 1486" in html and "Syntec" in html
    html = post(client, "orientation:employer", {"agreement_q": "1979"}).content.decode()
    assert "IDCC 1979" in html


def test_step_4_finds_certifications_with_the_registry_search(client, cqp, diploma):
    post(client, "orientation:start", {"status": "employee"})
    html = post(client, "orientation:target", {"target_q": "commis"}).content.decode()
    assert "RNCP34567" in html and 'name="trade" value="commis"' in html


PRIVATE = ("age", "disability", "benefits", "low_qualified", "employer_idcc", "1979", "34", "AAH")


def test_no_answer_travels_in_a_url(client, cqp, reference_rows):
    """Security M4: answers are POSTed and kept in the session; no redirect or link carries them."""
    situation = {"age": "34", "disability": "on", "benefits": ["AAH"], "low_qualified": "on"}
    locations = journey(client, situation=situation, idcc="1979")
    for location in locations:
        assert "?" not in location, location
    response = get(client, "orientation:result", on="2026-06-01")
    html = response.content.decode()
    assert response.status_code == 200
    for href in [part.split('"', 1)[0] for part in html.split('href="')[1:]]:
        if "/orientation/" in href:
            assert not any(f"{key}=" in href for key in PRIVATE), href


def test_result_first_screen_ranks_what_you_can_do(client, cqp, reference_rows):
    """Issue 16: ranked options first (who pays, how long, whom to contact with a link), then what
    does not apply (folded), then the legal detail; every answer listed and editable."""
    journey(client, situation={"age": "30", "contract": "cdi"}, idcc="1979")
    html = get(client, "orientation:result", on="2026-06-01").content.decode()
    options_at = html.index("Ce que vous pouvez faire maintenant")
    assert options_at < html.index("Ce qui ne s'applique pas") < html.index("Le détail juridique")
    first_screen = html[options_at : html.index("Ce qui ne s'applique pas")]
    assert 2 <= first_screen.count('data-option="') <= 5
    assert first_screen.index('data-option="route.plan"') < first_screen.index(
        'data-option="route.reconversion"'
    )
    assert (
        "Qui paie" in first_screen and "Combien de temps" in first_screen and "Qui contacter" in first_screen
    )
    assert "https://www.moncompteformation.gouv.fr/" in first_screen and "OPCO Akto" in first_screen
    assert "text-bg-danger" not in first_screen  # good news never styled as a refusal
    assert 'data-finding="route.apprenticeship" data-outcome="no"' in html  # under "does not apply"
    assert "Modifier" in html and "IDCC 1979" in html and "30 ans" in html and "CDI" in html
    assert "legifrance.gouv.fr" in html
    assert "Code du travail consolidé au" in html  # audit D2
    assert 'data-finding="contact.mission_locale"' not in html  # contacts that do not apply are left out


def test_result_for_a_trade_lists_the_cqps(client, cqp, rs_cqp, diploma):
    journey(client, status="job_seeker", code="", trade="cuisine")
    html = get(client, "orientation:result", on="2026-06-01").content.decode()
    assert "RNCP34567" in html and "RNCP40000" not in html


def test_result_in_english_uses_the_engine_s_english_texts(client, cqp):
    journey(client, lang="en")
    html = get(client, "orientation:result", lang="en", on="2026-06-01").content.decode()
    assert "Not through apprenticeship" in html


def test_errors_are_sentences_in_the_page_language_never_the_engine_s_message(client, cqp):
    journey(client, code="RNCP1")
    response = get(client, "orientation:result")
    assert response.status_code == 400 and "RNCP1" in response.content.decode()
    journey(client)
    response = get(client, "orientation:result", on="1990-01-01")
    html = response.content.decode()
    assert response.status_code == 400 and "rule book starts" not in html and "2019" in html


def test_share_holds_only_what_the_person_chose(client, cqp, reference_rows):
    journey(client, situation={"age": "34", "disability": "on"}, idcc="1979")
    response = post(client, "orientation:share", {})
    link = response["Location"]
    assert "/orientation/partage/" in link
    assert signing.loads(link.split("/partage/")[1].split("/")[0], salt=SHARE_SALT) == {"code": "RNCP34567"}
    other = Client()
    html = other.get(link.split("#")[0]).content.decode()
    assert "RNCP34567" in html and "Selon votre situation" in html  # the general answer
    assert "34 ans" not in html and "IDCC 1979" not in html
    response = post(client, "orientation:share", {"include_situation": "on", "include_employer": "on"})
    html = other.get(response["Location"].split("#")[0]).content.decode()
    assert "34 ans" in html and "IDCC 1979" in html
    assert other.get("/orientation/partage/forged/").status_code == 404


def test_the_panel_for_a_certification_page(cqp):
    html = Template("{% load orientation %}{% orientation_panel certification %}").render(
        Context({"certification": cqp})
    )
    assert "Ce qui existe pour cette certification, selon votre situation" in html
    assert 'data-finding="cpf.eligible" data-outcome="yes"' in html
    assert 'data-finding="route.apprenticeship" data-outcome="no"' in html
    assert "contact." not in html  # no person: no contacts on the panel
    assert "?code=RNCP34567" in html
    # audit D1/D3/C3: no bare "Oui" for routes open to some publics; French amounts; consolidation date
    assert 'data-finding="route.professionalisation" data-outcome="conditional"' in html
    assert "Selon votre situation" in html
    assert "103,20 €" in html or "102,23 €" in html or "100,00 €" in html or "100 €" in html
    assert "Code du travail consolidé au" in html


def test_the_panel_as_an_include(cqp):
    from cqphub.orientation.selectors import general_findings_for

    html = Template('{% include "orientation/panel.html" with findings=findings certification=c %}').render(
        Context({"findings": general_findings_for(cqp), "c": cqp})
    )
    assert "Sources" in html and "vérifié dans le Code du travail" in html


def test_the_journey_s_own_words_are_translated(client, cqp):
    journey(client, lang="en")
    html = get(client, "orientation:result", lang="en").content.decode()
    assert "What you can do" in html and "Access routes" in html and "Whom to contact" in html


def test_every_certification_page_shows_the_panel(client, cqp):
    html = client.get(reverse("registry:detail", args=["RNCP34567"])).content.decode()
    assert "Ce qui existe pour cette certification, selon votre situation" in html
    assert 'data-finding="route.apprenticeship" data-outcome="no"' in html


@pytest.mark.parametrize(
    ("finding", "on", "heading"),
    [
        ("contact.france_travail", "2023-12-31", "Pôle emploi"),
        ("contact.france_travail", "2024-01-01", "France Travail"),
        ("registration.assertion", "2022-12-22", "Se prévaloir d'un enregistrement échu"),
        ("registration.assertion", "2022-12-23", "Se prévaloir de l'enregistrement (L. 6113-9)"),
    ],
)
def test_headings_follow_the_date(finding, on, heading):
    """Audit D4: no "France Travail" heading above a 2023 answer, no L. 6113-9 heading before 2022-12-23."""
    from datetime import date

    from django.utils import translation

    from cqphub.orientation.templatetags.orientation import finding_label, value_label
    from cqphub.rules import CertificationFacts, PersonSituation, evaluate

    facts = CertificationFacts.from_dict({"kind": "CQP", "register": "RNCP", "registered_from": "2019-01-01"})
    found = {
        f.id: f
        for f in evaluate(facts, PersonSituation.from_dict({"status": "job_seeker"}), date.fromisoformat(on))
    }
    with translation.override("fr"):
        assert str(finding_label(found[finding])) == heading
        assert value_label(found["recognition.scope"]) == "nationale"  # audit D3: no raw token
