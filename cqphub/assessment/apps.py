from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "cqphub.assessment"
    label = "assessment"

    def ready(self) -> None:
        from cqphub.orgs.dashboard import DASHBOARD_PANELS

        from .panels import assessment_panel

        if assessment_panel not in DASHBOARD_PANELS:
            DASHBOARD_PANELS.append(assessment_panel)
