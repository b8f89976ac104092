"""The search itself: code lookup, full-text candidates, tiers, filters, facets, one page of hits.

Ranking (the same on both backends, computed here from the backend's candidate sets):
  tier 0  the code typed (RNCP37488, rs5719, 37488)
  tier 1  every query term in the title
  tier 2  every term in the title or the abbreviation
  tier 3  every term in title, abbreviation or blocks (titles, skills)
  tier 4  elsewhere (ROME, certifiers, collective agreements, NSF, jobs)
Within a tier: a closer title first (fewer title words the query does not account for; tiers 1–2),
then active before inactive, then the most recent fiche (higher number).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain

from django.db import connection
from django.utils.safestring import SafeString

from cqphub.registry.search import index as search_index
from cqphub.registry.search.filters import ROUTES, SearchFilters
from cqphub.registry.search.text import (
    NEUTRAL_TITLE_WORDS,
    STOPWORDS,
    ParsedQuery,
    TitleMatcher,
    highlight,
    parse_query,
    snippet,
)

MAX_PAGE_SIZE = 100
MAX_PAGE = 500
FACET_LIMIT = 15  # values shown per facet (the selected ones always are)
RESULTS_CACHE_SIZE = 128  # (query, filters) answers kept per process until the next import
BROWSE_CACHE_SIZE = 256  # the same without words (filters only)
FILTER_CACHE_SIZE = 64  # (filter, value) → passing fiches, kept for large candidate sets
FILTER_CACHE_MIN = 2000  # candidates from which a filter's set is computed over the whole registry
TIER_NAMES = {0: "code", 1: "title", 2: "abbreviation", 3: "blocks", 4: "other"}
SOURCE_ORDER = {"block": 0, "rome": 1, "certifier": 2, "idcc": 3, "nsf": 4, "jobs": 5}


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchHit:
    id: int
    code: str
    register: str
    title: str
    title_html: SafeString
    abbreviation: str
    level: int | None
    active: bool
    is_cqp: bool
    is_interbranch: bool
    end_date: str | None
    certifiers: tuple[str, ...]
    matched_in: str
    tier: int
    snippet_html: SafeString | None = None
    snippet_source: str | None = None
    withdrawn: bool = False


@dataclass
class SearchResults:
    query: str
    parsed: ParsedQuery
    filters: SearchFilters
    page: int
    page_size: int
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    exact_code: str | None = None  # the query named exactly this fiche: a page may go straight to it
    # when the words typed found nothing: the results are those of another query (see search_certifications)
    corrected_from: str | None = None  # the query as typed, when these results are for its spelling fix
    partial_from: str | None = None  # the query as typed, when these results are for some of its words
    alternatives: tuple[str, ...] = ()  # other queries with some of the words, that find fiches too
    sort: str = "relevance"

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


SORTS = ("relevance", "recent", "title", "level")


def search_certifications(
    query: str | ParsedQuery,
    filters: SearchFilters | None = None,
    *,
    page: int = 1,
    page_size: int = 20,
    sort: str = "relevance",
    tolerant: bool = True,
) -> SearchResults:
    """One page of results. When the words typed find nothing (and `tolerant`), two second chances:

    1. the spelling fixed from the index's own vocabulary (`spelling.Speller`): "devlopeur" → "developpeur";
    2. all words together finding nothing, the largest group of them that finds fiches (the others offered
       as `alternatives`).
    The results then say which query they answer (`corrected_from`, `partial_from`).
    """
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    filters = filters or SearchFilters()
    sort = sort if sort in SORTS else "relevance"
    results = _search(parsed, filters, page, page_size, sort)
    if results.total or not tolerant or not parsed.terms:
        return results
    corrected = _corrected(parsed)
    if corrected is not None:
        fixed = _search(corrected, filters, page, page_size, sort)
        if fixed.total:
            fixed.corrected_from = parsed.raw
            return fixed
        parsed_for_parts = corrected
    else:
        parsed_for_parts = parsed
    if len(parsed_for_parts.terms) < 2:
        return results
    found = []
    for keep in _word_groups(parsed_for_parts):
        sub = _search(keep, filters, 1, 1, sort)
        if sub.total:
            found.append((len(keep.terms), sub.total, keep.raw))
        if found and len(keep.terms) < found[0][0]:
            break  # groups come largest first: a smaller group is never preferred
    if not found:
        return results
    found.sort(key=lambda f: (-f[0], -f[1]))
    best = parse_query(found[0][2] + " ")
    partial = _search(best, filters, page, page_size, sort)
    partial.partial_from = parsed.raw
    partial.corrected_from = parsed.raw if corrected is not None else None
    partial.alternatives = tuple(raw for size, _total, raw in found[1:] if size == found[0][0])
    return partial


def _raw(terms) -> str:
    return " ".join('"' + " ".join(t.words) + '"' if t.is_phrase else t.words[0] for t in terms)


def _word_groups(parsed: ParsedQuery):
    """Queries with all words but one, then (for 3+ words) each word alone: largest groups first."""
    from itertools import combinations

    terms = parsed.terms
    for size in range(len(terms) - 1, 0, -1):
        for group in combinations(terms, size):
            yield ParsedQuery(raw=_raw(group), terms=group, words=tuple(w for t in group for w in t.words))


def speller(snap):
    """The snapshot's spelling corrector, built once per index version from its title vocabulary."""
    found = getattr(snap, "_speller", None)
    if found is None:
        from cqphub.registry.search.spelling import Speller

        counts = {token: len(ids) for token, ids in snap.title_index.items()}
        for token, ids in snap.abbreviation_index.items():
            counts[token] = counts.get(token, 0) + len(ids)
        found = Speller(counts)
        snap._speller = found
    return found


