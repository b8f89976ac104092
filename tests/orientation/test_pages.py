"""The orientation journey's pages and the certification panel (Django test client)."""

from urllib.parse import urlencode

import pytest
from django.template import Context, Template
from django.urls import reverse

pytestmark = pytest.mark.django_db


def get(client, name, lang="fr", **params):
    query = urlencode(params, doseq=True)
    return client.get(f"{reverse(name)}?{query}", HTTP_ACCEPT_LANGUAGE=lang)


def test_step_1_asks_who_you_are(client):
    html = get(client, "orientation:start").content.decode()
    assert 'name="status"' in html and "Demandeur d&#x27;emploi" in html
    assert 'aria-current="step"' in html


def test_step_2_without_a_status_asks_again(client):
    response = get(client, "orientation:situation", status="astronaut")
    assert response.status_code == 400
    assert "Choisissez la situation" in response.content.decode()


def test_step_2_carries_the_status(client):
    html = get(client, "orientation:situation", status="employee").content.decode()
    assert '<input type="hidden" name="status" value="employee">' in html
    assert 'name="age"' in html and 'name="benefits"' in html


def test_step_3_finds_collective_agreements_by_name_or_idcc(client, reference_rows):
    html = get(client, "orientation:employer", status="employee", agreement_q="syntec").content.decode()
    assert "IDCC 1486" in html and "Syntec" in html
    html = get(client, "orientation:employer", status="employee", agreement_q="1979").content.decode()
    assert "IDCC 1979" in html


def test_step_4_finds_certifications_with_the_registry_search(client, cqp, diploma):
    html = get(client, "orientation:target", status="employee", target_q="commis").content.decode()
    assert "RNCP34567" in html and 'name="trade" value="commis"' in html


def test_result_for_one_certification(client, cqp, reference_rows):
    params = {
        "status": "employee",
        "age": "30",
        "employer_idcc": "1979",
        "code": "RNCP34567",
        "on": "2026-06-01",
    }
    response = get(client, "orientation:result", **params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "RNCP34567" in html and "Période de reconversion" in html
    assert 'data-finding="route.apprenticeship" data-outcome="no"' in html
    assert "OPCO Akto" in html  # from the employer's IDCC
    assert "legifrance.gouv.fr" in html
    assert "code=RNCP34567" in html and "employer_idcc=1979" in html  # the shareable link
    assert 'data-finding="contact.mission_locale"' not in html  # contacts that do not apply are left out


def test_result_for_a_trade_lists_the_cqps(client, cqp, rs_cqp, diploma):
    html = get(
        client, "orientation:result", status="job_seeker", trade="cuisine", on="2026-06-01"
    ).content.decode()
    assert "RNCP34567" in html and "RNCP40000" not in html


def test_result_in_english_uses_the_engine_s_english_texts(client, cqp):
    html = get(
        client, "orientation:result", lang="en", status="employee", code="RNCP34567", on="2026-06-01"
    ).content.decode()
    assert "Not through apprenticeship" in html


def test_result_with_bad_input_says_what_is_wrong(client, cqp):
    response = get(client, "orientation:result", status="employee", age="abc", code="RNCP34567")
    assert response.status_code == 400
    assert "person.age" in response.content.decode()
    response = get(client, "orientation:result", status="employee", code="RNCP1")
    assert response.status_code == 400 and "RNCP1" in response.content.decode()
    response = get(client, "orientation:result", status="employee")
    assert response.status_code == 400


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
    html = get(client, "orientation:result", lang="en", status="employee", code="RNCP34567").content.decode()
    assert "What you can do" in html and "Access routes" in html and "Whom to contact" in html


def test_every_certification_page_shows_the_panel(client, cqp):
    html = client.get(reverse("registry:detail", args=["RNCP34567"])).content.decode()
    assert "Ce qui existe pour cette certification, selon votre situation" in html
    assert 'data-finding="route.apprenticeship" data-outcome="no"' in html
