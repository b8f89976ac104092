"""Background work of the reporting app (django-tasks; database queue in production).

- `refresh_statistics_task()`: rebuilds the statistics cells (queued after each jury and revocation);
- `send_reminders_task(today)`: e-mails each certifier's branch staff about awards due within 14 days,
  overdue, or rejected (one message per certifier and day).

`cqphub reporting remind` enqueues the reminder sweep: run it daily (cron / systemd timer), with
`cqphub db_worker` running.
"""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_statistics_task():
    from cqphub.reporting.aggregates import refresh_statistics

    return refresh_statistics().pk


@task()
def send_reminders_task(today: str | None = None):
    from datetime import date

    from cqphub.reporting.services import send_reminders

    return send_reminders(date.fromisoformat(today) if today else None)
