"""The ranking set: real queries on real fiches, with the first result a person expects.

Data: the 703 CQP fiches of 2020 (derived CSV), the 12 RNCP fiches of the XML v4.1 fixture (2026) and
the 9 fiches of the CSV export sample (2024), all from `../shared/data`. Default filters (active fiches
only) unless the case says otherwise. Both backends must pass it unchanged.
"""

import pytest

from cqphub.registry.search import SearchFilters, search_certifications
from tests.factories.registry import cqp_registry  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.shared]

RANKING = [
    # codes go first, in every spelling
    ("RNCP37488", {}, "RNCP37488"),
    ("rncp 34172", {}, "RNCP34172"),
    ("37488", {}, "RNCP37488"),
    ("rs6117", {}, "RS6117"),
    # titles, accent- and case-insensitive
    ("cybersécurité", {}, "RNCP37488"),
    ("CYBERSECURITE", {}, "RNCP37488"),
    ("electricien", {}, "RNCP31388"),
    ("Électricien du spectacle", {}, "RNCP31388"),
    ("équitation", {}, "RNCP11562"),
    ("auxiliaire veterinaire", {}, "RNCP40344"),
    ("ressources humaines", {}, "RNCP36612"),
    ("blockchain", {}, "RS5000"),
    # the closest title wins: "Soudeur industriel" before "Chargé d'affaires … soudure"
    ("soudeur", {}, "RNCP34172"),
    ("soud", {}, "RNCP34172"),  # partial last word
    ("développeur web", {}, "RNCP35959"),  # "Développeur web" before "Développeur web et web mobile"
    ("concepteur développeur d'applications", {}, "RNCP37873"),  # two equal titles: the newer fiche
    ("cordiste", {}, "RNCP34370"),
    ("laveur de vitres", {}, "RNCP11563"),
    ("vitres", {}, "RNCP11563"),
    ("préparateur de commandes", {}, "RNCP32101"),
    ("agent de sûreté", {}, "RNCP34487"),
    ("réceptionniste", {}, "RNCP31401"),
    ("barman", {}, "RNCP31330"),
    ("boucher", {}, "RNCP32095"),
    ("poissonnier", {}, "RNCP32094"),
    ("caviste", {}, "RNCP32096"),
    ("patissier", {}, "RNCP31368"),
    ("mécanicien automobile", {}, "RNCP34320"),
    ("mecanicien nautique", {}, "RNCP25564"),
    ("technicien vitrage", {}, "RNCP34263"),
    ("opérateur logistique", {}, "RNCP29464"),
    ("agent logistique", {}, "RNCP34989"),  # "(CQPI)" does not make the title less close
    ("piqueur chauss", {}, "RNCP16269"),
    ("ferroviaire nettoyage", {}, "RNCP31982"),
    # abbreviation: the title and the abbreviation together
    ("BTS aménagement", {}, "RNCP35809"),
    ("titre professionnel développeur web", {}, "RNCP37674"),
    ("master management", {}, "RNCP39568"),
    # blocks and skills
    ("fibre optique", {}, "RNCP27065"),
    ('"fibre optique"', {}, "RNCP27065"),
    # ROME, certifiers, collective agreements
    ("H2913", {}, "RNCP34172"),
    ("boulangers patissiers", {}, "RS6117"),
    ("3117", {}, "RS6117"),  # IDCC of the bakery branch
    # all fiches: active first at equal relevance
    ("tourier", {"status": "all"}, "RS6117"),
    ("agent vérificateur d'appareils extincteurs", {"status": "all"}, "RNCP509"),
    ("chef de projet commercial agroalimentaire", {"status": "all"}, "RNCP22094"),
]


@pytest.mark.parametrize(("query", "filters", "expected"), RANKING, ids=[r[0] for r in RANKING])
def test_first_result_is_what_a_person_expects(cqp_registry, query, filters, expected):  # noqa: F811
    results = search_certifications(query, SearchFilters.parse(filters))
    assert results.hits, f"{query!r}: no result"
    got = [h.code for h in results.hits[:5]]
    assert got[0] == expected, f"{query!r}: expected {expected} first, got {got}"


def test_the_ranking_set_is_large_enough():
    assert len(RANKING) >= 30


def test_tiers_order_code_then_title_then_abbreviation_then_blocks_then_the_rest(cqp_registry):  # noqa: F811
    results = search_certifications("boulangerie", SearchFilters(status="all"), page_size=100)
    tiers = [h.tier for h in results.hits]
    assert tiers == sorted(tiers)
    assert {"title", "blocks", "other"} <= {h.matched_in for h in results.hits}


def test_active_before_inactive_at_equal_relevance(cqp_registry):  # noqa: F811
    results = search_certifications("tourier", SearchFilters(status="all"))
    assert [(h.code, h.active) for h in results.hits] == [("RS6117", True), ("RNCP19468", False)]


def test_code_query_names_the_fiche_to_go_to(cqp_registry):  # noqa: F811
    assert search_certifications("rncp37488").exact_code == "RNCP37488"
    assert search_certifications("37488").exact_code == "RNCP37488"
    assert search_certifications("cybersécurité").exact_code is None


def test_matches_are_highlighted_and_snippets_say_where(cqp_registry):  # noqa: F811
    results = search_certifications("soud", SearchFilters())
    assert "<mark>Soudeur</mark>" in results.hits[0].title_html
    in_blocks = [h for h in results.hits if h.matched_in == "blocks"]
    assert in_blocks and "<mark>" in in_blocks[0].snippet_html and in_blocks[0].snippet_source == "block"
