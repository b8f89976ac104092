"""`index_text` is a fast path: it must equal joining the tokens one by one."""

from hypothesis import given
from hypothesis import strategies as st

from cqphub.registry.search.text import index_text, tokens

ALPHABET = st.sampled_from(list("abcdeéèêàçôœæÉŒ_-'’ .,;:/()0123456789\t\nßﬁİ"))


@given(st.lists(st.text(alphabet=ALPHABET, max_size=40), max_size=4))
def test_index_text_equals_joined_tokens(parts):
    assert index_text(*parts) == " ".join(t for part in parts if part for t in tokens(part))


def test_index_text_on_a_real_title():
    assert index_text("Cœur d’Électricien", "RNCP37488") == "coeur d electricien rncp37488"


def test_index_text_separators_outside_ascii():
    text = "«\u00a0Soudeur\u00a0» – niveau 3\u2009: tôlier·ère\u3000_CQP_ 2°\ud800fin"
    assert index_text(text) == " ".join(tokens(text)) == "soudeur niveau 3 tolier ere cqp 2 fin"
