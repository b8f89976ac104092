"""CQP / CQPI authored by branches: three frameworks, versions, legal lifecycle."""

from django.apps import AppConfig


class QualificationsConfig(AppConfig):
    name = "cqphub.qualifications"
    label = "qualifications"

    def ready(self):
        from django.db.models import Q

        from cqphub.orgs import dashboard, selectors

        from .panels import centre_panel, due_panel

        # A centre works with a branch when it holds a habilitation for one of the branch's qualifications.
        selectors.CENTRE_LINKS.append(
            lambda branches: Q(habilitations__qualification__committee__branches__in=branches)
        )
        dashboard.DASHBOARD_PANELS.append(due_panel)
        dashboard.CENTRE_PANELS.append(centre_panel)
