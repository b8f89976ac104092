"""Query parsing, folding and highlighting: pure functions, no database."""

from cqphub.registry.search.filters import FilterError, SearchFilters
from cqphub.registry.search.text import (
    Term,
    fts5_expression,
    highlight,
    parse_query,
    snippet,
    tokens,
    tsquery_expression,
    unmatched_count,
)


def test_tokens_are_folded_runs_of_letters_or_digits():
    assert tokens("Chef d’équipe — BTP/Génie-civil") == ["chef", "d", "equipe", "btp", "genie", "civil"]


def test_last_word_is_a_prefix_unless_the_query_ends_with_a_space():
    q = parse_query("agent soud")
    assert q.terms == (Term(("agent",)), Term(("soud",), prefix=True))
    assert parse_query("agent soud ").terms[-1] == Term(("soud",))
    assert parse_query("soud* agent ").terms[0] == Term(("soud",), prefix=True)


def test_single_letters_and_numbers_are_not_prefixes():
    assert parse_query("a").terms == (Term(("a",)),)
    assert parse_query("idcc 3117").terms[-1] == Term(("3117",))


def test_quoted_phrases_and_stop_words():
    q = parse_query('"chef d\'équipe" de propreté')
    assert q.terms == (Term(("chef", "d", "equipe")), Term(("proprete",), prefix=True))
    # a query of stop words only is kept as it is
    assert parse_query("de la").terms == (Term(("de",)), Term(("la",), prefix=True))


def test_codes_are_recognised():
    assert parse_query("RNCP37488").code == ("RNCP", 37488)
    assert parse_query("rncp 37488").code == ("RNCP", 37488)
    assert parse_query("rs5719").code == ("RS", 5719)
    assert parse_query(" 37488 ").code == (None, 37488)
    assert parse_query("soudeur 37488").code is None


def test_the_two_query_languages_say_the_same():
    q = parse_query('"chef d equipe" soud')
    assert fts5_expression(q) == '"chef d equipe" AND "soud" *'
    assert fts5_expression(q, ("title", "blocks")) == '{title blocks} : ("chef d equipe" AND "soud" *)'
    assert tsquery_expression(q) == "('chef' <-> 'd' <-> 'equipe') & 'soud':*"
    assert tsquery_expression(q, "ABC") == "('chef':ABC <-> 'd':ABC <-> 'equipe':ABC) & 'soud':*ABC"


def test_hostile_input_gives_safe_expressions():
    q = parse_query("soudeur\" OR 1=1; -- NEAR(x) '; DROP")
    assert all(ch.isalnum() or ch in ' "*()ANDOR:{}' for ch in fts5_expression(q))
    assert "'" not in "".join(w for t in q.terms for w in t.words)


def test_highlight_escapes_and_marks_accent_insensitively():
    q = parse_query("electr")
    html = highlight("CQP Électricien <b>& co</b>", q)
    assert html == "CQP <mark>Électricien</mark> &lt;b&gt;&amp; co&lt;/b&gt;"


def test_snippet_cuts_around_the_first_match():
    text = "Début. " + "mot " * 60 + "soudure à l'arc " + "fin " * 60
    cut = snippet(text, parse_query("soud"))
    assert "<mark>soudure</mark>" in cut and cut.startswith("…") and cut.endswith("…")
    assert snippet("rien ici", parse_query("soud")) is None


def test_closeness_ignores_stop_words_and_cqp():
    q = parse_query("soudeur")
    assert unmatched_count(q, tokens("CQP Soudeur")) == 0
    assert unmatched_count(q, tokens("CQP Soudeur de tuyauterie industrielle")) == 2


def test_filters_parse_from_a_query_dict_like_mapping():
    f = SearchFilters.parse({"register": "rs", "level": ["4", "niveau5"], "idcc": "16", "cqp": "1", "q": "x"})
    assert f.register == ("RS",) and f.level == (4, 5) and f.idcc == ("0016",) and f.kind == "cqp"
    assert f.status == "active"
    assert SearchFilters.parse(["status=all", "route=vae,apprentissage", "partial=oui"]) == SearchFilters(
        status="all", route=("vae", "apprenticeship"), partial=True
    )


def test_bad_filters_say_which_and_why():
    for data, name in (
        ({"level": "9"}, "level"),
        ({"register": "XYZ"}, "register"),
        ({"rome": "12345"}, "rome"),
        ({"status": "maybe"}, "status"),
        (["nope=1"], "nope"),
        (["level"], "level"),
    ):
        try:
            SearchFilters.parse(data)
        except FilterError as error:
            assert error.name == name and error.message
        else:
            raise AssertionError(f"{data} accepted")


def test_compiled_title_matcher_agrees_with_the_plain_functions():
    from cqphub.registry.search.text import STOPWORDS, TitleMatcher, all_terms_match, meaningful_count

    titles = [
        "CQP Chef d'équipe en propreté",
        "CQP Soudeur(euse) (CQPM)",
        "Agent de maintenance - production de boissons",
        "Chef de projet commercial pour l'agroalimentaire",
        "Développeur web et web mobile",
    ]
    for raw in [
        '"chef d\'équipe" propre',
        "soud",
        "agent de maintenance",
        "web mob",
        "de la",
        "chef projet commercial ",
    ]:
        q = parse_query(raw)
        matcher = TitleMatcher(q)
        for title in titles:
            toks = tokens(title)
            text = " ".join(toks)
            assert matcher.all_match(text) == all_terms_match(q, toks), (raw, title)
            assert matcher.unmatched(text, meaningful_count(toks)) == unmatched_count(q, toks), (raw, title)
    assert "de" in STOPWORDS
