"""PostgreSQL backend: one `tsvector` per fiche (title A, abbreviation B, blocks C, the rest D), GIN index.

The vectors have a narrow table of their own (`registry_search_fts`: id and vector), apart from the
`data` / `sources` the snapshot and snippets read: a match visits a few thousand heap pages instead of
twice as many wide rows, and the planner no longer prefers a sequential scan for frequent words.

The text arrives already folded by `text.py` (the same tokens as SQLite's); `unaccent` is applied in the
vector's expression too, so text written by other means would still be folded. Prefixes are
`'soud':*` lexemes, which the GIN index serves. "Matches in title / abbreviation / blocks" is the same
query restricted to weights A, B and C.
"""

from __future__ import annotations

from cqphub.registry.bulk import BulkWriter, copy_text
from cqphub.registry.search.text import ParsedQuery, tsquery_expression

DOC_TABLE = "registry_searchdoc"
FTS_TABLE = "registry_search_fts"
STATE_TABLE = "registry_searchstate"

_FTS_SCHEMA = [
    f"CREATE TABLE IF NOT EXISTS {FTS_TABLE} (certification_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {FTS_TABLE}_document ON {FTS_TABLE} USING gin (document)",
]
SCHEMA = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE TABLE IF NOT EXISTS {DOC_TABLE} ("
    " certification_id bigint PRIMARY KEY, data text NOT NULL, sources text NOT NULL)",
    *_FTS_SCHEMA,
    f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (key varchar(40) PRIMARY KEY, value text NOT NULL)",
]
DROP = [f"DROP TABLE IF EXISTS {t}" for t in (FTS_TABLE, DOC_TABLE, STATE_TABLE)]
# migration 0003: databases created before the split move their vectors to the narrow table
SPLIT = [
    *_FTS_SCHEMA,
    f"""DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
             AND table_name = '{DOC_TABLE}' AND column_name = 'document') THEN
    INSERT INTO {FTS_TABLE} (certification_id, document)
      SELECT certification_id, document FROM {DOC_TABLE} ON CONFLICT (certification_id) DO NOTHING;
    ALTER TABLE {DOC_TABLE} DROP COLUMN document;
  END IF;
END $$""",
    f"ANALYZE {FTS_TABLE}",
]
UNSPLIT = [
    f"ALTER TABLE {DOC_TABLE} ADD COLUMN IF NOT EXISTS document tsvector",
    f"UPDATE {DOC_TABLE} d SET document = f.document FROM {FTS_TABLE} f"
    " WHERE f.certification_id = d.certification_id",
    f"UPDATE {DOC_TABLE} SET document = ''::tsvector WHERE document IS NULL",
    f"ALTER TABLE {DOC_TABLE} ALTER COLUMN document SET NOT NULL",
    f"CREATE INDEX IF NOT EXISTS {DOC_TABLE}_document ON {DOC_TABLE} USING gin (document)",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

_VECTOR = (
    "setweight(to_tsvector('simple', unaccent(title)), 'A') || setweight(to_tsvector('simple', unaccent(abbreviation)), 'B')"
    " || setweight(to_tsvector('simple', unaccent(blocks)), 'C') || setweight(to_tsvector('simple', unaccent(rest)), 'D')"
)
# The texts a batch of vectors is computed from: copied in, turned into vectors by one INSERT … SELECT,
# emptied. One statement per fiche (`executemany`) cost a quarter more of the server's time.
_TEXTS = "registry_search_texts"


def _insert_vectors(cursor, table: str, data: bytes | bytearray) -> None:
    """Vectors into `table` from `data`, COPY text rows of (id, *`vector_texts`), in the caller's transaction."""
    BulkWriter(cursor.db).copy_through_temporary(
        _TEXTS,
        "(id bigint, title text, abbreviation text, blocks text, rest text)",
        ["id", "title", "abbreviation", "blocks", "rest"],
        data,
        f"INSERT INTO {table} (certification_id, document) SELECT id, {_VECTOR} FROM {_TEXTS}",  # noqa: S608
    )


def vector_texts(doc: dict) -> tuple[str, str, str, str]:
    """A search document's texts for its vector's weights A, B, C and D (the code goes with D)."""
    return (doc["title"], doc["abbreviation"], doc["blocks"], doc["code"] + " " + doc["rest"])


def _vector_data(docs: list[dict]) -> bytes:
    return copy_text((d["id"], *vector_texts(d)) for d in docs)


# -- the import's next index (see sqlite_fts.NEXT_TABLE): vectors computed without an index to keep up,
# the GIN index built once at the end when most documents are new, then renamed over the live table.
# Into an empty registry (a first import) the index is made with the table instead and grows as the
# vectors arrive: its upkeep then runs beside the parsing, while a build at the end ran alone on one
# core after it (1.7 s of a 25 s full-scale import, the other core idle). With vectors already held, a
# re-import copies most of them at the end, where a bulk build is cheaper.
NEXT_TABLE = f"{FTS_TABLE}_next"
_NEXT_INDEX = f"{NEXT_TABLE}_document"


def create_next(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {NEXT_TABLE}")
    cursor.execute(
        f"CREATE TABLE {NEXT_TABLE} (certification_id bigint NOT NULL, document tsvector NOT NULL)"
    )
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {FTS_TABLE})")
    if not cursor.fetchone()[0]:
        cursor.execute(f"CREATE INDEX {_NEXT_INDEX} ON {NEXT_TABLE} USING gin (document)")


def write_next_copied(cursor, data: bytes | bytearray) -> None:
    """The next table's vectors from COPY text rows of (id, *`vector_texts`) (the import's)."""
    _insert_vectors(cursor, NEXT_TABLE, data)


def swap_next(cursor, unchanged: list[int]) -> None:
    """The unchanged vectors join the next table (copied, not recomputed), which gets its key and GIN
    index (unless `create_next` made it) and replaces the live table (in the import's transaction)."""
    cursor.execute(
        f"INSERT INTO {NEXT_TABLE} (certification_id, document) SELECT certification_id, document"
        f" FROM {FTS_TABLE} WHERE certification_id = ANY(%s)",
        [list(unchanged)],
    )
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [_NEXT_INDEX])
    indexed = cursor.fetchone()[0]
    if indexed:  # the last vectors may wait in the index's pending list, which every search would scan
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [_NEXT_INDEX])
    cursor.execute(f"DROP TABLE {FTS_TABLE}")
    cursor.execute(f"ALTER TABLE {NEXT_TABLE} RENAME TO {FTS_TABLE}")
    cursor.execute(f"ALTER TABLE {FTS_TABLE} ADD CONSTRAINT {FTS_TABLE}_pkey PRIMARY KEY (certification_id)")
    if indexed:
        cursor.execute(f"ALTER INDEX {_NEXT_INDEX} RENAME TO {FTS_TABLE}_document")
    else:
        cursor.execute(_FTS_SCHEMA[1])
    cursor.execute(f"ANALYZE {FTS_TABLE}")


