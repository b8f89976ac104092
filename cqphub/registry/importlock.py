"""One registry import at a time, per database: a second one is refused at once with a clear message.

PostgreSQL: a session advisory lock (released by the server if the process dies). SQLite: an
exclusive `flock` on a file beside the database (released by the kernel if the process dies); an
in-memory database (tests) uses a lock of this process.
"""

from __future__ import annotations

import fcntl
import threading
from contextlib import contextmanager
from pathlib import Path

ADVISORY_KEY = 0x43515048_52454731 & 0x7FFFFFFFFFFFFFFF  # "CQPHREG1"
_memory_locks: dict[str, threading.Lock] = {}
_memory_guard = threading.Lock()


class ImportAlreadyRunning(Exception):
    pass


def _sqlite_lock_path(conn) -> Path | None:
    name = str(conn.settings_dict.get("NAME") or "")
    if conn.vendor != "sqlite" or not name or name == ":memory:" or "mode=memory" in name:
        return None
    return Path(f"{name}.import-lock")


@contextmanager
def exclusive_import(conn):
    """Hold the import lock of `conn`'s database, or raise `ImportAlreadyRunning`."""
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_KEY])
            if not cursor.fetchone()[0]:
                raise ImportAlreadyRunning
        try:
            yield
        finally:
            with conn.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_KEY])
        return
    path = _sqlite_lock_path(conn)
    if path is None:
        key = str(conn.settings_dict.get("NAME") or "")
        with _memory_guard:
            lock = _memory_locks.setdefault(key, threading.Lock())
        if not lock.acquire(blocking=False):
            raise ImportAlreadyRunning
        try:
            yield
        finally:
            lock.release()
        return
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ImportAlreadyRunning from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
