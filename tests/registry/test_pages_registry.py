"""The public pages render the real fiches: a CQP, an RS fiche, a fiche with hundreds of partners."""

import re

import pytest
from django.urls import reverse

from tests.factories.registry import cqp_registry  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.shared]


def _html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_no_asset_comes_from_elsewhere(client, cqp_registry):  # noqa: F811
    for url in (
        reverse("web:home"),
        reverse("registry:index") + "?q=soud",
        reverse("registry:detail", args=["RS6117"]),
    ):
        html = _html(client.get(url))
        assert not re.search(r'(src|href)="(https?:)?//[^"]+\.(js|css)', html), url


def test_results_page_shows_facts_highlights_filters_and_pages(client, cqp_registry):  # noqa: F811
    html = _html(client.get(reverse("registry:index"), {"q": "maintenance"}))
    assert "<mark>maintenance</mark>" in html.lower() or "<mark>Maintenance</mark>" in html
    assert 'for="q"' in html and 'role="search"' in html
    assert "RNCP34334" in html and "CQP" in html and "active" in html
    assert 'id="facet-level"' in html and 'id="facet-route"' in html
    assert 'aria-current="page"' in html  # pagination (54 results, 20 a page)
    page2 = _html(client.get(reverse("registry:index"), {"q": "maintenance", "page": 2}))
    assert "RNCP34334" not in page2


def test_filters_apply_and_can_be_removed(client, cqp_registry):  # noqa: F811
    html = _html(client.get(reverse("registry:index"), {"q": "tourier", "status": "all", "register": "RS"}))
    assert "RS6117" in html and "RNCP19468" not in html
    assert "Retirer le filtre" in html


def test_bad_filter_is_explained(client, cqp_registry):  # noqa: F811
    response = client.get(reverse("registry:index"), {"level": "42"})
    assert response.status_code == 400 and "level" in response.content.decode()


def test_a_code_goes_straight_to_the_fiche(client, cqp_registry):  # noqa: F811
    for query in ("RNCP37488", "37488", "rncp 37488"):
        response = client.get(reverse("registry:index"), {"q": query})
        assert response.status_code == 302 and response["Location"] == reverse(
            "registry:detail", args=["RNCP37488"]
        )


def test_cqp_page_says_so(client, cqp_registry):  # noqa: F811
    html = _html(client.get(reverse("registry:detail", args=["RS6117"])))
    assert "<h1" in html and "CQP Tourier" in html
    assert "Certificat de qualification professionnelle (CQP)" in html
    assert "IDCC 3117" in html
    assert "Répertoire spécifique (RS)" in html  # an RS fiche, and what that means
    assert "RNCP19468" in html  # its predecessor / successor
    assert "francecompetences.fr/recherche/rs/6117" in html


def test_page_with_hundreds_of_partners_is_searchable(client, cqp_registry):  # noqa: F811
    url = reverse("registry:detail", args=["RNCP37674"])
    html = _html(client.get(url))
    assert "471 organismes habilités" in html.replace("\u202f", " ").replace("\xa0", " ")
    assert 'id="partner-q"' in html and "Page 1 sur 10" in html
    partners = html[html.index('id="partenaires"') :]
    partners = partners[: partners.index("</table>")]
    assert partners.count("<tr>") == 51  # header + 50 partners
    found = _html(client.get(url, {"partenaire": "afpa"}))
    assert "organismes trouvés" in found or "organisme trouvé" in found
    assert found.count("<tr>") < 51


def test_fiche_sections_for_a_reader(client, cqp_registry):  # noqa: F811
    html = _html(client.get(reverse("registry:detail", args=["RNCP37488"])))
    for heading in (
        "Ce qu'est cette certification",
        "Ce que sait faire le titulaire",
        "Blocs de compétences",
        "Comment l'obtenir",
        "Qui la délivre",
        "Où la préparer",
    ):
        assert heading in html, heading
    assert "<details" in html and "RNCP37488BC01" in html


def test_lower_case_code_redirects_and_unknown_is_404(client, cqp_registry):  # noqa: F811
    response = client.get("/registre/rncp37488/")
    assert response.status_code == 301 and response["Location"] == reverse(
        "registry:detail", args=["RNCP37488"]
    )
    assert client.get(reverse("registry:detail", args=["RNCP1"])).status_code == 404


def test_english_pages(client, cqp_registry):  # noqa: F811
    html = _html(client.get(reverse("registry:detail", args=["RS6117"]), HTTP_ACCEPT_LANGUAGE="en"))
    assert 'lang="en"' in html and "Who awards it" in html and "Certificat de qualification" not in html
    results = _html(client.get(reverse("registry:index"), {"q": "soud"}, HTTP_ACCEPT_LANGUAGE="en"))
    assert "Refine" in results


def test_pages_use_few_queries(client, cqp_registry, django_assert_max_num_queries):  # noqa: F811
    with django_assert_max_num_queries(12):
        client.get(reverse("registry:index"), {"q": "maintenance", "level": "3"})
    with django_assert_max_num_queries(25):
        client.get(reverse("registry:detail", args=["RNCP37674"]))
