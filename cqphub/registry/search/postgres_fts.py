"""PostgreSQL backend: one `tsvector` per fiche (title A, abbreviation B, blocks C, the rest D), GIN index.

The text arrives already folded by `text.py` (the same tokens as SQLite's); `unaccent` is applied in the
vector's expression too, so text written by other means would still be folded. Prefixes are
`'soud':*` lexemes, which the GIN index serves. "Matches in title / abbreviation / blocks" is the same
query restricted to weights A, B and C.
"""

from __future__ import annotations

from cqphub.registry.search.text import ParsedQuery, tsquery_expression

DOC_TABLE = "registry_searchdoc"
STATE_TABLE = "registry_searchstate"

SCHEMA = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE TABLE IF NOT EXISTS {DOC_TABLE} ("
    " certification_id bigint PRIMARY KEY, data text NOT NULL, sources text NOT NULL,"
    " document tsvector NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {DOC_TABLE}_document ON {DOC_TABLE} USING gin (document)",
    f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (key varchar(40) PRIMARY KEY, value text NOT NULL)",
]
DROP = [f"DROP TABLE IF EXISTS {t}" for t in (DOC_TABLE, STATE_TABLE)]

_VECTOR = (
    "setweight(to_tsvector('simple', unaccent(%s)), 'A') || setweight(to_tsvector('simple', unaccent(%s)), 'B')"
    " || setweight(to_tsvector('simple', unaccent(%s)), 'C') || setweight(to_tsvector('simple', unaccent(%s)), 'D')"
)


def write(cursor, docs: list[dict]) -> None:
    cursor.executemany(
        f"INSERT INTO {DOC_TABLE} (certification_id, data, sources, document) VALUES (%s, %s, %s, {_VECTOR})",
        [
            (
                d["id"],
                d["data"],
                d["sources"],
                d["title"],
                d["abbreviation"],
                d["blocks"],
                d["code"] + " " + d["rest"],
            )
            for d in docs
        ],
    )


def delete(cursor, ids: list[int]) -> None:
    cursor.execute(f"DELETE FROM {DOC_TABLE} WHERE certification_id = ANY(%s)", [list(ids)])


def delete_all(cursor) -> None:
    cursor.execute(f"DELETE FROM {DOC_TABLE}")


def match(cursor, query: ParsedQuery, *, restricted: bool = False) -> list[int]:
    expression = tsquery_expression(query, "ABC" if restricted else "")
    cursor.execute(
        f"SELECT certification_id FROM {DOC_TABLE} WHERE document @@ to_tsquery('simple', %s)", [expression]
    )
    return [row[0] for row in cursor.fetchall()]


def match_among(cursor, query: ParsedQuery, ids: list[int], *, restricted: bool = False) -> set[int]:
    """The fiches of `ids` that match."""
    expression = tsquery_expression(query, "ABC" if restricted else "")
    cursor.execute(
        f"SELECT certification_id FROM {DOC_TABLE} WHERE document @@ to_tsquery('simple', %s)", [expression]
    )
    return {row[0] for row in cursor.fetchall()}.intersection(ids)


def baseline(cursor, words: str, limit: int = 20) -> list[int]:
    """A bare ranked full-text query for the benchmark's baseline (no tiers, filters or facets)."""
    cursor.execute(
        f"SELECT certification_id FROM {DOC_TABLE}, to_tsquery('simple', %s) q WHERE document @@ q"
        " ORDER BY ts_rank(document, q) DESC LIMIT %s",
        [words, limit],
    )
    return [row[0] for row in cursor.fetchall()]
