"""SQLite backend: an FTS5 table (`unicode61 remove_diacritics 2`, a prefix index of 2 letters).

Only two-letter prefixes have an index of their own: `co*` or `de*` would otherwise merge the doclists
of thousands of terms (7 ms → 31 ms on the full-scale registry), while 3- and 4-letter prefixes are
nearly as fast without one (`ges*` 3.3 → 4.1 ms) and their indexes took the index a full import
writes from 34 MB to 60 MB (see `rebuild_with_schema` for a table created with them).

Columns are weighted by the ranking tiers rather than by bm25: the engine asks FTS5 for the fiches
that match anywhere, and for those that match in title / abbreviation / blocks (a column filter).
Text arrives already folded (see `text.py`), so both backends see the same tokens.
"""

from __future__ import annotations

from cqphub.registry.compression import compress_text
from cqphub.registry.search.text import ParsedQuery, fts5_expression

FTS_TABLE = "registry_search_fts"
DOC_TABLE = "registry_searchdoc"
STATE_TABLE = "registry_searchstate"
RESTRICTED = ("title", "abbreviation", "blocks")

SCHEMA = [
    f"CREATE TABLE IF NOT EXISTS {DOC_TABLE} ("
    " certification_id INTEGER PRIMARY KEY, data TEXT NOT NULL, sources TEXT NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (key VARCHAR(40) PRIMARY KEY, value TEXT NOT NULL)",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    " code, title, abbreviation, blocks, rest,"
    " tokenize = 'unicode61 remove_diacritics 2', prefix = '2')",
]
DROP = [f"DROP TABLE IF EXISTS {t}" for t in (FTS_TABLE, DOC_TABLE, STATE_TABLE)]

# -- the import's next index ----------------------------------------------------------------------
# An import writes its new and changed documents into a second FTS5 table that no reader looks at, in
# short transactions while the files are parsed; the switch then either renames it over the live one
# (most documents new: the unchanged ones were copied in beforehand, also in short transactions) or
# merges the few it holds into the live one. The registry's write lock is held only for that.
NEXT_TABLE = f"{FTS_TABLE}_next"
_COLUMNS = "rowid, code, title, abbreviation, blocks, rest"


def create_next(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {NEXT_TABLE}")
    cursor.execute(SCHEMA[2].replace(f"IF NOT EXISTS {FTS_TABLE} ", f"{NEXT_TABLE} "))


def drop_next(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {NEXT_TABLE}")


def next_insert_sql() -> str:
    """For sqlite3's own `executemany` (qmark style): rows (id, code, title, abbreviation, blocks, rest)."""
    return f"INSERT INTO {NEXT_TABLE} ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"


def copy_live_to_next_sql(count: int) -> str:
    marks = ", ".join("?" * count)
    return (
        f"INSERT INTO {NEXT_TABLE} ({_COLUMNS}) SELECT {_COLUMNS} FROM {FTS_TABLE} WHERE rowid IN ({marks})"
    )


def swap_next(cursor) -> None:
    """The next table becomes the live index (inside the switch's transaction)."""
    cursor.execute(f"DROP TABLE {FTS_TABLE}")
    cursor.execute(f"ALTER TABLE {NEXT_TABLE} RENAME TO {FTS_TABLE}")


def merge_next(cursor, ids: list[int]) -> None:
    """Replace these documents of the live index by the next table's (a few), then drop it."""
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({', '.join(['%s'] * len(chunk))})", chunk)
    cursor.execute(f"INSERT INTO {FTS_TABLE} ({_COLUMNS}) SELECT {_COLUMNS} FROM {NEXT_TABLE}")
    drop_next(cursor)


def rebuild_with_schema(cursor) -> bool:
    """Rebuild the live FTS table if it was created with other options than `SCHEMA`'s (migration 0005:
    the prefix indexes were 2, 3 and 4), its documents copied over. True when it was rebuilt."""
    cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
    row = cursor.fetchone()
    wanted = SCHEMA[2].replace("IF NOT EXISTS ", "")
    if row is None or _normal(row[0]) == _normal(wanted):
        return False
    old = f"{FTS_TABLE}_old"
    cursor.execute(f"DROP TABLE IF EXISTS {old}")
    cursor.execute(f"ALTER TABLE {FTS_TABLE} RENAME TO {old}")
    cursor.execute(wanted)
    cursor.execute(f"INSERT INTO {FTS_TABLE} ({_COLUMNS}) SELECT {_COLUMNS} FROM {old}")  # noqa: S608
    cursor.execute(f"DROP TABLE {old}")
    return True


def _normal(sql: str) -> str:
    return " ".join(sql.split())


def live_count(cursor) -> int:
    cursor.execute(f"SELECT COUNT(*) FROM {DOC_TABLE}")
    return cursor.fetchone()[0]


def write(cursor, docs: list[dict]) -> None:
    write_rows(
        cursor,
        [(d["id"], d["code"], d["title"], d["abbreviation"], d["blocks"], d["rest"]) for d in docs],
        [(d["id"], d["data"], d["sources"]) for d in docs],
    )


def stored_doc_row(key, data: str, sources: str) -> tuple:
    """A search document's row as stored: its sources (the snippets' texts, read a page at a time)
    compressed. The import's stage parts (keyed by `seq`) and `write` both store them so."""
    return (key, data, compress_text(sources))


def write_rows(cursor, fts_rows, doc_rows) -> None:
    """`fts_rows`: (id, code, title, abbreviation, blocks, rest); `doc_rows`: (id, data, sources)."""
    doc_rows = [stored_doc_row(*row) for row in doc_rows]
    cursor.executemany(
        f"INSERT INTO {FTS_TABLE} (rowid, code, title, abbreviation, blocks, rest) VALUES (%s, %s, %s, %s, %s, %s)",
        fts_rows,
    )
    cursor.executemany(
        f"INSERT INTO {DOC_TABLE} (certification_id, data, sources) VALUES (%s, %s, %s)", doc_rows
    )


def delete(cursor, ids: list[int]) -> None:
    marks = ", ".join(["%s"] * len(ids))
    cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", ids)
    cursor.execute(f"DELETE FROM {DOC_TABLE} WHERE certification_id IN ({marks})", ids)


def delete_all(cursor) -> None:
    cursor.execute(f"DELETE FROM {FTS_TABLE}")
    cursor.execute(f"DELETE FROM {DOC_TABLE}")


def match(cursor, query: ParsedQuery, *, restricted: bool = False) -> list[int]:
    expression = fts5_expression(query, RESTRICTED if restricted else None)
    cursor.execute(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])
    return [row[0] for row in cursor.fetchall()]


def match_among(cursor, query: ParsedQuery, ids: list[int], *, restricted: bool = False) -> set[int]:
    """The fiches of `ids` that match (FTS5 has no cheaper way than the whole match, intersected)."""
    return set(match(cursor, query, restricted=restricted)).intersection(ids)


def baseline(cursor, words: str, limit: int = 20) -> list[int]:
    """A bare ranked FTS5 MATCH for the benchmark's baseline (no tiers, filters or facets)."""
    cursor.execute(
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rank LIMIT %s", [words, limit]
    )
    return [row[0] for row in cursor.fetchall()]
