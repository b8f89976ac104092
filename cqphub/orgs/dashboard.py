"""Extension points of the back-office pages, filled by other apps (in their `AppConfig.ready()`
or at import of their views):

    from cqphub.orgs.dashboard import DASHBOARD_PANELS
    DASHBOARD_PANELS.append(lambda request: ("qualifications/_due_panel.html", {"due": ...}))

Each callable returns `(template name, context)` or None to show nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string

Panel = tuple[str, dict[str, Any]] | None

# callable(request) -> (template, context) | None — shown on /espace/
DASHBOARD_PANELS: list[Callable[..., Panel]] = []
# callable(request, branch) -> (template, context) | None — shown on a branch's page
BRANCH_PANELS: list[Callable[..., Panel]] = []
# callable(request, centre) -> (template, context) | None — shown on a centre's page (habilitations)
CENTRE_PANELS: list[Callable[..., Panel]] = []


def render_panels(request, panels, *args) -> list[str]:
    """The HTML of the panels that have something to show (each rendered with its own context
    plus `request`), in registration order."""
    html = []
    for panel in panels:
        result = panel(request, *args)
        if result:
            template, context = result
            html.append(render_to_string(template, context, request=request))
    return html
