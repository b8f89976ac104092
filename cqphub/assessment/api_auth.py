"""Authentication of the assessment and juries API for centres' own systems.

Two ways in: the browser session (`cqphub.orgs.api_auth`: CSRF checked on writes, and a session
that has passed the second factor where the back office asks for it), or HTTP Basic with the
account's e-mail and password — refused for accounts protected by a TOTP device, and for accounts that
must use one (`CQPHUB_REQUIRE_2FA`), which use the session: the second factor cannot travel in Basic.
Axes counts failed Basic attempts like logins.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from ninja.security import HttpBasicAuth

from cqphub.orgs.api_auth import session_auth
from cqphub.orgs.permissions import must_use_second_factor


class BasicAuth(HttpBasicAuth):
    def authenticate(self, request, username, password):
        from django_otp import user_has_device

        user = authenticate(request, username=username, password=password)
        if user is None or not user.is_active or user_has_device(user, confirmed=True):
            return None
        if must_use_second_factor(user):
            return None
        request.user = user
        return user


# Basic first: django-ninja's session auth checks CSRF on writes before it looks at the session, and
# its 403 would end the chain, refusing a centre system's Basic-authenticated PUT/POST. A browser never
# sends Basic credentials by itself here (no `WWW-Authenticate` challenge), so no CSRF risk comes in.
API_AUTH = [BasicAuth(), session_auth]
