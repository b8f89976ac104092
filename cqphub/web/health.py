"""`/healthz`: is this instance fit to serve? For load balancers, container orchestrators and uptime
probes. JSON, never cached, no personal data:

    {"status": "ok", "checks": {"database": "ok", "migrations": "ok", "worker": "unknown"}}

- database: one `SELECT 1`;
- migrations: no migration left to apply (checked once per process, until it succeeds);
- worker: the age of the heartbeat file the task worker touches (`beat()`, at least once a minute;
  settings.CQPHUB_WORKER_HEARTBEAT): "ok" under 5 minutes, "stale" beyond, "unknown" when no worker
  has ever written it (the platform has no task worker yet: that is not a failure).
HTTP 200 when the database and the migrations are fine ("degraded" when the worker is stale),
503 otherwise.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

STALE_AFTER = 300
_migrations_ok = False


def beat(path: Path | None = None) -> None:
    """Record that the task worker is alive (call it from the worker's loop)."""
    path = Path(path or settings.CQPHUB_WORKER_HEARTBEAT)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return "unreachable"
    return "ok"


def _migrations() -> str:
    global _migrations_ok
    if _migrations_ok:
        return "ok"
    try:
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:  # noqa: BLE001
        return "unknown"
    _migrations_ok = not pending
    return "ok" if not pending else f"{len(pending)} pending"


def _worker() -> str:
    path = Path(settings.CQPHUB_WORKER_HEARTBEAT)
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return "unknown"
    return "ok" if age < STALE_AFTER else "stale"


@never_cache
def healthz(request):
    checks = {"database": _database()}
    checks["migrations"] = _migrations() if checks["database"] == "ok" else "unknown"
    checks["worker"] = _worker()
    healthy = checks["database"] == "ok" and checks["migrations"] == "ok"
    status = ("degraded" if checks["worker"] == "stale" else "ok") if healthy else "failing"
    return JsonResponse({"status": status, "checks": checks}, status=200 if healthy else 503)
