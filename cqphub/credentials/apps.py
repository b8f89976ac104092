from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "cqphub.credentials"
    label = "credentials"

    def ready(self) -> None:
        from cqphub.credentials import receivers  # noqa: F401 - connects to the juries' award signals
