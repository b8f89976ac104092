from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "cqphub.reporting"
    label = "reporting"

    def ready(self):
        from cqphub.orgs import dashboard
        from cqphub.reporting import receivers  # noqa: F401  (connects to the juries signals)
        from cqphub.reporting.panels import holder_report_panel

        if holder_report_panel not in dashboard.DASHBOARD_PANELS:
            dashboard.DASHBOARD_PANELS.append(holder_report_panel)
