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
    cited = {key for rule in RULES for key in rule.citations if key[0] in "LRD" and key[1].isdigit()}
    for key in cited:
        assert key in seen, f"{key} is cited but not in the extracts"
        legiarti, since = seen[key]
        assert CATALOGUE[key].url == LEGIFRANCE_ARTICLE.format(legiarti=legiarti)
        assert CATALOGUE[key].in_force_since.isoformat() == since
