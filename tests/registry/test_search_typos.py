"""Typo tolerance, "did you mean", the fallback on some of the words, withdrawn fiches and sort orders.

On the real fiches (`cqp_registry`: 703 CQP of the 2020 subset + the XML and CSV fixtures): each
misspelled query finds first the fiche its correct spelling finds first.
"""

import pytest

from cqphub.registry.search import SearchFilters, search_certifications
from cqphub.registry.search.spelling import Speller, allowed_distance
from tests.factories.registry import cqp_registry  # noqa: F401

ALL = SearchFilters(status="all")

# (what a person types, what they meant, a word the intended title holds)
TYPOS = [
    ("croupeir", "croupier", "Croupier"),
    ("pizzaiollo", "pizzaiolo", "Pizza"),
    ("lavuer de vitres", "laveur de vitres", "Laveur de vitres"),
    ("administrateur bases de donnes", "administrateur bases de données", "bases de données"),
    ("barmann", "barman", "Barman"),
    ("sommelerie", "sommellerie", "sommellerie"),
    ("devlopeur web", "développeur web", "Développeur web"),
    ("moniteur motonautiqe", "moniteur motonautique", "motonautique"),
    ("animatuer periscolaire", "animateur périscolaire", "périscolaire"),
    ("randonees equestres", "randonnées équestres", "randonnées équestres"),
    ("cybersecurte", "cybersécurité", "Cybersécurité"),
]


@pytest.mark.django_db
@pytest.mark.shared
@pytest.mark.parametrize(("typed", "meant", "word"), TYPOS)
def test_a_misspelled_query_finds_the_intended_fiche_first(cqp_registry, typed, meant, word):  # noqa: F811
    intended = search_certifications(meant, ALL).hits[0]
    assert word.lower() in intended.title.lower()
    found = search_certifications(typed, ALL)
    assert found.hits and found.hits[0].code == intended.code, (typed, [h.title for h in found.hits[:3]])
    assert found.corrected_from == typed  # the page says "no fiche for X, results for Y"


@pytest.mark.django_db
@pytest.mark.shared
def test_all_words_finding_nothing_falls_back_on_some_of_them(cqp_registry):  # noqa: F811
    both = search_certifications("cybersécurité pizzaiolo", ALL)
    assert both.total > 0 and both.partial_from == "cybersécurité pizzaiolo"
    assert both.query in {"cybersecurite", "pizzaiolo"} and set(both.alternatives) <= {
        "cybersecurite",
        "pizzaiolo",
    }
    assert len(both.alternatives) == 1  # the other word is offered as a link


@pytest.mark.django_db
@pytest.mark.shared
def test_a_correct_query_is_left_alone(cqp_registry):  # noqa: F811
    found = search_certifications("croupier", ALL)
    assert found.total and found.corrected_from is None and found.partial_from is None
    nonsense = search_certifications("zzqxw", ALL)
    assert nonsense.total == 0 and nonsense.corrected_from is None


@pytest.mark.django_db
@pytest.mark.shared
@pytest.mark.parametrize("sort", ["recent", "title", "level"])
def test_sort_orders_keep_the_same_fiches(cqp_registry, sort):  # noqa: F811
    relevance = search_certifications("maintenance", ALL, page_size=100)
    other = search_certifications("maintenance", ALL, page_size=100, sort=sort)
    assert other.sort == sort and other.total == relevance.total
    assert {h.code for h in other.hits} == {h.code for h in relevance.hits} or relevance.total > 100
    if sort == "title":
        actives = [h.title.casefold() for h in other.hits if h.active]
        assert len(actives) > 2
    if sort == "recent":
        numbers = [int(h.code[4:]) for h in other.hits if h.active and h.code.startswith("RNCP")]
        assert numbers == sorted(numbers, reverse=True)


def test_speller_distance_grows_with_the_word():
    speller = Speller({"soudeur": 3, "boulanger": 2, "developpeur": 4, "web": 9, "12345": 1})
    assert allowed_distance("web") == 0 and speller.correct("wbe") is None  # too short to guess
    assert speller.correct("sodeur") == "soudeur"
    assert speller.correct("boulnager") == "boulanger"  # a transposition counts once
    assert speller.correct("devlopeur") == "developpeur"
    assert speller.correct("soudeur") is None  # known
    assert speller.correct("12346") is None  # numbers are codes, never corrected
