"""The results page: "did you mean", the fallback on some words, sort, capped facets applied on change."""

import pytest
from django.urls import reverse

from cqphub.registry.models import Certification
from cqphub.registry.search import update_index
from tests.factories.registry import make_certification

pytestmark = pytest.mark.django_db


@pytest.fixture
def fiches():
    made = [
        make_certification("RNCP90001", "CQP Soudeur assembleur", active=True, certifiers=["UIMM"]),
        make_certification(
            "RNCP90002", "CQP Boulanger tourier", active=True, certifiers=["CPNE BOULANGERIE"]
        ),
        make_certification("RNCP90003", "CQP Tourneur fraiseur", active=True),
    ]
    update_index([c.pk for c in made])
    return made


def test_a_typo_shows_the_corrected_results_and_says_so(client, fiches):
    html = client.get(reverse("registry:index"), {"q": "soudeure "}).content.decode()
    assert "Aucune fiche pour « soudeure »" in html and "« soudeur »" in html
    assert "/registre/RNCP90001/" in html


def test_words_that_never_meet_fall_back_on_some_of_them(client, fiches):
    html = client.get(reverse("registry:index"), {"q": "soudeur boulanger "}).content.decode()
    assert "Aucune fiche ne contient tous les mots" in html
    assert "Chercher plutôt" in html


def test_withdrawn_fiches_are_found_with_all(client, fiches):
    Certification.objects.filter(code="RNCP90001").update(withdrawn_at="2026-01-01T00:00:00Z")
    update_index([fiches[0].pk])
    assert (
        "/registre/RNCP90001/"
        not in client.get(reverse("registry:index"), {"q": "soudeur "}).content.decode()
    )
    html = client.get(reverse("registry:index"), {"q": "soudeur ", "status": "all"}).content.decode()
    assert "/registre/RNCP90001/" in html and "retirée du répertoire" in html


def test_sort_select_filters_apply_on_change_and_facets_are_capped(client, fiches):
    html = client.get(reverse("registry:index"), {"tri": "title"}).content.decode()
    assert '<option value="title" selected>' in html
    assert (
        html.index("CQP Boulanger tourier")
        < html.index("CQP Soudeur assembleur")
        < html.index("CQP Tourneur")
    )
    assert 'id="filters-form" data-autosubmit' in html and 'data-cap="5"' in html
    assert "??" not in html  # page links were "??page=2" (the query was lost on page 2)


def test_the_certifier_line_is_not_repeated_by_the_snippet(client, fiches):
    html = client.get(reverse("registry:index"), {"q": "uimm "}).content.decode()
    assert "/registre/RNCP90001/" in html
    assert "Certificateur :</span> UIMM" not in html  # the snippet already says it
