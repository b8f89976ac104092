"""Background work of the credentials app (django-tasks; `cqphub db_worker` runs them)."""

from __future__ import annotations

from django_tasks import task


@task()
def issue_session_task(run_id: int) -> int:
    """Issue a closed jury session's documents (idempotent, resumable: re-enqueue after a crash)."""
    from cqphub.credentials import services
    from cqphub.credentials.models import IssuanceRun

    run = IssuanceRun.objects.select_related("jury_session").get(pk=run_id)
    return services.run_session(run).done
