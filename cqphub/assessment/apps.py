from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "cqphub.assessment"
    label = "assessment"
