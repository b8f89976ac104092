"""Building the search index from the registry, and the in-process snapshot the engine filters with.

One row per fiche, withdrawn ones included (they count as inactive: found with the "all" or "inactive"
status, never by default):
- the full-text columns (backend specific: FTS5 table or tsvector), from folded text;
- `data`: the facts used to filter, count facets and show a result (JSON);
- `sources`: the labelled texts a snippet is cut from (blocks, ROME, certifiers…) (JSON).

`update_index(ids)` rewrites those rows and stamps a new random version in `registry_searchstate`, in
the caller's transaction. Each process keeps the `data` of every fiche in memory (a few MB for the full
registry) and reloads it when the stamped version differs from the one it holds: a cheap one-row read
per search, correct with any number of processes, and rolled-back imports leave the old stamp. The
reload runs in a thread while the old snapshot keeps answering (see `snapshot`).
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
import uuid
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction

from cqphub.registry.compression import stored_text
from cqphub.registry.models import Block, Certification, Certifier, Classification
from cqphub.registry.search import postgres_fts, sqlite_fts
from cqphub.registry.search.text import index_text, meaningful_count, tokens

CHUNK = 500
ROUTE_FIELDS = ("initial", "apprenticeship", "continuing", "professionalisation", "individual", "vae")


def backend(conn=None):
    vendor = (conn or connection).vendor
    if vendor == "postgresql":
        return postgres_fts
    if vendor == "sqlite":
        return sqlite_fts
    raise NotImplementedError(f"no search backend for {vendor}")


# -- schema (called by the registry's migration) ---------------------------------------------------
def create_schema(schema_editor) -> None:
    for statement in backend(schema_editor.connection).SCHEMA:
        schema_editor.execute(statement)


def drop_schema(schema_editor) -> None:
    for statement in backend(schema_editor.connection).DROP:
        schema_editor.execute(statement)


# -- writing ---------------------------------------------------------------------------------------
def update_index(certification_ids: Iterable[int] | None = None) -> None:
    """Re-index these certifications (every one when None), in the current transaction."""
    be = backend()
    with transaction.atomic(), connection.cursor() as cursor:
        if certification_ids is None:
            be.delete_all(cursor)
            ids = list(Certification.objects.order_by("id").values_list("id", flat=True))
        else:
            ids = sorted(set(certification_ids))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            if certification_ids is not None:
                be.delete(cursor, chunk)
            docs = build_documents(chunk)
            if docs:
                be.write(cursor, docs)
        _stamp(cursor)


def _stamp(cursor) -> None:
    table = sqlite_fts.STATE_TABLE
    version = uuid.uuid4().hex
    cursor.execute(f"DELETE FROM {table} WHERE key = 'version'")
    cursor.execute(f"INSERT INTO {table} (key, value) VALUES ('version', %s)", [version])
    _store_summary(cursor, version)


# -- the registry's summary, stored with the version ----------------------------------------------
# The home page's counts (fiches, active, CQP, last import) change only when the index does: they are
# computed when a version is stamped (or an import ends without changing anything) and kept in the
# state table beside it, so that the version read every public request makes already brings them.
_summary: tuple[str | None, str, dict] | None = None  # (its version, stored text, summary) last read


def store_summary() -> None:
    """Recompute the stored summary for the current version (an import that changed no fiche)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {sqlite_fts.STATE_TABLE} WHERE key = 'version'")
        row = cursor.fetchone()
        if row:
            _store_summary(cursor, row[0])


def _store_summary(cursor, version: str) -> None:
    from cqphub.registry.selectors import compute_summary

    summary = compute_summary()
    last = summary["last_import"]
    value = json.dumps({**summary, "last_import": last.isoformat() if last else None, "version": version})
    cursor.execute(f"DELETE FROM {sqlite_fts.STATE_TABLE} WHERE key = 'summary'")
    cursor.execute(f"INSERT INTO {sqlite_fts.STATE_TABLE} (key, value) VALUES ('summary', %s)", [value])


