"""Idle timeout of signed-in sessions (security review L2).

A session unused for `CQPHUB_STAFF_IDLE_MINUTES` (staff, superusers and the roles that must use a
second factor) or `CQPHUB_IDLE_MINUTES` (everyone else) is logged out; the next back-office page
asks to log in again. The last-seen time is written to the session at most once a minute, so a
busy session costs no extra write per request."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

from cqphub.orgs.permissions import second_factor_required

SEEN_KEY = "orgs_last_seen"
STRICT_KEY = "orgs_strict_idle"


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            strict = session.get(STRICT_KEY)
            if strict is None:
                strict = session[STRICT_KEY] = bool(second_factor_required(user))
            minutes = settings.CQPHUB_STAFF_IDLE_MINUTES if strict else settings.CQPHUB_IDLE_MINUTES
            now = int(time.time())
            last = session.get(SEEN_KEY)
            if last is not None and minutes > 0 and now - int(last) > minutes * 60:
                logout(request)
                messages.info(request, _("Votre session a expiré après une période d'inactivité."))
            elif last is None or now - int(last) >= 60:
                session[SEEN_KEY] = now
        return self.get_response(request)