def _corrected(parsed: ParsedQuery) -> ParsedQuery | None:
    """The query with each unknown word replaced by the closest known one; None when nothing changes.

    A word is known when a title or an abbreviation has it (or, for the last word typed, starts with it),
    or when the full text finds it on its own (a certifier's name, a ROME label…).
    """
    snap = search_index.snapshot()
    fixer = speller(snap)
    be = search_index.backend()
    changed = False
    terms = []
    for term in parsed.terms:
        if term.is_phrase:
            terms.append(term)
            continue
        word = term.words[0]
        known = word in fixer or (term.prefix and snap.expand(word))
        if not known:
            with connection.cursor() as cursor:
                known = bool(be.match(cursor, ParsedQuery(raw=word, terms=(term,), words=(word,))))
        fix = None if known else fixer.correct(word)
        if fix:
            changed = True
            terms.append(type(term)((fix,), prefix=False))
        else:
            terms.append(term)
    if not changed:
        return None
    terms = tuple(dict.fromkeys(terms))
    return ParsedQuery(
        raw=_raw(terms), terms=terms, code=None, words=tuple(w for t in terms for w in t.words)
    )


def _search(
    parsed: ParsedQuery, filters: SearchFilters, page: int, page_size: int, sort: str
) -> SearchResults:
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    page = max(1, min(int(page), MAX_PAGE))
    snap = search_index.snapshot()

    # 1–2. candidates, filters, facets and the order: computed once per (query, filters) and index version
    # (browsing without words has its own cache: the landing page and its filters, always asked)
    key = (parsed.terms, parsed.code, filters)
    browsing = not parsed.terms and parsed.code is None
    cache = snap.browse_cache if browsing else snap.results_cache
    answer = snap.cached(cache, key)
    if answer is None:
        answer = _answer(parsed, filters, snap)
        snap.remember(cache, key, answer, BROWSE_CACHE_SIZE if browsing else RESULTS_CACHE_SIZE)

    # 3. one page of hits, with highlights and snippets
    start = (page - 1) * page_size
    if sort == "relevance":
        window = answer.window(start, start + page_size, parsed)
    else:
        window = [(cid, 5) for cid in _sorted_ids(answer, sort, snap)[start : start + page_size]]
    needs_snippet = [cid for cid, tier in window if tier in (3, 4)]
    sources = search_index.load_sources(needs_snippet)
    items = snap.items
    hits = [_hit(items[cid], tier, parsed, sources.get(cid)) for cid, tier in window]

    exact = None
    code_ids = answer.code_ids
    if parsed.code and len(code_ids) == 1 and (parsed.code[0] is not None or answer.candidates == 1):
        exact = items[code_ids[0]].code
    elif parsed.code and not code_ids:
        exact = _withdrawn_code(parsed)
    return SearchResults(
        query=parsed.raw,
        parsed=parsed,
        filters=filters,
        page=page,
        page_size=page_size,
        total=answer.total,
        hits=hits,
        facets={
            name: [FacetValue(v.value, v.label, v.count, v.selected) for v in values]
            for name, values in answer.facets.items()
        },
        exact_code=exact,
        sort=sort,
    )