def current_version() -> str | None:
    """The index version (one small read; it brings the stored summary along)."""
    global _summary
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, value FROM {sqlite_fts.STATE_TABLE} WHERE key IN ('version', 'summary')")
        rows = dict(cursor.fetchall())
    version = rows.get("version")
    raw = rows.get("summary")
    if version and raw and (_summary is None or _summary[1] != raw):
        stored = json.loads(raw)
        last = stored["last_import"]
        stored["last_import"] = datetime.fromisoformat(last) if last else None
        _summary = (stored.pop("version", None), raw, stored)
    return version


def stored_summary(version: str | None = None) -> dict | None:
    """The summary stored for `version` (read now when not given), or None when none is stored."""
    if version is None:
        version = current_version()
    current = _summary
    if current is None or version is None or current[0] != version:
        return None  # none stored yet, or stored for another version (e.g. a reindex in progress)
    return dict(current[2])


def _agreement_titles(idccs: set[str] | None) -> dict[str, str]:
    """Collective agreement titles from the reference lists, when they are loaded (optional).

    `None` asks for all of them (a few hundred rows): the import reads them once, up front.
    """
    if idccs is not None and not idccs:
        return {}
    try:
        from django.apps import apps

        model = apps.get_model("reference", "CollectiveAgreement")
        rows = model.objects.all() if idccs is None else model.objects.filter(idcc__in=idccs)
        return dict(rows.values_list("idcc", "title"))
    except Exception:  # noqa: BLE001 - the reference app is optional for search
        return {}


def all_agreement_titles() -> dict[str, str]:
    return _agreement_titles(None)


def build_documents(ids: list[int]) -> list[dict]:
    """The search documents of these fiches, read from the registry tables."""
    certs = list(
        Certification.objects.filter(pk__in=ids).values(
            "id", "code", "register", "number", "title", "abbreviation_code", "abbreviation_label",
            "active", "level", "is_cqp", "is_interbranch", "partial_validation", "end_date", "jobs",
            "withdrawn_at", *(f"route_{r}" for r in ROUTE_FIELDS),
        )
    )  # fmt: skip
    if not certs:
        return []
    found = [c["id"] for c in certs]
    blocks: dict[int, list[tuple]] = {}
    for cid, code, title, skills in Block.objects.filter(certification_id__in=found).values_list(
        "certification_id", "code", "title", "skills"
    ):
        blocks.setdefault(cid, []).append((code, title, skills))
    certifiers: dict[int, list[str]] = {}
    for cid, name in Certifier.objects.filter(certification_id__in=found).values_list(
        "certification_id", "name"
    ):
        certifiers.setdefault(cid, []).append(name.strip())
    classes: dict[int, dict[str, list[tuple[str, str]]]] = {}
    for cid, scheme, code, label in Classification.objects.filter(certification_id__in=found).values_list(
        "certification_id", "scheme", "code", "label"
    ):
        classes.setdefault(cid, {}).setdefault(scheme, []).append((code.strip(), label.strip()))
    idccs = {code.zfill(4) for c in classes.values() for code, _ in c.get("idcc", [])}
    agreement_titles = _agreement_titles(idccs)
    return [
        _document(
            c,
            blocks.get(c["id"], []),
            certifiers.get(c["id"], []),
            classes.get(c["id"], {}),
            agreement_titles,
        )
        for c in certs
    ]


def document_parts(r) -> tuple:
    """What a fiche's search document needs beside its certification row, taken from its parsed
    record as plain tuples (the import prepares them in its parsing process)."""
    classes = {
        scheme: [(c.code.strip(), c.label[:500].strip()) for c in getattr(r, scheme)]
        for scheme in ("rome", "nsf", "formacode", "idcc")
        if getattr(r, scheme)
    }
    return (
        r.end_date,
        [(b.code, b.title, b.skills) for b in r.blocks],
        [c.name[:500].strip() for c in r.certifiers],
        classes,
    )


