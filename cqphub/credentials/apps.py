from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "cqphub.credentials"
    label = "credentials"
