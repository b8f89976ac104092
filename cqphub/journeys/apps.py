from django.apps import AppConfig


def dashboard_panel(request):
    """The back-office dashboard's "Candidacies" panel: counts of the candidacies the user sees, and
    a candidate's own file."""
    from cqphub.journeys.models import Candidate
    from cqphub.journeys.selectors import visible_candidacies

    user = request.user
    own = Candidate.objects.filter(user=user).exists()
    qs = visible_candidacies(user)
    count = qs.count()
    if not count and not own:
        return None
    open_count = qs.open().count()
    return ("journeys/_panel.html", {"count": count, "open_count": open_count, "own": own})


class JourneysConfig(AppConfig):
    name = "cqphub.journeys"
    label = "journeys"

    def ready(self):
        from cqphub.orgs.dashboard import DASHBOARD_PANELS

        if dashboard_panel not in DASHBOARD_PANELS:
            DASHBOARD_PANELS.append(dashboard_panel)