def documents_from_parts(items, agreement_titles: dict[str, str]) -> list[dict]:
    """The same documents as `build_documents`, from what an import is about to write.

    `items` are `(values, parts)`: the certification row the importer writes (column → value) and
    the fiche's `document_parts`. The import builds its index from memory instead of reading back
    what it just wrote; a test holds both paths to the same output.
    """
    docs = []
    for values, (end_date, fiche_blocks, names, classes) in items:
        cert = {key: values.get(key) for key in _CERT_KEYS}  # no "id" yet: an import gives it later
        cert["end_date"] = end_date
        cert["jobs"] = values["jobs"]
        docs.append(_document(cert, fiche_blocks, names, classes, agreement_titles))
    return docs


_CERT_KEYS = (
    "id", "code", "register", "number", "title", "abbreviation_code", "abbreviation_label", "active",
    "level", "is_cqp", "is_interbranch", "partial_validation", *(f"route_{r}" for r in ROUTE_FIELDS),
)  # fmt: skip


def write_documents(cursor, docs: list[dict]) -> None:
    """Replace the index rows of these documents (in the caller's transaction, without a new stamp)."""
    be = backend(cursor.db)
    ids = [d["id"] for d in docs]
    for start in range(0, len(ids), CHUNK):
        be.delete(cursor, ids[start : start + CHUNK])
    be.write(cursor, docs)


_ENCODE_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # built once


def _document(
    c: dict, fiche_blocks: list[tuple], names: list[str], cls: dict, agreement_titles: dict
) -> dict:
    cid = c["id"]
    idcc = [
        (code.zfill(4), label or agreement_titles.get(code.zfill(4), ""))
        for code, label in cls.get("idcc", [])
    ]
    rome = cls.get("rome", [])
    nsf = cls.get("nsf", [])
    data = {
        "c": c["code"],
        "r": c["register"],
        "n": c["number"],
        "t": c["title"],
        "ab": c["abbreviation_code"],
        "abl": c["abbreviation_label"],
        "a": c["active"] and not c.get("withdrawn_at"),
        "w": bool(c.get("withdrawn_at")),
        "l": c["level"],
        "q": c["is_cqp"],
        "qi": c["is_interbranch"],
        "p": c["partial_validation"],
        "e": c["end_date"].isoformat() if c["end_date"] else None,
        "ro": [r for r in ROUTE_FIELDS if c[f"route_{r}"]],
        "nsf": nsf,
        "rome": rome,
        "idcc": idcc,
        "ce": names,
        "tt": " ".join(tokens(c["title"])),
        "at": " ".join(tokens(c["abbreviation_code"] + " " + c["abbreviation_label"])),
    }
    sources = (
        [["block", f"{title}" + (f" — {skills}" if skills else "")] for _code, title, skills in fiche_blocks]
        + [["rome", f"{code} {label}"] for code, label in rome]
        + [["certifier", name] for name in names]
        + [["idcc", f"IDCC {code} {label}".strip()] for code, label in idcc]
        + [["nsf", f"{code} {label}"] for code, label in nsf]
        + ([["jobs", c["jobs"]]] if c["jobs"] else [])
    )
    return {
        "id": cid,
        "code": index_text(c["code"], str(c["number"])),
        "title": index_text(c["title"]),
        "abbreviation": index_text(c["abbreviation_code"], c["abbreviation_label"]),
        "blocks": index_text(*(f"{code} {title} {skills}" for code, title, skills in fiche_blocks)),
        "rest": index_text(
            *(f"{code} {label}" for code, label in rome),
            *names,
            *(f"{code} {label}" for code, label in idcc),
            *(label for _code, label in nsf),
            c["jobs"],
        ),
        "data": _ENCODE_JSON(data),
        "sources": _ENCODE_JSON(sources),
    }


def load_sources(ids: list[int]) -> dict[int, list[list[str]]]:
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT certification_id, sources FROM {sqlite_fts.DOC_TABLE} WHERE certification_id IN ({marks})",
            list(ids),
        )
        # SQLite stores them compressed (`sqlite_fts.stored_doc_row`); PostgreSQL's TOAST does it itself
        return {cid: json.loads(stored_text(sources)) for cid, sources in cursor.fetchall()}


