"""The one text folding (`cqphub.text`): pure, no database."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cqphub.text import fold, fold_alnum, fold_words


@pytest.mark.parametrize(
    "text,folded",
    [
        ("Électricien", "electricien"),
        ("ÉLECTRICIEN", "electricien"),
        ("Cœur ÆSTHÉTIQUE", "coeur aesthetique"),
        ("Chef d’équipe", "chef d'equipe"),
        ("Straße", "strasse"),
        ("ﬁbre", "fibre"),  # compatibility ligature, unfolded by NFKD
        ("agent\u00a0de sûreté", "agent de surete"),  # the no-break space of published titles
        ("Opérateur", "operateur"),
        ("Ope\u0301rateur", "operateur"),  # NFD input (zip member names, macOS files)
        ("plain ascii, Kept As Is", "plain ascii, kept as is"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_words_collapses_spaces():
    assert fold_words("  Main-d’Œuvre  HÔTELS,\tCafés ") == "main-d'oeuvre hotels, cafes"


def test_fold_alnum_keeps_letters_and_digits_only():
    assert fold_alnum("  LEFÈVRE-d'Arc ") == "lefevre d arc"
    assert fold_alnum("Œdipe") == "oedipe"
    assert fold_alnum("d’Artagnan 2") == "d artagnan 2"
    assert fold_alnum(" -- ") == ""


_LATIN = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x17F, blacklist_categories=("Cs",))
    | st.sampled_from("œŒæÆß’\u00a0ﬁﬂ"),
    max_size=40,
)


@given(_LATIN)
def test_fold_is_the_same_for_composed_and_decomposed_text_and_idempotent(text):
    folded = fold(text)
    assert folded == fold(unicodedata.normalize("NFD", text))
    assert fold(folded) == folded
    assert not any(unicodedata.combining(c) for c in folded)
    assert folded == folded.lower()


def _folded_by_definition(text: str) -> str:
    """What `fold` is defined to be (its docstring), written the plain, slow way."""
    from cqphub.text import _COMBINING, _LIGATURES

    for ligature, plain in _LIGATURES:
        text = text.replace(ligature, plain)
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).lower()


def test_fold_is_its_definition_over_every_code_point():
    """The fast path (common marks by `str.replace`, the expression only where a mark may be left) must
    give the definition's result for every character, alone and beside accented letters."""
    for start in range(0x80, 0x110000, 128):
        chunk = "".join(chr(c) for c in range(start, start + 128))
        for text in (chunk, "Éé" + chunk[::-1] + "çà", " ".join(chunk)):
            assert fold(text) == _folded_by_definition(text), hex(start)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_fold_is_its_definition_for_any_text(text):
    assert fold(text) == _folded_by_definition(text)
