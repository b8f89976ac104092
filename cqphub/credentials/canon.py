"""RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD documents, fast for documents of one shape.

Plain pyld spends about 13 ms turning a credential into canonical N-Quads (JSON-LD expansion, RDF
conversion, then RDFC-1.0), which caps `eddsa-rdfc-2022` near 78 signatures a second. Credentials
issued from one achievement differ only in a few literal values (names, identifiers, dates), so the
JSON-LD processing is done once per *shape* and reused:

1. **Shape.** The document is walked in sorted key order. Its shape is everything but its string
   values: the keys, array lengths, numbers, booleans, and the values of the keys that change what
   the other values mean (`@context`, `type`, `@language`, ...), which are kept verbatim.
2. **Template.** The first document of a shape is converted by pyld with every string value replaced
   by a placeholder IRI (`urn:cqphub-placeholder:N`). In pyld's RDF output each placeholder is found
   either as an IRI (the key is `id` or typed `@id`/`@vocab`) or as a literal (with the datatype or
   language the context gives the key). That is the template: the quads with holes.
3. **Fill.** For a document of a known shape, the holes are filled with the document's own values
   (literals escaped exactly as pyld escapes them; duplicate quads merged, as the RDF conversion
   merges nodes with equal ids), and RDFC-1.0 is run on the filled quads: first-degree hashes of
   every blank node; when they are all distinct (the usual case) canonical labels follow their order;
   otherwise the whole document goes through pyld's complete algorithm (N-degree hashing).

Guards keep the result equal to pyld's on every input (proved by `tests/credentials/test_canon.py`
with hypothesis): a value that fills an IRI hole must be an absolute IRI whose scheme is not a term
or prefix of the pinned contexts and which needs no escaping, otherwise that value is kept verbatim
in a refined shape (e.g. `proofPurpose: assertionMethod`, expanded through `@vocab`); a template whose
placeholders do not all come out as plain IRIs or literals (a `@json` literal, an `@index`) is marked
unusable and its shape always takes the complete path.

Like Digital Bazaar's `safe` mode, a document with a value that the JSON-LD processing would drop
(a term no context defines) is refused with `UnsafeDocument`: a signature must never cover less
than what the document shows.

Pure module: no Django import.
"""

from __future__ import annotations

import ast
import hashlib
import re
import threading
from collections import OrderedDict
from hashlib import sha256 as _sha256
from typing import Any

from pyld import jsonld
from pyld.nquads import escape as _escape

from cqphub.credentials import contexts

PLACEHOLDER = "urn:cqphub-placeholder:"
_PLACEHOLDER_RE = re.compile(r"urn:cqphub-placeholder:(\d+)\Z")
# Keys whose string values change the meaning of the rest: kept verbatim in the shape.
SEMANTIC_KEYS = frozenset(
    {"@context", "type", "@type", "@language", "@direction", "@vocab", "@base", "@index", "@container"}
)
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_IRI_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_IRI_FORBIDDEN_RE = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
CACHE_SIZE = 512


class UnsafeDocument(ValueError):
    """The document holds data that JSON-LD processing would silently drop (an undefined term)."""


def _options() -> dict[str, Any]:
    return {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": contexts.document_loader,
    }


def pyld_canonical(document: dict) -> str:
    """Canonical N-Quads by pyld alone (the reference the fast path is held equal to)."""
    return jsonld.normalize(document, _options())


# --- shape -------------------------------------------------------------------------------------

# Tokens of a shape: keys are str, structure markers and the string-value marker are ints, scalars
# and semantic values are tagged tuples, so no token of one kind can equal a token of another.
_OPEN_DICT, _CLOSE_DICT, _OPEN_LIST, _CLOSE_LIST, _LEAF = range(5)


def _walk(node: Any, tokens: list, leaves: list[str]) -> None:
    """Tokens of the document's shape (an unambiguous, prefix-decodable sequence) and its strings.

    Grammar: dict = OPEN_DICT (key value)* CLOSE_DICT, list = OPEN_LIST value* CLOSE_LIST, string =
    LEAF, other scalar = ("c", repr(value)); after a semantic key the value is ("=", repr(value)).
    Two documents have the same tokens only if they have the same shape (key order included), so a
    template is never applied to a document it was not built for (which would let a forged document
    borrow a signed canonical form).
    """
    kind = type(node)
    if kind is dict:
        tokens.append(_OPEN_DICT)
        for key, value in node.items():
            tokens.append(key)
            if key in SEMANTIC_KEYS:
                tokens.append(("=", repr(value)))
            elif type(value) is str:
                leaves.append(value)
                tokens.append(_LEAF)
            else:
                _walk(value, tokens, leaves)
        tokens.append(_CLOSE_DICT)
    elif kind is list:
        tokens.append(_OPEN_LIST)
        for item in node:
            if type(item) is str:
                leaves.append(item)
                tokens.append(_LEAF)
            else:
                _walk(item, tokens, leaves)
        tokens.append(_CLOSE_LIST)
    elif kind is str:
        leaves.append(node)
        tokens.append(_LEAF)
    elif node is None or kind in (bool, int, float):
        tokens.append(("c", repr(node)))
    else:
        raise TypeError(f"not a JSON value: {kind.__name__}")


