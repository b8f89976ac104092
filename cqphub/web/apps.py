from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cqphub.web"
    label = "web"

    def ready(self):
        from django_tasks.signals import task_finished, task_started

        from cqphub.web.health import on_task_signal

        task_started.connect(on_task_signal, dispatch_uid="cqphub-worker-heartbeat-start")
        task_finished.connect(on_task_signal, dispatch_uid="cqphub-worker-heartbeat-finish")

        from cqphub.reporting.signals import public_statistics_changed

        public_statistics_changed.connect(stale_fiche_pages, dispatch_uid="cqphub-public-statistics")


def stale_fiche_pages(sender, codes=(), **kwargs):
    """The public holder figures of these fiches changed: their cached public pages are stale."""
    from django.urls import reverse

    from cqphub.web import public_cache

    public_cache.invalidate(*(reverse("registry:detail", kwargs={"code": code}) for code in codes))