def merge_next(cursor, ids: list[int]) -> None:
    cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE certification_id = ANY(%s)", [list(ids)])
    cursor.execute(
        f"INSERT INTO {FTS_TABLE} (certification_id, document) SELECT certification_id, document FROM {NEXT_TABLE}"
    )
    cursor.execute(f"DROP TABLE {NEXT_TABLE}")


def write(cursor, docs: list[dict]) -> None:
    cursor.executemany(
        f"INSERT INTO {DOC_TABLE} (certification_id, data, sources) VALUES (%s, %s, %s)",
        [(d["id"], d["data"], d["sources"]) for d in docs],
    )
    _insert_vectors(cursor, FTS_TABLE, _vector_data(docs))


def delete(cursor, ids: list[int]) -> None:
    cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE certification_id = ANY(%s)", [list(ids)])
    cursor.execute(f"DELETE FROM {DOC_TABLE} WHERE certification_id = ANY(%s)", [list(ids)])


def delete_all(cursor) -> None:
    cursor.execute(f"DELETE FROM {FTS_TABLE}")
    cursor.execute(f"DELETE FROM {DOC_TABLE}")


def match(cursor, query: ParsedQuery, *, restricted: bool = False) -> list[int]:
    expression = tsquery_expression(query, "ABC" if restricted else "")
    # one array rather than thousands of rows: the driver builds one Python object, not one per row
    cursor.execute(
        f"SELECT array_agg(certification_id) FROM {FTS_TABLE} WHERE document @@ to_tsquery('simple', %s)",
        [expression],
    )
    return cursor.fetchone()[0] or []


def match_among(cursor, query: ParsedQuery, ids: list[int], *, restricted: bool = False) -> set[int]:
    """The fiches of `ids` that match."""
    return set(match(cursor, query, restricted=restricted)).intersection(ids)


def baseline(cursor, words: str, limit: int = 20) -> list[int]:
    """A bare ranked full-text query for the benchmark's baseline (no tiers, filters or facets)."""
    cursor.execute(
        f"SELECT certification_id FROM {FTS_TABLE}, to_tsquery('simple', %s) q WHERE document @@ q"
        " ORDER BY ts_rank(document, q) DESC LIMIT %s",
        [words, limit],
    )
    return [row[0] for row in cursor.fetchall()]
