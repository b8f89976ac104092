"""The browser session as API credentials, with the back office's second-factor rules.

django-ninja's `django_auth` accepts any authenticated session, including one that has passed the
password step only: a user with a TOTP device who has not entered the code, or a user who must enrol
(`CQPHUB_REQUIRE_2FA`) and has not, would have reached the JSON API with half a log-in. This class
answers 401 to both, like `backoffice_view` sends them to the code or enrolment page. Its name stays
`SessionAuth`: it is the security scheme's name in the OpenAPI document.
"""

from __future__ import annotations

from ninja.security import SessionAuth as NinjaSessionAuth

from cqphub.orgs.permissions import must_enrol, needs_otp


class SessionAuth(NinjaSessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None or needs_otp(user) or must_enrol(user):
            return None
        return user


session_auth = SessionAuth()
