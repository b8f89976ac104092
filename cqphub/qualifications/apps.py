from django.apps import AppConfig


class QualificationsConfig(AppConfig):
    name = "cqphub.qualifications"
    label = "qualifications"