# -- the in-process snapshot -----------------------------------------------------------------------
@dataclass(slots=True)
class Item:
    id: int
    code: str
    register: str
    number: int
    title: str
    abbreviation: str
    abbreviation_label: str
    active: bool
    level: int | None
    is_cqp: bool
    is_interbranch: bool
    partial: bool | None
    end_date: str | None
    routes: tuple[str, ...]
    nsf: tuple[tuple[str, str], ...]
    rome: tuple[tuple[str, str], ...]
    idcc: tuple[tuple[str, str], ...]
    certifiers: tuple[str, ...]
    title_tokens: list[str]
    abbreviation_tokens: list[str]
    title_text: str = ""  # folded tokens joined by spaces (what the ranking's regexes read)
    title_abbreviation_text: str = ""
    meaningful: int = 0  # title tokens that are neither stop words nor CQP words
    facet_values: dict | None = None  # facet → tuple of values (precomputed at load)
    withdrawn: bool = False  # no longer in France compétences' export (counts as inactive)

    @property
    def nsf_domains(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(code[:3] for code, _ in self.nsf if code[:3].isdigit()))


@dataclass
class Snapshot:
    version: str | None
    items: dict[int, Item]
    by_number: dict[int, list[int]]
    labels: dict[str, dict[str, str]]  # facet → value → label
    default_order: list[int]  # browsing without words: active first, then the most recent
    # rank of each fiche in (inactive, -number, id) order: the ranking's last keys as one number
    position: dict[int, int] = field(default_factory=dict)
    # id → the fiche's facet values as numbers, counted in one pass: facet_pairs[number] are the
    # (facet, value) pairs it stands for: one pair, or the fiche's whole profile on the facets with few
    # values (register, kind, status, level, route, partial), which many fiches share
    facet_ids: dict[int, tuple[int, ...]] = field(default_factory=dict)
    facet_pairs: list[tuple[tuple[str, str], ...]] = field(default_factory=list)
    facet_columns: dict[str, dict[int, tuple[str, ...]]] = field(default_factory=dict)  # see facet_column
    # title (and abbreviation) token → ids of the fiches whose title (abbreviation) has it: the ranking's
    # title tiers as set operations instead of a regular expression per candidate
    title_index: dict[str, set[int]] = field(default_factory=dict)
    abbreviation_index: dict[str, set[int]] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)  # every title / abbreviation token, sorted
    # (filter name, value) → ids that pass it, for the filters used on large candidate sets
    filter_cache: OrderedDict = field(default_factory=OrderedDict)
    # (query, filters) → the ranked, filtered answer and its facet counts, until the next import
    results_cache: OrderedDict = field(default_factory=OrderedDict)
    browse_cache: OrderedDict = field(default_factory=OrderedDict)  # the same for queries without words
    lock: threading.Lock = field(default_factory=threading.Lock)

    def expand(self, prefix: str) -> list[str]:
        """The title / abbreviation tokens that start with `prefix`."""
        vocabulary = self.vocabulary
        out = []
        for index in range(bisect_left(vocabulary, prefix), len(vocabulary)):
            token = vocabulary[index]
            if not token.startswith(prefix):
                break
            out.append(token)
        return out

    def facet_column(self, name: str) -> dict[int, tuple[str, ...]]:
        """id → the fiche's values for one facet (built on first use: counting by `map` needs no loop)."""
        column = self.facet_columns.get(name)
        if column is None:
            column = {cid: item.facet_values[name] for cid, item in self.items.items()}
            self.facet_columns[name] = column
        return column

    def cached(self, cache: OrderedDict, key):
        with self.lock:
            value = cache.get(key)
            if value is not None:
                cache.move_to_end(key)
            return value

    def remember(self, cache: OrderedDict, key, value, limit: int) -> None:
        with self.lock:
            cache[key] = value
            cache.move_to_end(key)
            while len(cache) > limit:
                cache.popitem(last=False)


_lock = threading.Lock()
_snapshot: Snapshot | None = None
_reload_lock = threading.Lock()
_reloading: threading.Thread | None = None  # the thread building the next snapshot, while it runs
_retry_at = 0.0  # after a failed build, the next one waits until then (monotonic seconds)
RETRY_SECONDS = 5.0
BUILD_SWITCH_INTERVAL = 0.001  # seconds (Python's default is 0.005) while a snapshot is built
logger = logging.getLogger(__name__)


