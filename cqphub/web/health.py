"""`/healthz`: is this instance fit to serve? For load balancers, container orchestrators and uptime
probes. JSON, never cached, no personal data:

    {"status": "ok", "checks": {"database": "ok", "migrations": "ok", "worker": "unknown"}}

- database: one `SELECT 1`;
- migrations: no migration left to apply (checked once per process, until it succeeds);
- worker: "stale" when a task has waited in the queue (django-tasks' database backend) for more than
  5 minutes without being started; otherwise "ok" when the worker touched the heartbeat file
  (settings.CQPHUB_WORKER_HEARTBEAT: `beat()`, called as each task starts and finishes) in the last
  5 minutes; otherwise "unknown" (an idle worker and a missing one look alike: not a failure).
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


def _backlog() -> bool:
    try:
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult

        late = timezone.now() - timezone.timedelta(seconds=STALE_AFTER)
        return DBTaskResult.objects.filter(status="READY", run_after__lt=late).exists()
    except Exception:  # noqa: BLE001 - no task backend or table: nothing to say
        return False


def _worker() -> str:
    if _backlog():
        return "stale"
    path = Path(settings.CQPHUB_WORKER_HEARTBEAT)
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return "unknown"
    return "ok" if age < STALE_AFTER else "unknown"


def on_task_signal(sender=None, **kwargs) -> None:
    try:
        beat()
    except OSError:
        pass


@never_cache
def healthz(request):
    checks = {"database": _database()}
    checks["migrations"] = _migrations() if checks["database"] == "ok" else "unknown"
    checks["worker"] = _worker()
    healthy = checks["database"] == "ok" and checks["migrations"] == "ok"
    status = ("degraded" if checks["worker"] == "stale" else "ok") if healthy else "failing"
    return JsonResponse({"status": status, "checks": checks}, status=200 if healthy else 503)
