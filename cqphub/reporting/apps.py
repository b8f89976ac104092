from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "cqphub.reporting"
    label = "reporting"
