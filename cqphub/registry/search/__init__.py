"""Full-text search over the registry: one interface, two backends chosen by the database.

- `search_certifications(query, filters, page=, page_size=) -> SearchResults` (hits with highlights,
  total, facets; see `engine.py` for the ranking);
- `SearchFilters.parse(mapping or ["name=value", …])` (raises `FilterError` with a clear message);
- `update_index(ids)` keeps the index in step with an import, inside the import's transaction;
  `update_index(None)` rebuilds it all (`cqphub registry reindex`).

Backends: `sqlite_fts` (FTS5) and `postgres_fts` (tsvector + GIN), chosen by `connection.vendor`.
"""

from __future__ import annotations

from collections.abc import Iterable

from cqphub.registry.search.filters import FilterError, SearchFilters
from cqphub.registry.search.text import ParsedQuery, parse_query

__all__ = [
    "FilterError",
    "ParsedQuery",
    "SearchFilters",
    "parse_query",
    "search_certifications",
    "update_index",
]


def update_index(certification_ids: Iterable[int] | None = None) -> None:
    """Re-index these certifications (all when None), in the caller's transaction."""
    from cqphub.registry.search.index import update_index as _update

    _update(certification_ids)


def document_parts(record) -> tuple:
    """What a fiche's search document needs beside its row (see `index.document_parts`)."""
    from cqphub.registry.search.index import document_parts as _parts

    return _parts(record)


def documents_from_parts(items, agreement_titles: dict[str, str]) -> list[dict]:
    """Search documents built from an import's rows and parts (see `index.documents_from_parts`)."""
    from cqphub.registry.search.index import documents_from_parts as _build

    return _build(items, agreement_titles)


def write_documents(cursor, documents: list[dict]) -> None:
    """Replace these documents' index rows, on the given cursor (the import's connection)."""
    from cqphub.registry.search.index import write_documents as _write

    _write(cursor, documents)


def all_agreement_titles() -> dict[str, str]:
    from cqphub.registry.search.index import all_agreement_titles as _titles

    return _titles()


def search_certifications(query, filters=None, *, page: int = 1, page_size: int = 20, **options):
    """`options`: `sort` ("relevance", "recent", "title", "level"), `tolerant` (spelling and fallback)."""
    from cqphub.registry.search.engine import search_certifications as _search

    return _search(query, filters, page=page, page_size=page_size, **options)
