"""Search tokens, query parsing and highlighting: pure functions, no database.

Both backends index and query the *same* folded tokens, produced here with `cqphub.text.fold`: lower
case, accents removed, ligatures unfolded (œ → oe, æ → ae: FTS5's `remove_diacritics` does not do it), every run of letters or
digits a token (as FTS5's `unicode61` tokenizer splits). So `Électricien`, `electricien` and `ÉLECTRICIEN`
are one token, `cœur` and `coeur` too, and SQLite and PostgreSQL find the same fiches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cqphub.text import fold

_TOKEN = re.compile(r"[^\W_]+")
# Words that carry no meaning alone in a French (or English) query: dropped from queries of several
# words, kept inside quoted phrases. The index keeps them, so phrases still match exactly.
STOPWORDS = frozenset("a au aux d de des du en et l la le les un une pour par sur dans ou the of and".split())
# Words that say "this is a CQP" on nearly every CQP title: they do not make a title less close.
NEUTRAL_TITLE_WORDS = frozenset({"cqp", "cqpi", "cqpm"})
MIN_PREFIX = 2  # `s*` would match half the registry and cannot use the prefix index
CODE_QUERY = re.compile(r"^\s*(rncp|rs)\s*[-_ ]?\s*(\d{1,6})\s*$", re.IGNORECASE)
NUMBER_QUERY = re.compile(r"^\s*(\d{1,6})\s*$")


def tokens(text: str) -> list[str]:
    """The folded tokens of a text, as both indexes see them."""
    return _TOKEN.findall(fold(text))


# Every ASCII byte but a letter or digit made a space (UTF-8 bytes of other characters kept as they are)
_ASCII_SEPARATORS = bytes(
    b if (48 <= b <= 57 or 65 <= b <= 90 or 97 <= b <= 122 or b >= 128) else 32 for b in range(256)
)
_OTHER_SEPARATORS = re.compile(r"[^\x00-\x7f\w]+")  # the separators outside ASCII


def index_text(*parts: str) -> str:
    """What is written to the index: folded tokens joined by spaces (same input for both backends).

    Equal to `" ".join(tokens(...))` (tokens are the maximal runs between separators), but done in
    bulk: ASCII separators by one `bytes.translate`, the rare others by a regular expression, runs of
    spaces by `split`. A whole-registry index build spent most of its time here (3x faster than one
    `[\\W_]+` substitution, whose cost is one match per word).
    """
    text = fold(" ".join(part for part in parts if part)).encode("utf-8", "surrogatepass")
    text = text.translate(_ASCII_SEPARATORS).decode("utf-8", "surrogatepass")
    if not text.isascii():
        text = _OTHER_SEPARATORS.sub(" ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Term:
    """One unit of a query: a word (possibly a prefix) or a quoted phrase of several words."""

    words: tuple[str, ...]
    prefix: bool = False  # the last word is a prefix (`soud` → soudeur, soudage…)

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class ParsedQuery:
    raw: str
    terms: tuple[Term, ...] = ()
    code: tuple[str | None, int] | None = None  # (register or None for a bare number, number)
    words: tuple[str, ...] = field(default=())  # every word, for highlighting

    @property
    def is_empty(self) -> bool:
        return not self.terms and self.code is None


def parse_query(raw: str) -> ParsedQuery:
    """Parse what a person typed.

    - `RNCP37488`, `rncp 37488`, `rs5719`, `37488` are code queries (resolved before full text);
    - `"..."` is a phrase; other words are combined (all must match);
    - the last word is a prefix unless the query ends with a space or a closing quote; `word*` too;
    - French stop words are dropped outside phrases when other words remain.
    """
    raw = (raw or "")[:200]
    ends_open = bool(raw.strip()) and not raw.endswith((" ", '"'))
    raw = raw.strip()
    code = None
    if m := CODE_QUERY.match(raw):
        code = (m.group(1).upper(), int(m.group(2)))
    elif m := NUMBER_QUERY.match(raw):
        code = (None, int(m.group(1)))
    parts = re.findall(r'"([^"]*)"?|(\S+)', raw)
    terms: list[Term] = []
    for index, (phrase, word) in enumerate(parts):
        last = index == len(parts) - 1
        if phrase:
            words = tuple(tokens(phrase))
            if words:
                terms.append(Term(words))
            continue
        starred = word.endswith("*")
        words = tuple(tokens(word))
        if not words:
            continue
        # "d'équipe" gives two tokens: keep them together as a phrase
        # a number is typed whole (a code, an IDCC): `3117` must not find 31170
        prefix = (starred or (last and ends_open)) and len(words[-1]) >= MIN_PREFIX
        prefix = prefix and not words[-1].isdigit()
        terms.append(Term(words, prefix=prefix))
    meaningful = [t for t in terms if t.is_phrase or t.words[0] not in STOPWORDS]
    if meaningful:
        terms = meaningful
    # the same term twice adds nothing
    unique = tuple(dict.fromkeys(terms))
    all_words = tuple(dict.fromkeys(w for t in unique for w in t.words))
    return ParsedQuery(raw=raw, terms=unique, code=code, words=all_words)


# -- the two query languages ----------------------------------------------------------------------
def fts5_expression(query: ParsedQuery, columns: tuple[str, ...] | None = None) -> str:
    """An FTS5 MATCH expression; tokens are [a-z0-9] only, so quoting is safe."""
    parts = []
    for term in query.terms:
        text = '"' + " ".join(term.words) + '"'
        parts.append(text + (" *" if term.prefix else ""))
    expression = " AND ".join(parts)
    if columns:
        expression = "{" + " ".join(columns) + "} : (" + expression + ")"
    return expression


def tsquery_expression(query: ParsedQuery, weights: str = "") -> str:
    """A PostgreSQL `to_tsquery('simple', …)` expression with the same meaning as `fts5_expression`."""
    parts = []
    for term in query.terms:
        lexemes = []
        for i, word in enumerate(term.words):
            star = "*" if (term.prefix and i == len(term.words) - 1) else ""
            suffix = f":{star}{weights}" if (star or weights) else ""
            lexemes.append(f"'{word}'{suffix}")
        parts.append("(" + " <-> ".join(lexemes) + ")" if len(lexemes) > 1 else lexemes[0])
    return " & ".join(parts)


# -- matching in Python (ranking tiers, highlighting) ---------------------------------------------
def _word_matches(word: str, token: str, prefix: bool) -> bool:
    return token.startswith(word) if prefix else token == word


def term_matches(term: Term, toks: list[str]) -> bool:
    """Does this term occur in this token list (phrase words consecutive)?"""
    n = len(term.words)
    for start in range(len(toks) - n + 1):
        ok = True
        for i, word in enumerate(term.words):
            if not _word_matches(word, toks[start + i], term.prefix and i == n - 1):
                ok = False
                break
        if ok:
            return True
    return False


def all_terms_match(query: ParsedQuery, toks: list[str]) -> bool:
    return bool(query.terms) and all(term_matches(t, toks) for t in query.terms)


def unmatched_count(query: ParsedQuery, toks: list[str]) -> int:
    """Meaningful tokens of a title that no query word accounts for (fewer: a closer title)."""
    count = 0
    for tok in toks:
        if tok in STOPWORDS or tok in NEUTRAL_TITLE_WORDS:
            continue
        if not any(
            _word_matches(w, tok, t.prefix and i == len(t.words) - 1)
            for t in query.terms
            for i, w in enumerate(t.words)
        ):
            count += 1
    return count


_WORD_SPAN = re.compile(r"[^\W_]+")


def highlight(text: str, query: ParsedQuery) -> SafeString:
    """The text, HTML-escaped, with every word that a query word matches wrapped in <mark>."""
    if not text:
        return mark_safe("")  # noqa: S308 - empty
    if not query.terms:
        return escape(text)
    matchers = [(w, t.prefix and i == len(t.words) - 1) for t in query.terms for i, w in enumerate(t.words)]
    out: list[str] = []
    last = 0
    for m in _WORD_SPAN.finditer(text):
        folded = tokens(m.group(0))
        hit = any(_word_matches(w, tok, p) for tok in folded for w, p in matchers)
        if hit:
            out.append(escape(text[last : m.start()]))
            out.append("<mark>" + escape(m.group(0)) + "</mark>")
            last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def snippet(text: str, query: ParsedQuery, width: int = 160) -> SafeString | None:
    """A window of `text` around the first matching word, highlighted; None when no word matches."""
    if not text or not query.terms:
        return None
    matchers = [(w, t.prefix and i == len(t.words) - 1) for t in query.terms for i, w in enumerate(t.words)]
    for m in _WORD_SPAN.finditer(text):
        if any(_word_matches(w, tok, p) for tok in tokens(m.group(0)) for w, p in matchers):
            start = max(0, m.start() - width // 3)
            if start:
                space = text.find(" ", start)
                start = space + 1 if 0 <= space < m.start() else start
            end = min(len(text), start + width)
            if end < len(text):
                space = text.rfind(" ", m.end(), end)
                end = space if space > m.end() else end
            piece = " ".join(text[start:end].split())
            prefix = "… " if start else ""
            suffix = " …" if end < len(text) else ""
            return mark_safe(prefix + highlight(piece, query) + suffix)  # noqa: S308 - highlight escapes
    return None


class TitleMatcher:
    """The ranking's title tests, compiled once per query and run on space-joined folded tokens.

    Same answers as `all_terms_match` / `unmatched_count` on the token list (a test checks it), at a
    fraction of the cost: the engine runs them on thousands of candidate titles.
    """

    def __init__(self, query: ParsedQuery):
        self.term_patterns = []
        for term in query.terms:
            words = [re.escape(w) for w in term.words]
            if term.prefix:
                words[-1] += "[^ ]*"
            self.term_patterns.append(re.compile(r"(?<![^ ])" + " ".join(words) + r"(?![^ ])"))
        alternatives = []
        for term in query.terms:
            for i, word in enumerate(term.words):
                prefix = term.prefix and i == len(term.words) - 1
                alternatives.append(re.escape(word) + ("[^ ]*" if prefix else ""))
        self.any_word = (
            re.compile(r"(?<![^ ])(?:" + "|".join(alternatives) + r")(?![^ ])") if alternatives else None
        )

    def all_match(self, text: str) -> bool:
        return bool(self.term_patterns) and all(p.search(text) for p in self.term_patterns)

    def unmatched(self, text: str, meaningful: int) -> int:
        """`meaningful`: the title's tokens that are neither stop words nor CQP words."""
        if self.any_word is None:
            return meaningful
        hits = sum(
            1 for m in self.any_word.findall(text) if m not in STOPWORDS and m not in NEUTRAL_TITLE_WORDS
        )
        return meaningful - hits


def meaningful_count(toks: list[str]) -> int:
    return sum(1 for t in toks if t not in STOPWORDS and t not in NEUTRAL_TITLE_WORDS)
