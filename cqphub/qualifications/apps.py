"""CQP / CQPI authored by branches: three frameworks, versions, legal lifecycle."""

from django.apps import AppConfig


class QualificationsConfig(AppConfig):
    name = "cqphub.qualifications"
    label = "qualifications"

    def ready(self):
        from django.db.models import Q

        from cqphub.orgs import dashboard, selectors
        from cqphub.qualifications.panels import centre_panel, due_panel, work_panel

        # A centre works with a branch when it holds a habilitation for one of the branch's qualifications.
        selectors.CENTRE_LINKS.append(
            lambda branches: Q(habilitations__qualification__committee__branches__in=branches)
        )
        dashboard.DASHBOARD_PANELS.insert(0, work_panel)
        dashboard.DASHBOARD_PANELS.append(due_panel)
        _name_audit_verbs()
        dashboard.CENTRE_PANELS.append(centre_panel)


def _name_audit_verbs() -> None:
    """This app's audit verbs, in words (cqphub.orgs.audit_text)."""
    from django.utils.translation import gettext as _
    from django.utils.translation import gettext_lazy

    from cqphub.orgs import audit_text
    from cqphub.qualifications.enums import LifecycleEventKind

    def lifecycle(kind: str) -> str:
        try:
            event = LifecycleEventKind(kind).label
        except ValueError:
            event = kind.replace("_", " ")
        return _("Cycle de vie, %(event)s") % {"event": event}

    audit_text.ACTION_LABELS.update(
        {
            "lifecycle:": lifecycle,
            "share_block": gettext_lazy("Bloc partagé repris dans une version"),
            "remove_block": gettext_lazy("Bloc retiré d'une version"),
            "revise_block": gettext_lazy("Nouvelle révision d'un bloc partagé"),
            "move": gettext_lazy("Ligne déplacée"),
            "undo": gettext_lazy("Modification annulée"),
            "restore": gettext_lazy("Suppression annulée"),
        }
    )
