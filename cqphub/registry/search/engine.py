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

from collections import Counter
from dataclasses import dataclass, field
from itertools import chain

from django.db import connection
from django.utils.safestring import SafeString

from cqphub.registry.search import index as search_index
from cqphub.registry.search.filters import ROUTES, SearchFilters
from cqphub.registry.search.text import ParsedQuery, TitleMatcher, highlight, parse_query, snippet

MAX_PAGE_SIZE = 100
MAX_PAGE = 500
FACET_LIMIT = 15
BROWSE_CACHE_SIZE = 256  # filter combinations kept per index version for queries without words  # values shown per facet (the selected ones always are)
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

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def search_certifications(
    query: str | ParsedQuery, filters: SearchFilters | None = None, *, page: int = 1, page_size: int = 20
) -> SearchResults:
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    filters = filters or SearchFilters()
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    page = max(1, min(int(page), MAX_PAGE))
    snap = search_index.snapshot()

    # 1. candidates: the code typed, then full-text matches (or every fiche when there are no words)
    code_ids = _code_matches(parsed, snap)
    in_blocks: set[int] = set()
    if parsed.terms:
        be = search_index.backend()
        with connection.cursor() as cursor:
            anywhere = be.match(cursor, parsed)
            if anywhere:
                in_blocks = set(be.match(cursor, parsed, restricted=True))
        seen = set(code_ids)
        candidates = code_ids + [cid for cid in anywhere if cid not in seen and cid in snap.items]
    elif code_ids:
        candidates = code_ids
    else:
        candidates = snap.default_order  # already in browsing order

    # 2. filters and facets in one pass (a facet counts with every *other* filter applied)
    browsing = not parsed.terms and not code_ids
    cached = snap.browse_cache.get(filters) if browsing else None
    checks = _checks(filters) if cached is None else []
    if cached is not None:
        candidates = ()
    kept: list = []
    missed_one: dict[str, list] = {name: [] for name in FACET_NAMES}
    items = snap.items
    for cid in candidates:
        item = items[cid]
        failed = None
        misses = 0
        for name, check in checks:
            if not check(item):
                misses += 1
                failed = name
                if misses > 1:
                    break
        if misses == 0:
            kept.append(item)
        elif misses == 1:
            missed_one[failed].append(item)
    if cached is not None:
        kept, counters = cached
    else:
        counters = _count_facets(kept, missed_one)
        if browsing and len(snap.browse_cache) < BROWSE_CACHE_SIZE:
            # browsing the whole registry is the same answer until the next import: keep it
            snap.browse_cache[filters] = (kept, counters)

    # ranking, for the fiches kept only
    ranked: dict[int, int] = {}
    if parsed.terms or code_ids:
        matcher = TitleMatcher(parsed)
        codes = set(code_ids)
        keyed = []
        for item in kept:
            if item.id in codes:
                key = (0, 0, 0, code_ids.index(item.id))
            else:
                key = _rank(matcher, item, item.id in in_blocks)
            ranked[item.id] = key[0]
            keyed.append((key, item.id))
        keyed.sort()
        kept_ids = [cid for _key, cid in keyed]
    else:
        kept_ids = [item.id for item in kept]
    total = len(kept_ids)

    # 3. one page of hits, with highlights and snippets
    window = kept_ids[(page - 1) * page_size : page * page_size]
    needs_snippet = [cid for cid in window if ranked.get(cid, 5) in (3, 4)]
    sources = search_index.load_sources(needs_snippet)
    hits = [_hit(items[cid], ranked.get(cid, 5), parsed, sources.get(cid)) for cid in window]

    exact = None
    if parsed.code and len(code_ids) == 1 and (parsed.code[0] is not None or len(candidates) == 1):
        exact = snap.items[code_ids[0]].code
    elif parsed.code and not code_ids:
        exact = _withdrawn_code(parsed)
    return SearchResults(
        query=parsed.raw,
        parsed=parsed,
        filters=filters,
        page=page,
        page_size=page_size,
        total=total,
        hits=hits,
        facets=_facets(counters, filters, snap),
        exact_code=exact,
    )


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
    return (
        Certification.objects.filter(register=register, number=number).values_list("code", flat=True).first()
    )


def _rank(matcher: TitleMatcher, item, in_blocks: bool) -> tuple:
    if matcher.all_match(item.title_text):
        tier, closeness = 1, matcher.unmatched(item.title_text, item.meaningful)
    elif matcher.all_match(item.title_abbreviation_text):
        tier, closeness = 2, matcher.unmatched(item.title_text, item.meaningful)
    elif in_blocks:
        tier, closeness = 3, 0
    else:
        tier, closeness = 4, 0
    return (tier, closeness, not item.active, -item.number)


def _count_facets(kept: list, missed_one: dict[str, list]) -> dict[str, Counter]:
    """Counts per facet value: the fiches kept, plus those that miss only this facet's own filter."""
    counters: dict[str, Counter] = {name: Counter() for name in FACET_NAMES}
    for (name, value), n in Counter(chain.from_iterable(item.facet_tokens for item in kept)).items():
        counters[name][value] = n
    for name, items in missed_one.items():
        if items:
            counters[name].update(chain.from_iterable(item.facet_values[name] for item in items))
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
        out[name] = [
            FacetValue(value=v, label=labels.get(v, "") or v, count=counter.get(v, 0), selected=v in selected)
            for v in values
        ]
    return out
