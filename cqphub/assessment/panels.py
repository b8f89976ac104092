"""The back-office dashboard panel of the assessment app (registered in apps.ready): grids to score
and the next sessions."""

from __future__ import annotations

from django.utils import timezone

from cqphub.assessment.selectors import grids_to_score, visible_sessions


def assessment_panel(request):
    user = request.user
    grids = grids_to_score(user).filter(results__isnull=True).exclude(session__status="cancelled")
    sessions = (
        visible_sessions(user)
        .filter(on__gte=timezone.localdate())
        .exclude(status="cancelled")
        .select_related("qualification", "centre")
        .order_by("on")[:5]
    )
    count, sessions = grids.count(), list(sessions)
    if not count and not sessions:
        return None
    return "assessment/_panel.html", {"grid_count": count, "sessions": sessions}
