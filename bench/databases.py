"""Where a benchmark keeps its data: one PostgreSQL database or SQLite file of its own, made here.

A benchmark never writes into the caller's database: given DATABASE_URL=postgres://…/NAME it uses the
database NAME_<suffix> on the same server (`bench_database_url`), otherwise a SQLite file under
bench/out. "Fresh" means dropped and re-created (PostgreSQL) or deleted with its WAL files (SQLite);
otherwise an existing database is kept, so that a long generation is paid once.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse, urlunparse

SQLITE_COMPANIONS = ("", "-wal", "-shm")


def is_postgres(url: str) -> bool:
    return url.startswith("postgres")


def sibling_url(url: str, suffix: str) -> str:
    """The URL of the database NAME<suffix> beside the one `url` names (NAME defaults to cqphub)."""
    parts = urlparse(url)
    return urlunparse(parts._replace(path="/" + (parts.path.lstrip("/") or "cqphub") + suffix))


def _on_server(url: str):
    """(the name of the PostgreSQL database `url` names, an autocommit connection to its server's
    `postgres` database): a database is created and dropped from another one."""
    import psycopg

    parts = urlparse(url)
    admin = urlunparse(parts._replace(path="/postgres"))
    return parts.path.lstrip("/"), psycopg.connect(admin, autocommit=True)


def postgres_database(url: str, *, fresh: bool, force: bool = False) -> None:
    """Create the PostgreSQL database `url` names when missing; `fresh` drops it first.

    `force` ends the sessions still connected to it (a server left running by an earlier phase).
    """
    name, conn = _on_server(url)
    with conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"' + (" WITH (FORCE)" if force else ""))
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def remove_sqlite(path: Path, companions: tuple[str, ...] = SQLITE_COMPANIONS) -> None:
    for suffix in companions:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def sqlite_url(path: Path, *, fresh: bool) -> str:
    """The URL of the SQLite file `path` (its folder created), deleted first when `fresh`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fresh:
        remove_sqlite(path)
    return f"sqlite:///{path}"


def bench_database_url(suffix: str, sqlite_file: Path, *, fresh: bool) -> str:
    """The run's own database: NAME<suffix> beside DATABASE_URL's PostgreSQL one, else `sqlite_file`."""
    url = os.environ.get("DATABASE_URL", "")
    if is_postgres(url):
        own = sibling_url(url, suffix)
        postgres_database(own, fresh=fresh)
        return own
    return sqlite_url(sqlite_file, fresh=fresh)


def drop_database(url: str) -> None:
    """Remove the database `url` names, whichever engine it is on (nothing when it is missing)."""
    if not is_postgres(url):
        # and the lock file the registry import leaves beside it (`cqphub.registry.importlock`)
        remove_sqlite(Path(urlparse(url).path), (*SQLITE_COMPANIONS, ".import-lock"))
        return
    name, conn = _on_server(url)
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def fresh_database(url: str, *, force: bool = False, companions: tuple[str, ...] = SQLITE_COMPANIONS) -> None:
    """Empty the database `url` names, whichever engine it is on."""
    if is_postgres(url):
        postgres_database(url, fresh=True, force=force)
    else:
        remove_sqlite(Path(urlparse(url).path), companions)
