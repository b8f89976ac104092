from django.apps import AppConfig


class JuriesConfig(AppConfig):
    name = "cqphub.juries"
    label = "juries"
