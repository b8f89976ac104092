"""The back-office dashboard panel of the juries app (registered in apps.ready): the sessions the
user sits on or runs, and the results still to notify (R. 6412-7: within 15 days for VAE)."""

from __future__ import annotations

from django.utils import timezone

from cqphub.juries.selectors import pending_notifications, staff_qualification_ids, visible_sessions


def jury_panel(request):
    user = request.user
    sessions = (
        visible_sessions(user).exclude(status__in=["closed", "cancelled"]).select_related("qualification")
    )
    sessions = list(sessions.order_by("on")[:5])
    ids = staff_qualification_ids(user) if not user.is_superuser else None
    pending = pending_notifications(timezone.localdate())
    if ids is not None:
        pending = pending.filter(session__qualification_id__in=ids)
    pending = list(pending[:10])
    candidate = getattr(user, "candidate", None)
    if not sessions and not pending and candidate is None:
        return None
    return "juries/_panel.html", {
        "sessions": sessions,
        "pending": pending,
        "today": timezone.localdate(),
        "candidate": candidate,
    }
