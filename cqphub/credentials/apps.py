from django.apps import AppConfig


def signature_panel(request):
    """On the dashboard of a jury president: where to deposit the signature drawn on parchments."""
    from cqphub.credentials.models import SignatureImage
    from cqphub.juries.selectors import presides_a_jury

    if not presides_a_jury(request.user):
        return None
    has = SignatureImage.objects.filter(user_id=request.user.pk).exists()
    return "credentials/_signature_panel.html", {"has_signature": has}


class CredentialsConfig(AppConfig):
    name = "cqphub.credentials"
    label = "credentials"

    def ready(self) -> None:
        from cqphub.credentials import receivers  # noqa: F401 - connects to the juries' award signals
        from cqphub.orgs.dashboard import DASHBOARD_PANELS

        if signature_panel not in DASHBOARD_PANELS:
            DASHBOARD_PANELS.append(signature_panel)
