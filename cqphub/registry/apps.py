from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "cqphub.registry"
    label = "registry"