def _shape(document: dict) -> tuple[tuple, list[str]]:
    tokens: list = []
    leaves: list[str] = []
    _walk(document, tokens, leaves)
    return tuple(tokens), leaves


def _with_placeholders(node: Any, counter: list[int], pinned: frozenset[int]) -> Any:
    if isinstance(node, str):
        index = counter[0]
        counter[0] += 1
        return node if index in pinned else f"{PLACEHOLDER}{index}"
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            out[key] = value if key in SEMANTIC_KEYS else _with_placeholders(value, counter, pinned)
        return out
    if isinstance(node, list):
        return [_with_placeholders(item, counter, pinned) for item in node]
    return node


# --- templates ---------------------------------------------------------------------------------

# A quad in a template: four parts (subject, predicate, object, graph or None); each part is
# ("c", text) constant N-Quads text, ("b", label) a blank node, ("i", n) an IRI hole,
# ("l", n, suffix) a literal hole followed by its constant datatype/language suffix.


class Template:
    """The quads of one shape with holes, compiled into three small functions (see `_compile`)."""

    __slots__ = (
        "quads",
        "iri_leaves",
        "literal_leaves",
        "usable",
        "blank_nodes",
        "hashes",
        "final",
        "collide",
        "reference",
        "constant",
        "learning",
        "specialisations",
    )

    def __init__(self, quads, iri_leaves, usable, blank_nodes):
        self.quads = quads
        self.iri_leaves = iri_leaves
        self.literal_leaves = tuple(sorted({p[1] for q in quads for p in q if p[0] == "l"}))
        self.usable = usable
        self.blank_nodes = blank_nodes  # labels in pyld's output, index = position in this tuple
        self.reference: list[str] | None = None  # the first document's values (see _specialised)
        self.constant: tuple[int, ...] | None = None
        self.learning = 0
        self.specialisations = 0
        if usable:
            self.hashes, self.final, self.collide = _compile(quads, blank_nodes)


def _literal_suffix(term: dict) -> str:
    if term["datatype"] == RDF_LANGSTRING:
        return "@" + term["language"] if term.get("language") else ""
    if term["datatype"] != XSD_STRING:
        return "^^<" + term["datatype"] + ">"
    return ""


def _embedded(value: str, found: set[int], state: dict) -> None:
    """A placeholder inside a larger value (a JSON literal...): the template cannot be filled."""
    if PLACEHOLDER in value:
        state["usable"] = False
        found.update(int(n) for n in re.findall(r"urn:cqphub-placeholder:(\d+)", value))


def _part(term: dict | None, found: set[int], iri_leaves: set[int], state: dict) -> tuple:
    if term is None:
        return ("c", None)
    kind = term["type"]
    value = term["value"]
    if kind == "blank node":
        state["blank"].add(value)
        return ("b", value)
    match = _PLACEHOLDER_RE.match(value)
    if kind == "IRI":
        if match:
            index = int(match.group(1))
            found.add(index)
            iri_leaves.add(index)
            return ("i", index)
        _embedded(value, found, state)
        return ("c", "<" + value + ">")
    # literal
    if PLACEHOLDER in term.get("datatype", "") or PLACEHOLDER in (term.get("language") or ""):
        state["usable"] = False
    if match:
        index = int(match.group(1))
        found.add(index)
        return ("l", index, _literal_suffix(term))
    _embedded(value, found, state)
    return ("c", '"' + _escape(value) + '"' + _literal_suffix(term))