def _sorted_ids(answer: _Answer, sort: str, snap) -> list[int]:
    """Every fiche of the answer in another order than relevance (active ones first in each)."""
    items = snap.items
    ids = answer.head + answer.rest
    if sort == "recent":
        key = lambda cid: (not items[cid].active, -items[cid].number)  # noqa: E731
    elif sort == "title":
        key = lambda cid: (not items[cid].active, items[cid].title_text, cid)  # noqa: E731
    else:  # level, highest first; no level last
        key = lambda cid: (not items[cid].active, -(items[cid].level or 0), -items[cid].number)  # noqa: E731
    return sorted(ids, key=key)


@dataclass
class _Answer:
    """The filtered, ordered answer to one (query, filters), shared by every page of it.

    `head`: the fiches of tiers 0–2 (code, title, abbreviation), fully ranked; `rest`: the others, in
    (active, most recent) order. Telling tier 3 (blocks) from tier 4 (elsewhere) takes one more full-text
    query: it is asked only when a page reaches past the head (`_split`), usually never.
    """

    head: list[int]
    bounds: list[int]  # where tiers 0, 1 and 2 end in `head`
    rest: list[int]
    facets: dict[str, list[FacetValue]]
    code_ids: list[int]
    candidates: int  # the fiches found before filters (the code query's own, and full-text matches)
    parsed: ParsedQuery | None = None  # None: browsing, no tiers
    position: dict[int, int] | None = None  # to order `rest`, when it is not yet (None: browsing)
    rest_split: int | None = None  # rest[:rest_split] is tier 3, once known

    @property
    def total(self) -> int:
        return len(self.head) + len(self.rest)

    def window(self, start: int, end: int, parsed: ParsedQuery) -> list[tuple[int, int]]:
        """(id, tier) of the fiches ranked start … end - 1."""
        head, bounds = self.head, self.bounds
        out = [(cid, bisect_right(bounds, start + n)) for n, cid in enumerate(head[start:end])]
        if end > len(head) and self.rest:
            if self.parsed is None:
                return out + [(cid, 5) for cid in self.rest[max(0, start - len(head)) : end - len(head)]]
            if self.rest_split is None:
                self._split(parsed)
            first = max(0, start - len(head))
            for n, cid in enumerate(self.rest[first : end - len(head)]):
                out.append((cid, 3 if first + n < self.rest_split else 4))
        return out

    def _split(self, parsed: ParsedQuery) -> None:
        be = search_index.backend()
        with connection.cursor() as cursor:
            in_blocks = be.match_among(cursor, parsed, self.rest, restricted=True)
        rest = sorted(self.rest, key=self.position.__getitem__)
        three = [cid for cid in rest if cid in in_blocks]
        four = [cid for cid in rest if cid not in in_blocks]
        self.rest, self.rest_split = three + four, len(three)


