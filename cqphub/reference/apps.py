from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "cqphub.reference"
    label = "reference"
