"""The citation catalogue against the verbatim extracts (../shared/CODE_DU_TRAVAIL.md)."""

import re

import pytest

from cqphub.rules import CATALOGUE, RULES, cite
from cqphub.rules.citations import LEGIFRANCE_ARTICLE, article_label
from tests.conftest import SHARED


def test_article_citations_link_to_the_exact_legifrance_version():
    c = cite("L6113-9")
    assert c.ref == "Code du travail, art. L. 6113-9"
    assert c.url == "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000046774788"
    assert c.in_force_since.isoformat() == "2022-12-23"


def test_sources_without_an_article_id_get_a_search_link():
    c = cite("decret.2026-127")
    assert c.url.startswith("https://www.legifrance.gouv.fr/search/all?query=")
    assert c.legiarti is None


def test_article_label():
    assert article_label("D6323-1 A") == "D. 6323-1 A"


def test_unknown_citation_is_a_clear_error():
    with pytest.raises(KeyError, match="add it to cqphub/rules/citations.py"):
        cite("L9999-9")


def test_every_url_is_https_or_a_known_address():
    for c in CATALOGUE.values():
        assert c.url.startswith(("https://", "http://")), c


@pytest.mark.shared
def test_catalogue_matches_the_extracts_file():
    path = SHARED / "CODE_DU_TRAVAIL.md"
    if not path.exists():
        pytest.skip(f"{path} not found")
    seen = {}
    for line in path.read_text().splitlines():
        m = re.match(
            r"### Art\. (.+?)(?: —| VIGUEUR).*?(?:depuis|dateDebut) (\d{4}-\d\d-\d\d).*?(LEGIARTI\d+)", line
        )
        if m:
            seen[m.group(1).strip()] = (m.group(3), m.group(2))
    cited = {key for rule in RULES for key in rule.citations if CATALOGUE[key].legiarti}
    for key in cited:
        assert key in seen, f"{key} is cited but not in the extracts"
        legiarti, since = seen[key]
        assert CATALOGUE[key].url == LEGIFRANCE_ARTICLE.format(legiarti=legiarti)
        assert CATALOGUE[key].in_force_since.isoformat() == since


def test_articles_outside_the_extracts_say_so():
    """An earlier wording or an article not extracted has no LEGIARTI id read: its reference says so."""
    for key, citation in CATALOGUE.items():
        if citation.text == "Code du travail" and citation.legiarti is None:
            assert "non reproduite dans nos extraits" in citation.ref, key
            assert citation.url.startswith("https://www.legifrance.gouv.fr/search/"), key


def test_no_rule_version_cites_a_text_never_in_force_during_its_period():
    """Audit C1: each rule version cites the article version in force at some point of its period
    [valid_from, valid_until] (open end: until today). 9 versions failed this before the fix."""
    from cqphub.rules import valid_until

    bad = []
    for rule in RULES:
        end = valid_until(rule)
        for key in rule.citations:
            citation = CATALOGUE[key]
            if not citation.in_force_during(rule.valid_from, end):
                bad.append(
                    f"{rule.id} cites {citation.ref} ({citation.in_force_since}–{citation.in_force_until})"
                )
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(
    ("rule_id", "key"),
    [
        ("route.pro_a@2019-01-01", "L6324-1@2019"),  # not the 2026 période de reconversion text
        ("vae.minimum_experience_months@2019-01-01", "educ.R335-6@2017"),  # not loi 2022-1598
        ("route.poe@2019-01-01", "L6326-1@2019"),  # not the 2024 France Travail wording
        ("funding.cej@2022-03-01", "L5131-6@2022"),  # not the 2025 version
        ("contact.france_travail@2019-01-01", "L5312-1@2019"),  # Pôle emploi, not France Travail
    ],
)
def test_the_audits_examples_cite_the_earlier_wording(rule_id, key):
    rule = next(r for r in RULES if r.id == rule_id)
    assert key in rule.citations


def test_a_citation_later_than_the_date_asked_is_flagged():
    """A 2022 answer citing L. 6321-1 (version of 2025-10-26) says the wording then may differ."""
    from datetime import date

    from cqphub.rules.citations import cite_on

    assert cite_on("L6321-1", date(2022, 6, 1)).later_than_date is True
    assert cite_on("L6321-1", date(2026, 6, 1)).later_than_date is False
    assert cite_on("L6321-1", date(2022, 6, 1)).to_dict()["later_than_date"] is True