def _answer(parsed: ParsedQuery, filters: SearchFilters, snap) -> _Answer:
    items = snap.items
    # candidates: the code typed, then full-text matches (or every fiche when there are no words)
    code_ids = _code_matches(parsed, snap)
    pool = set(code_ids)
    if parsed.terms:
        be = search_index.backend()
        with connection.cursor() as cursor:
            anywhere = be.match(cursor, parsed)
        pool |= items.keys() & set(anywhere)
    browsing = not parsed.terms and not code_ids
    candidates = len(pool)
    if browsing:
        pool = items.keys()

    # filters, as sets: kept passes them all; missed[name] fails only that one (it counts in its facet)
    passing = {
        name: _passing(snap, name, getattr(filters, name), check, pool) for name, check in _checks(filters)
    }
    if passing:
        kept = set.intersection(*passing.values())
        missed = {}
        for name, ids in passing.items():
            others = [other for other_name, other in passing.items() if other_name != name]
            missed[name] = (set.intersection(*others) if others else set(pool)) - ids
    else:
        kept, missed = (set(pool) if browsing else pool), {}
    facets = _facets(_count_facets(snap, kept, missed), filters, snap)

    if browsing:
        rest = (
            snap.default_order
            if len(kept) == len(items)
            else [cid for cid in snap.default_order if cid in kept]
        )
        return _Answer(head=[], bounds=[], rest=rest, facets=facets, code_ids=[], candidates=candidates)

    # ranking: the code first, then every term in the title, then in title or abbreviation
    position = snap.position
    order = {cid: n for n, cid in enumerate(code_ids)}
    codes = [cid for cid in code_ids if cid in kept]
    others = kept.difference(order) if order else kept
    in_title, in_title_or_abbreviation = _title_tiers(parsed, snap, others)
    closeness = _closeness(parsed, snap)
    by_closeness = lambda cid: (closeness(cid), position[cid])  # noqa: E731
    tier1 = sorted(in_title, key=by_closeness)
    tier2 = sorted(in_title_or_abbreviation - in_title, key=by_closeness)
    head = codes + tier1 + tier2
    bounds = [len(codes), len(codes) + len(tier1), len(head)]
    return _Answer(
        head=head,
        bounds=bounds,
        rest=list(others - in_title_or_abbreviation),  # ordered on first use (see _Answer._split)
        facets=facets,
        code_ids=code_ids,
        candidates=candidates,
        parsed=parsed,
        position=position,
    )


def _passing(snap, name: str, value, check, pool) -> set[int]:
    """The fiches of `pool` that pass one filter; for large pools, from the filter's set over the registry."""
    if len(pool) < FILTER_CACHE_MIN:
        cached = snap.cached(snap.filter_cache, (name, value))
        if cached is None:
            items = snap.items
            return {cid for cid in pool if check(items[cid])}
    else:
        cached = snap.cached(snap.filter_cache, (name, value))
        if cached is None:
            cached = frozenset(cid for cid, item in snap.items.items() if check(item))
            snap.remember(snap.filter_cache, (name, value), cached, FILTER_CACHE_SIZE)
    return pool & cached


def _title_tiers(parsed: ParsedQuery, snap, pool: set[int]) -> tuple[set[int], set[int]]:
    """The fiches of `pool` with every term in the title, and with every term in title or abbreviation.

    The same answers as `TitleMatcher.all_match` on `title_text` / `title_abbreviation_text`, from the
    snapshot's token sets: a word is one token, a prefix any token that starts with it. A phrase needs
    its words in a row: its words' sets narrow the fiches, the regular expression decides.
    """
    if not parsed.terms or not pool:
        return set(), set()
    title_index, abbreviation_index = snap.title_index, snap.abbreviation_index
    in_title, in_either = pool, pool
    phrases = False
    for term in parsed.terms:
        phrases = phrases or term.is_phrase
        for n, word in enumerate(term.words):
            tokens = snap.expand(word) if term.prefix and n == len(term.words) - 1 else (word,)
            title_sets = [title_index[t] for t in tokens if t in title_index]
            abbreviation_sets = [abbreviation_index[t] for t in tokens if t in abbreviation_index]
            in_title = (
                in_title.intersection(*title_sets)
                if len(title_sets) == 1
                else (in_title & set().union(*title_sets))
            )
            in_either = in_either & set().union(*title_sets, *abbreviation_sets)
    if phrases:
        matcher = TitleMatcher(parsed)
        items = snap.items
        in_title = {cid for cid in in_title if matcher.all_match(items[cid].title_text)}
        in_either = {cid for cid in in_either if matcher.all_match(items[cid].title_abbreviation_text)}
    return in_title, in_either | in_title


