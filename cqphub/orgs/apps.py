from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "cqphub.orgs"
    label = "orgs"
