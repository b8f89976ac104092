from django.apps import AppConfig


class OrientationConfig(AppConfig):
    name = "cqphub.orientation"
    label = "orientation"
