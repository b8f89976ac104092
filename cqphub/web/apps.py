from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cqphub.web"
    label = "web"