def _closeness(parsed: ParsedQuery, snap):
    """`TitleMatcher.unmatched` from the tokens: the title's meaningful tokens no query word accounts for."""
    matched = set()
    for term in parsed.terms:
        for n, word in enumerate(term.words):
            if term.prefix and n == len(term.words) - 1:
                matched.update(snap.expand(word))
            else:
                matched.add(word)
    matched -= STOPWORDS
    matched -= NEUTRAL_TITLE_WORDS
    items = snap.items
    is_matched = matched.__contains__

    def closeness(cid: int) -> int:
        item = items[cid]
        return item.meaningful - sum(map(is_matched, item.title_tokens))

    return closeness


def _code_matches(parsed: ParsedQuery, snap) -> list[int]:
    if not parsed.code:
        return []
    register, number = parsed.code
    ids = [cid for cid in snap.by_number.get(number, []) if register in (None, snap.items[cid].register)]
    return sorted(ids, key=lambda cid: snap.items[cid].register)  # RNCP before RS


def _withdrawn_code(parsed: ParsedQuery) -> str | None:
    """A code typed exactly whose fiche is withdrawn (not searchable) still leads to its page."""
    from cqphub.registry.models import Certification

    register, number = parsed.code
    if register is None:
        return None
    # by the number's index alone: with the register too, SQLite chose the (register, active) index and
    # read half the table
    rows = Certification.objects.filter(number=number).values_list("pk", "code", "register")
    found = sorted((pk, code) for pk, code, in_register in rows if in_register == register)
    return found[0][1] if found else None


def _count_facets(snap, kept: set[int], missed: dict[str, set[int]]) -> dict[str, Counter]:
    """Counts per facet value: the fiches kept, plus those that miss only this facet's own filter."""
    counters: dict[str, Counter] = {name: Counter() for name in FACET_NAMES}
    pairs = snap.facet_pairs
    for number, n in Counter(chain.from_iterable(map(snap.facet_ids.__getitem__, kept))).items():
        for name, value in pairs[number]:
            counters[name][value] += n
    for name, ids in missed.items():
        if ids:
            counters[name].update(chain.from_iterable(map(snap.facet_column(name).__getitem__, ids)))
    return counters


def _hit(item, tier: int, parsed: ParsedQuery, sources) -> SearchHit:
    hit = SearchHit(
        id=item.id,
        code=item.code,
        register=item.register,
        title=item.title,
        title_html=highlight(item.title, parsed),
        abbreviation=item.abbreviation,
        level=item.level,
        active=item.active,
        is_cqp=item.is_cqp,
        is_interbranch=item.is_interbranch,
        end_date=item.end_date,
        certifiers=item.certifiers,
        matched_in=TIER_NAMES.get(tier, "all"),
        tier=tier,
        withdrawn=item.withdrawn,
    )
    if sources:
        wanted = "block" if tier == 3 else None
        for kind, text in sorted(sources, key=lambda s: SOURCE_ORDER.get(s[0], 9)):
            if wanted and kind != wanted:
                continue
            found = snippet(text, parsed)
            if found:
                hit.snippet_html, hit.snippet_source = found, kind
                break
    return hit


# -- filters and facets ------------------------------------------------------------------------------
FACET_NAMES = ("register", "kind", "status", "level", "nsf", "rome", "idcc", "certifier", "route", "partial")
FEW_VALUES = ("register", "kind", "status", "level", "route", "partial")
FACET_VALUES = {
    "register": lambda it: (it.register,),
    "kind": lambda it: (
        (("cqp", "cqpi") if it.is_interbranch else ("cqp",)) if it.is_cqp or it.is_interbranch else ()
    ),
    "status": lambda it: ("active" if it.active else "inactive",),
    "level": lambda it: (str(it.level),) if it.level else (),
    "nsf": lambda it: it.nsf_domains,
    "rome": lambda it: tuple(dict.fromkeys(code for code, _ in it.rome)),
    "idcc": lambda it: tuple(dict.fromkeys(code for code, _ in it.idcc)),
    "certifier": lambda it: tuple(dict.fromkeys(it.certifiers)),
    "route": lambda it: it.routes,
    "partial": lambda it: ("yes",) if it.partial else ("no",),
}