class OlderAnswers:
    """Set by `snapshot` when a search within `noting_older_answers` was answered from an older snapshot."""

    older = False


_note: ContextVar[OlderAnswers | None] = ContextVar("search_older_answers", default=None)


@contextmanager
def noting_older_answers():
    """Within this block, note whether any search answered from a snapshot older than the index version
    (the public cache must not keep such an answer under the new version's key)."""
    outer = _note.get()
    note = OlderAnswers()
    token = _note.set(note)
    try:
        yield note
    finally:
        _note.reset(token)
        if outer is not None and note.older:  # nested (the API view inside the public cache): both know
            outer.older = True


def snapshot(version: str | None = None) -> Snapshot:
    """Every indexed fiche's facts for the index version (`version`, or read now: a one-row check).

    A process that holds no snapshot loads one before answering. One that holds an older snapshot goes on
    answering from it while a thread builds the new one, then swaps it in: the build takes seconds of CPU
    for the full registry (far more under load), and done inline it made the first requests after an
    import wait past the clients' timeouts. An answer from the older snapshot is marked (`Snapshot.version`
    differs from the index version; see `noting_older_answers`). Inside a transaction the build stays
    inline: another connection would not see the transaction's own writes.
    """
    global _snapshot
    if version is None:
        version = current_version()
    current = _snapshot
    if current is not None and current.version == version:
        return current
    if current is not None and settings.SEARCH_SNAPSHOT_IN_BACKGROUND and not connection.in_atomic_block:
        _start_reload()
        note = _note.get()
        if note is not None:
            note.older = True
        return current
    with _lock:
        if _snapshot is None or _snapshot.version != version:
            _snapshot = _load(version)
        return _snapshot


def _start_reload() -> None:
    """Start the thread that builds the next snapshot, unless one runs (or a failed one is cooling down)."""
    global _reloading
    with _reload_lock:
        if _reloading is not None or time.monotonic() < _retry_at:
            return
        _reloading = threading.Thread(target=_reload, name="search-snapshot-reload", daemon=True)
        _reloading.start()


def _reload() -> None:
    """Build the snapshot of the index version read now, on this thread's own connection, then swap it in."""
    global _snapshot, _reloading, _retry_at
    interval = sys.getswitchinterval()
    try:
        started = time.perf_counter()
        # requests on the other thread get the interpreter back sooner after each of their I/O waits
        sys.setswitchinterval(BUILD_SWITCH_INTERVAL)
        fresh = _load(current_version())
        _prepare(fresh)
        with _lock:
            _snapshot = fresh
        logger.info(
            "search snapshot %s built in %.1f s (%d fiches), now answering",
            (fresh.version or "-")[:8], time.perf_counter() - started, len(fresh.items),
        )  # fmt: skip
    except Exception:
        logger.exception("building the search snapshot failed; the previous one keeps answering")
        _retry_at = time.monotonic() + RETRY_SECONDS
    finally:
        sys.setswitchinterval(interval)
        connection.close()
        with _reload_lock:
            _reloading = None


def _prepare(snap: Snapshot) -> None:
    """What the first searches would otherwise build on the request path (the spelling corrector)."""
    from cqphub.registry.search.engine import speller

    speller(snap)


def wait_for_reload(timeout: float | None = None) -> bool:
    """Wait for a snapshot being built in the background, if any; True when none is running any more."""
    thread = _reloading
    if thread is not None:
        thread.join(timeout)
        return not thread.is_alive()
    return True


