"""Panels shown on the back-office dashboard and centre pages (registered in apps.ready)."""

from __future__ import annotations

from .models import Habilitation
from .selectors import branch_qualifications, due_within


def due_panel(request):
    if not branch_qualifications(request.user).exists():
        return None
    return "qualifications/_due_panel.html", {"due": due_within(request.user, days=365)}


def centre_panel(request, centre):
    habilitations = (
        Habilitation.objects.filter(centre=centre).select_related("qualification").prefetch_related("blocks")
    )
    visible = [h for h in habilitations if request.user.has_perm("qualifications.view_habilitation", h)]
    if not visible:
        return None
    return "qualifications/_centre_habilitations.html", {"habilitations": visible, "centre": centre}
