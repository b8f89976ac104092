from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "cqphub.orgs"
    label = "orgs"

    def ready(self):
        from cqphub.orgs import checks, gdpr  # noqa: F401 - registers the deploy check, the personal-data provider
