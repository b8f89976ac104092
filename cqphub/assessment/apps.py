from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "cqphub.assessment"
    label = "assessment"

    def ready(self) -> None:
        from cqphub.assessment.panels import assessment_panel
        from cqphub.orgs.dashboard import DASHBOARD_PANELS

        if assessment_panel not in DASHBOARD_PANELS:
            DASHBOARD_PANELS.append(assessment_panel)