def _load(version: str | None) -> Snapshot:
    items: dict[int, Item] = {}
    by_number: dict[int, list[int]] = {}
    labels: dict[str, dict[str, str]] = {"nsf": {}, "rome": {}, "idcc": {}}
    # one object per distinct value or (code, label) pair: thousands of fiches share them (memory), and
    # a dict's setdefault per value is the cheapest way there (the load is the seconds after an import)
    keep = {}.setdefault

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT certification_id, data FROM {sqlite_fts.DOC_TABLE}")
        rows = cursor.fetchall()
    for cid, raw in rows:
        d = json.loads(raw)
        item = Item(
            id=cid,
            code=d["c"],
            register=d["r"],
            number=d["n"],
            title=d["t"],
            abbreviation=d["ab"],
            abbreviation_label=d["abl"],
            active=d["a"],
            level=d["l"],
            is_cqp=d["q"],
            is_interbranch=d["qi"],
            partial=d["p"],
            end_date=d["e"],
            routes=keep(routes := tuple(d["ro"]), routes),
            nsf=tuple([keep(pair := (c, lbl), pair) for c, lbl in d["nsf"]]),
            rome=tuple([keep(pair := (c, lbl), pair) for c, lbl in d["rome"]]),
            idcc=tuple([keep(pair := (c, lbl), pair) for c, lbl in d["idcc"]]),
            certifiers=tuple([keep(n, n) for n in d["ce"]]),
            title_tokens=d["tt"].split(),
            abbreviation_tokens=d["at"].split(),
        )
        item.title_text = d["tt"]
        item.withdrawn = d.get("w", False)
        item.title_abbreviation_text = (d["tt"] + " " + d["at"]).strip()
        item.meaningful = meaningful_count(item.title_tokens)
        items[cid] = item
        by_number.setdefault(item.number, []).append(cid)
        for code, label in item.nsf:
            domain = code[:3]
            if code == domain and label:
                labels["nsf"][domain] = label  # the domain's own label, when a fiche lists it
            else:
                labels["nsf"].setdefault(domain, "")
        for scheme in ("rome", "idcc"):
            for code, label in getattr(item, scheme):
                if label and code not in labels[scheme]:
                    labels[scheme][code] = label
    from cqphub.registry.search.engine import FACET_VALUES, FEW_VALUES

    pair_ids: dict[tuple, int] = {}
    facet_ids: dict[int, tuple[int, ...]] = {}
    title_index: dict[str, set[int]] = {}
    abbreviation_index: dict[str, set[int]] = {}
    for cid, item in items.items():
        item.facet_values = {name: tuple(values(item)) for name, values in FACET_VALUES.items()}
        profile = tuple((name, v) for name in FEW_VALUES for v in item.facet_values[name])
        facet_ids[cid] = (pair_ids.setdefault(profile, len(pair_ids)),) + tuple(
            pair_ids.setdefault(((name, v),), len(pair_ids))
            for name, vs in item.facet_values.items()
            if name not in FEW_VALUES
            for v in vs
        )
        for token in item.title_tokens:
            title_index.setdefault(token, set()).add(cid)
        for token in item.abbreviation_tokens:
            abbreviation_index.setdefault(token, set()).add(cid)
    default_order = sorted(items, key=lambda cid: (not items[cid].active, -items[cid].number))
    ranked = sorted(items, key=lambda cid: (not items[cid].active, -items[cid].number, cid))
    return Snapshot(
        version=version,
        items=items,
        by_number=by_number,
        labels=labels,
        default_order=default_order,
        position={cid: n for n, cid in enumerate(ranked)},
        facet_ids=facet_ids,
        facet_pairs=list(pair_ids),
        title_index=title_index,
        abbreviation_index=abbreviation_index,
        vocabulary=sorted(title_index.keys() | abbreviation_index.keys()),
        # the default filter (status=active) is on nearly every search: its set is built here, once,
        # rather than on the first search of each process (that first search missed its p95)
        filter_cache=OrderedDict(
            (
                ("status", status),
                frozenset(cid for cid, item in items.items() if item.active is (status == "active")),
            )
            for status in ("active", "inactive")
        ),
    )


def forget_answers() -> None:
    """Drop the cached answers to queries with words (the benchmark measures searches without them)."""
    current = _snapshot
    if current is not None:
        with current.lock:
            current.results_cache.clear()


def forget_snapshot() -> None:
    global _snapshot
    wait_for_reload()
    with _lock:
        _snapshot = None


def clear_index() -> None:
    """Empty the index (tests that flush the database call it: a flush only empties model tables)."""
    with transaction.atomic(), connection.cursor() as cursor:
        backend().delete_all(cursor)
        _stamp(cursor)
