from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "cqphub.journeys"
    label = "journeys"