def _checks(f: SearchFilters) -> list[tuple[str, callable]]:
    checks = []
    if f.register:
        checks.append(("register", lambda it: it.register in f.register))
    if f.kind == "cqp":
        checks.append(("kind", lambda it: it.is_cqp or it.is_interbranch))
    elif f.kind == "cqpi":
        checks.append(("kind", lambda it: it.is_interbranch))
    if f.status != "all":
        want = f.status == "active"
        checks.append(("status", lambda it: it.active is want))
    if f.level:
        checks.append(("level", lambda it: it.level in f.level))
    if f.nsf:
        wanted = set(f.nsf)
        checks.append(("nsf", lambda it: not wanted.isdisjoint(it.nsf_domains)))
    if f.rome:
        wanted_rome = set(f.rome)
        checks.append(("rome", lambda it: any(code in wanted_rome for code, _ in it.rome)))
    if f.idcc:
        wanted_idcc = set(f.idcc)
        checks.append(("idcc", lambda it: any(code in wanted_idcc for code, _ in it.idcc)))
    if f.certifier:
        wanted_names = {n.casefold() for n in f.certifier}
        checks.append(("certifier", lambda it: any(n.casefold() in wanted_names for n in it.certifiers)))
    if f.route:
        checks.append(("route", lambda it: any(r in it.routes for r in f.route)))
    if f.partial is not None:
        checks.append(("partial", lambda it: bool(it.partial) is f.partial))
    return checks


def _selected(filters: SearchFilters, name: str) -> set[str]:
    value = getattr(filters, name)
    if name == "status":
        return {value}
    if name == "partial":
        return set() if value is None else {"yes" if value else "no"}
    if value is None:
        return set()
    if isinstance(value, tuple):
        return {str(v) for v in value}
    return {str(value)}


def _facets(counters: dict[str, Counter], filters: SearchFilters, snap) -> dict[str, list[FacetValue]]:
    out: dict[str, list[FacetValue]] = {}
    for name in FACET_NAMES:
        counter = counters[name]
        selected = _selected(filters, name)
        if name == "status":
            counter["all"] = counter["active"] + counter["inactive"]
        if name in {"register", "kind", "status", "partial", "route", "level"}:
            order = {
                "register": ["RNCP", "RS"],
                "kind": ["cqp", "cqpi"],
                "status": ["active", "inactive", "all"],
                "partial": ["yes", "no"],
                "route": list(ROUTES),
                "level": [str(n) for n in range(1, 9)],
            }[name]
            values = [v for v in order if counter.get(v) or v in selected]
        else:
            values = [v for v, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_LIMIT]]
            values += [v for v in selected if v not in values]
        labels = snap.labels.get(name, {})
        if name == "nsf" and any(not labels.get(v) for v in values):
            labels = {**_nsf_reference_labels(snap), **{k: v for k, v in labels.items() if v}}
        out[name] = [
            FacetValue(value=v, label=labels.get(v, "") or v, count=counter.get(v, 0), selected=v in selected)
            for v in values
        ]
    return out


def _nsf_reference_labels(snap) -> dict[str, str]:
    """NSF labels from the reference lists (fiches often cite a group's code without its label)."""
    found = getattr(snap, "_nsf_labels", None)
    if found is None:
        try:
            from django.apps import apps

            model = apps.get_model("reference", "NsfCode")
            found = dict(model.objects.values_list("code", "label"))
        except Exception:  # noqa: BLE001 - the reference app is optional for search
            found = {}
        snap._nsf_labels = found
    return found