def _build_template(document: dict, pinned: frozenset[int], leaf_count: int) -> Template:
    placeholder_doc = _with_placeholders(document, [0], pinned)
    options = _options()
    del options["format"]
    options["produceGeneralizedRdf"] = False
    dataset = jsonld.to_rdf(placeholder_doc, options)
    found: set[int] = set()
    iri_leaves: set[int] = set()
    state = {"usable": True, "blank": set()}
    quads = []
    for graph_name, triples in dataset.items():
        graph = None
        if graph_name != "@default":
            graph = (
                {"type": "blank node", "value": graph_name}
                if graph_name.startswith("_:")
                else {"type": "IRI", "value": graph_name}
            )
        for triple in triples:
            quads.append(
                (
                    _part(triple["subject"], found, iri_leaves, state),
                    _part(triple["predicate"], found, iri_leaves, state),
                    _part(triple["object"], found, iri_leaves, state),
                    _part(graph, found, iri_leaves, state),
                )
            )
    dropped = set(range(leaf_count)) - found - pinned
    if dropped:
        leaves = _shape(document)[1]
        shown = ", ".join(repr(leaves[i][:40]) for i in sorted(dropped)[:5])
        raise UnsafeDocument(
            f"{len(dropped)} value(s) of this document fall under terms its contexts do not define "
            f"and would not be signed: {shown}"
        )
    return Template(
        tuple(quads), frozenset(iri_leaves - pinned), state["usable"], tuple(sorted(state["blank"]))
    )


_cache: OrderedDict[Any, Template] = OrderedDict()
_cache_lock = threading.Lock()


def _template_for(key: Any, document: dict, pinned: frozenset[int], leaf_count: int) -> Template:
    with _cache_lock:
        template = _cache.get(key)
        if template is not None:
            _cache.move_to_end(key)
            return template
    template = _build_template(document, pinned, leaf_count)
    with _cache_lock:
        _cache[key] = template
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return template


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


_terms: frozenset[str] | None = None


def _iri_ok(value: str) -> bool:
    global _terms
    if _terms is None:
        _terms = contexts.all_terms()
    match = _IRI_SCHEME_RE.match(value)
    if not match or _IRI_FORBIDDEN_RE.search(value):
        return False
    return value[: match.end() - 1] not in _terms and value not in _terms


# --- compiled fill + RDFC-1.0 ------------------------------------------------------------------


def _expression(quad: tuple, blank: Any) -> str:
    """Python expression building one N-Quads line; `blank(label)` gives a blank node's code."""
    pieces: list[tuple[bool, str]] = []  # (is_constant, text or code)

    def const(text: str) -> None:
        if pieces and pieces[-1][0]:
            pieces[-1] = (True, pieces[-1][1] + text)
        else:
            pieces.append((True, text))

    for position, part in enumerate(quad):
        if position == 3 and part == ("c", None):
            break
        if position:
            const(" ")
        tag = part[0]
        if tag == "c":
            const(part[1])
        elif tag == "b":
            code = blank(part[1])
            if code.startswith("'"):
                const(code[1:-1])
            else:
                pieces.append((False, code))
        elif tag == "i":
            const("<")
            pieces.append((False, f"lv[{part[1]}]"))
            const(">")
        else:
            const('"')
            pieces.append((False, f"ev[{part[1]}]"))
            const('"' + part[2])
    const(" .\n")
    return " + ".join(repr(text) if constant else text for constant, text in pieces)


def _collision_pairs(quads: tuple) -> list[tuple[int, int]]:
    """Pairs of template quads that could become one quad once filled (then the dataset merges them)."""

    def compatible(a: tuple, b: tuple) -> bool:
        if a == b:
            return True
        if a[0] == "b" or b[0] == "b" or a[1] is None or b[1] is None:
            return False
        kinds = {a[0], b[0]}
        if kinds <= {"i"} or (kinds == {"i", "c"} and (a if a[0] == "c" else b)[1].startswith("<")):
            return True
        if kinds <= {"l"}:
            return a[2] == b[2]
        if kinds == {"l", "c"}:
            return (a if a[0] == "c" else b)[1].startswith('"')
        return False

    pairs = []
    for i, first in enumerate(quads):
        for j in range(i + 1, len(quads)):
            if all(compatible(x, y) for x, y in zip(first, quads[j], strict=True)):
                pairs.append((i, j))
    return pairs


def _compile(quads: tuple, blank_nodes: tuple) -> tuple:
    number = {label: n for n, label in enumerate(blank_nodes)}
    lines = []
    # 1. first-degree hash of every blank node: its quads with itself as _:a, the others as _:z
    mentions: dict[str, list[tuple]] = {label: [] for label in blank_nodes}
    for quad in quads:
        for label in dict.fromkeys(p[1] for p in quad if p[0] == "b"):
            mentions[label].append(quad)
    hash_items = []
    for label in blank_nodes:
        exprs = [
            _expression(q, lambda b, ref=label: "'_:a'" if b == ref else "'_:z'") for q in mentions[label]
        ]
        if all(not any(p[0] in "il" for p in q) for q in mentions[label]):
            # no value of the document in this node's quads: its hash is a constant of the template
            text = "".join(sorted(ast.literal_eval(e) for e in exprs))
            hash_items.append(repr(hashlib.sha256(text.encode()).hexdigest()))
        else:
            hash_items.append(f"sha(''.join(sorted(({', '.join(exprs)},))).encode()).hexdigest()")
    lines.append("def hashes(lv, ev, sha):")
    lines.append(f"    return ({', '.join(hash_items)},)" if hash_items else "    return ()")
    # 2. the canonical lines once labels are known
    finals = [_expression(q, lambda b: f"L[{number[b]}]") for q in quads]
    lines.append("def final(lv, ev, L):")
    lines.append(f"    return [{', '.join(finals)}]")
    # 3. does any pair of quads become equal once filled?
    checks = []
    for i, j in _collision_pairs(quads):
        checks.append(f"({_expression(quads[i], repr)} == {_expression(quads[j], repr)})")
    lines.append("def collide(lv, ev):")
    lines.append(f"    return {' or '.join(checks) if checks else 'False'}")
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(lines), "<rdfc-template>", "exec"), namespace)  # noqa: S102 - code built from repr()s
    return namespace["hashes"], namespace["final"], namespace["collide"]


