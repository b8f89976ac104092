"""Backup and restore of the whole platform: database and media files (security review M5).

`cqphub backup OUT` writes a folder OUT holding
- `database.sqlite3` (SQLite: the online backup API, a consistent snapshot taken while the site
  serves, WAL included; then `PRAGMA integrity_check` on the copy) or `database.dump` (PostgreSQL:
  `pg_dump --format=custom`, a consistent snapshot too; then `pg_restore --list` reads it back);
- `media.tar.gz`: the uploaded files (MEDIA_ROOT), when there are any;
- `manifest.json`: when, which engine, the row count of every table, the applied migrations,
  and the SHA-256 of each file;
- `KEYS-README.txt`: what is *not* in the backup and must be kept apart (SECRET_KEY, signing keys).

`cqphub restore IN` checks the checksums, then replaces the database's content (SQLite: the backup
API copies the snapshot into the live file, WAL-safe; PostgreSQL: `pg_restore --clean`) and the
media folder, and compares the row counts with the manifest. Stop the web and worker processes
first: a restore replaces everything. `--database-url` restores into another database.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings
from django.db import connections
from django.utils import timezone

KEYS_README = """What this backup does NOT contain, and must be kept apart (in a password manager or a
secrets store, never next to the backups):

- SECRET_KEY: sessions, password-reset links and the pseudonyms of erased people depend on it.
  Restoring with another key logs everyone out and breaks pending links; pseudonyms change.
- The credential signing keys (the credentials app's private keys): without them no new
  credential can be signed with the published identity, and verifiers would reject re-signed ones.
- The environment (.env): DATABASE_URL, e-mail settings, SITE_URL, ALLOWED_HOSTS.

Restore: stop the web and worker processes, run `cqphub restore THIS_FOLDER`, start them again.
"""


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _db_settings(database_url: str | None = None) -> dict[str, Any]:
    if database_url:
        return dj_database_url.parse(database_url)
    return connections["default"].settings_dict


def _is_sqlite(db: dict[str, Any]) -> bool:
    return db["ENGINE"].endswith("sqlite3")


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict[str, Any]) -> list[str]:
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return args


def _sqlite_connect(db: dict[str, Any]) -> sqlite3.Connection:
    name = str(db["NAME"])
    if name.startswith("file:"):
        return sqlite3.connect(name, uri=True)
    return sqlite3.connect(name)


def sqlite_backup(source: sqlite3.Connection, target_path: Path) -> None:
    """Copy a live SQLite database into `target_path` with the online backup API, then check it."""
    target = sqlite3.connect(str(target_path))
    try:
        with target:
            source.backup(target)  # one step: a read snapshot, which WAL writers do not wait for
        result = target.execute("PRAGMA integrity_check").fetchone()[0]
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        target.close()
    if result != "ok":
        raise BackupError(f"integrity check of the copy failed: {result}")


def table_counts(db: dict[str, Any] | None = None, *, alias: str = "default") -> dict[str, int]:
    """Rows per table of the project's database (or of another one given by its settings)."""
    if db is None:
        connection = connections[alias]
        tables = sorted(connection.introspection.table_names())
        with connection.cursor() as cursor:
            counts = {}
            for table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
        return counts
    if _is_sqlite(db):
        con = _sqlite_connect(db)
        try:
            tables = [
                r[0]
                for r in con.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}  # noqa: S608
        finally:
            con.close()
    import psycopg

    with psycopg.connect(
        dbname=db["NAME"],
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
    ) as con:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            )
        ]
        return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def backup(out: Path, *, database_url: str | None = None) -> dict[str, Any]:
    """Write the backup folder `out` (must not exist, or be empty) and return its manifest."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} exists and is not empty")
    out.mkdir(parents=True, exist_ok=True)
    db = _db_settings(database_url)
    files: dict[str, str] = {}
    if _is_sqlite(db):
        path = out / "database.sqlite3"
        if database_url:
            source = _sqlite_connect(db)
        else:
            connection = connections["default"]
            if connection.in_atomic_block:  # the backup API would wait forever on our own lock
                raise BackupError("cannot back up from inside a transaction")
            connection.ensure_connection()
            source = connection.connection
        try:
            sqlite_backup(source, path)
        finally:
            if database_url:
                source.close()
        counts = table_counts({"ENGINE": "sqlite3", "NAME": str(path)})
    else:
        path = out / "database.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(path), *_pg_args(db)],
            check=True,
            env=_pg_env(db),
            capture_output=True,
        )
        subprocess.run(["pg_restore", "--list", str(path)], check=True, capture_output=True)
        counts = table_counts(db) if database_url else table_counts()
    files[path.name] = _sha256(path)
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(media.rglob("*")):
        archive = out / "media.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(media, arcname="media")
        files[archive.name] = _sha256(archive)
    (out / "KEYS-README.txt").write_text(KEYS_README, encoding="utf-8")
    from django.db.migrations.recorder import MigrationRecorder

    applied = []
    if not database_url:
        applied = sorted(
            f"{a}.{n}" for a, n in MigrationRecorder(connections["default"]).applied_migrations()
        )
    manifest = {
        "format": "cqphub.backup/1",
        "created": timezone.now().isoformat(),
        "engine": "sqlite" if _is_sqlite(db) else "postgresql",
        "files": files,
        "tables": counts,
        "migrations": applied,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def restore(source: Path, *, database_url: str | None = None) -> dict[str, Any]:
    """Restore the backup folder `source` into the database (and MEDIA_ROOT); returns a report."""
    source = Path(source)
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    for name, digest in manifest["files"].items():
        if _sha256(source / name) != digest:
            raise BackupError(f"{name}: checksum mismatch, the backup is damaged")
    db = _db_settings(database_url)
    if _is_sqlite(db) != (manifest["engine"] == "sqlite"):
        raise BackupError(f"this backup is for {manifest['engine']}; the target database is not")
    if _is_sqlite(db):
        _restore_sqlite(source, db, database_url)
    else:
        _restore_postgres(source, db)
    _restore_media(source)
    counts = table_counts(db) if database_url else table_counts()
    differences = {
        t: (manifest["tables"].get(t), counts.get(t))
        for t in set(manifest["tables"]) | set(counts)
        if manifest["tables"].get(t) != counts.get(t)
    }
    if differences:
        raise BackupError(f"row counts differ after the restore: {differences}")
    return {"tables": len(counts), "rows": sum(counts.values()), "created": manifest["created"]}


def _restore_sqlite(source: Path, db: dict, database_url: str | None) -> None:
    """Copy the backup's SQLite file, once checked, into the target (the default connection if none)."""
    snapshot = sqlite3.connect(str(source / "database.sqlite3"))
    try:
        if snapshot.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("the backup's database fails its integrity check")
        if database_url:
            target = _sqlite_connect(db)
        else:
            connection = connections["default"]
            connection.close()
            connection.ensure_connection()
            target = connection.connection
        snapshot.backup(target)
        if database_url:
            target.close()
    finally:
        snapshot.close()


def _restore_postgres(source: Path, db: dict) -> None:
    result = subprocess.run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *_pg_args(db),
            str(source / "database.dump"),
        ],
        env=_pg_env(db),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[:2000]}")
    connections["default"].close()


def _restore_media(source: Path) -> None:
    """Replace MEDIA_ROOT with the backup's media files, when it has some."""
    archive = source / "media.tar.gz"
    if archive.exists():
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            shutil.rmtree(media)
        media.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive) as tar:
            tar.extractall(media.parent, filter="data")
        if media.name != "media":
            (media.parent / "media").rename(media)
