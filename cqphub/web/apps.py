from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cqphub.web"
    label = "web"

    def ready(self):
        from django_tasks.signals import task_finished, task_started

        from cqphub.web.health import on_task_signal

        task_started.connect(on_task_signal, dispatch_uid="cqphub-worker-heartbeat-start")
        task_finished.connect(on_task_signal, dispatch_uid="cqphub-worker-heartbeat-finish")
