from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "cqphub.orgs"
    label = "orgs"

    def ready(self):
        from cqphub.orgs import gdpr  # noqa: F401 - registers the orgs personal-data provider