# pyld's N-Quads literal escaping (pyld.nquads.escape) as one translate table
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", '"': '\\"'})
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\t]').search
_LABELS = tuple(f"_:c14n{i}" for i in range(4096))


SPECIALISATIONS = 64  # per shape


def _specialised(base: Template, key: tuple, document: dict, leaves: list[str]) -> Template | None:
    """The template of this shape with the values its documents share folded in as constants.

    Credentials from one achievement repeat most of their values (the achievement, the issuer): the
    values equal in the first documents of a shape (learnt over the first three distinct ones) are
    pinned (kept verbatim when pyld builds the template), so only the holder's values remain holes
    and blank nodes without any hole get constant first-degree hashes. One specialised template per
    set of shared values, at most SPECIALISATIONS per shape; past that the plain template serves.
    """
    with _cache_lock:
        if base.learning < 3:
            if base.reference is None:
                base.reference = list(leaves)
                return None
            if leaves == base.reference:
                return None
            if base.constant is None:
                base.constant = tuple(range(len(leaves)))
            base.constant = tuple(i for i in base.constant if base.reference[i] == leaves[i])
            base.learning += 1
            if base.learning < 3:
                return None
    if not base.constant:
        return None
    special_key = (key, "constant", tuple(leaves[i] for i in base.constant))
    with _cache_lock:
        template = _cache.get(special_key)
        if template is not None:
            _cache.move_to_end(special_key)
            return template if template.usable else None
        if base.specialisations >= SPECIALISATIONS:
            return None
        base.specialisations += 1
    template = _template_for(special_key, document, frozenset(base.constant), len(leaves))
    return template if template.usable else None


def canonical_nquads(document: dict) -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document (pinned contexts only)."""
    key, leaves = _shape(document)
    if any(PLACEHOLDER in leaf for leaf in leaves):
        # our own hole marker as a value (a holder's DID can be anything): a template could not tell it
        # from a hole, and one built from this document must not serve the next ones
        return pyld_canonical(document)
    template = _template_for(key, document, frozenset(), len(leaves))
    if not template.usable:
        return pyld_canonical(document)
    special = _specialised(template, key, document, leaves)
    if special is not None and all(_iri_ok(leaves[i]) for i in special.iri_leaves):
        return _render(special, leaves, document)
    bad = [i for i in template.iri_leaves if not _iri_ok(leaves[i])]
    if bad:
        pinned = frozenset(bad)
        template = _template_for(
            (key, tuple((i, leaves[i]) for i in sorted(bad))), document, pinned, len(leaves)
        )
        if not template.usable or any(not _iri_ok(leaves[i]) for i in template.iri_leaves):
            return pyld_canonical(document)
    return _render(template, leaves, document)


def _render(template: Template, leaves: list[str], document: dict) -> str:
    escaped: list[str] = [""] * len(leaves)
    for i in template.literal_leaves:
        value = leaves[i]
        escaped[i] = value.translate(_ESCAPES) if _NEEDS_ESCAPE(value) else value
    if template.collide(leaves, escaped):
        return pyld_canonical(document)
    hashes = template.hashes(leaves, escaped, _sha256)
    count = len(hashes)
    if len(set(hashes)) != count or count > len(_LABELS):
        return pyld_canonical(document)  # equal first-degree hashes: N-degree hashing needed
    labels = [""] * count
    for rank, node in enumerate(sorted(range(count), key=hashes.__getitem__)):
        labels[node] = _LABELS[rank]
    lines = template.final(leaves, escaped, labels)
    lines.sort()
    return "".join(lines)


def canonical_hash(document: dict) -> bytes:
    """SHA-256 of the canonical N-Quads (the `eddsa-rdfc-2022` transformation + hashing steps)."""
    return hashlib.sha256(canonical_nquads(document).encode()).digest()
