"""The Django admin behind the platform's own log-in and second factor (security review H1).

`SecureAdminSite` is the default admin site (settings: `cqphub.orgs.admin_apps.SecureAdminConfig`
replaces `django.contrib.admin`). It opens only to active staff whose session is verified by a TOTP
code, whatever `CQPHUB_REQUIRE_2FA` says: an account without a device must enrol first. Its log-in
page is the back office's (`/espace/connexion/`, then the code), so there is one log-in to protect.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from cqphub.orgs.permissions import needs_otp


def _verified(request) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return callable(is_verified) and is_verified()


class SecureAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and _verified(request)

    def login(self, request, extra_context=None):
        target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name)
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(target, reverse("orgs:login"))
        if not (user.is_active and user.is_staff):
            return redirect("orgs:dashboard")
        if needs_otp(user):
            return redirect(f"{reverse('orgs:otp_verify')}?{urlencode({'next': target})}")
        if not _verified(request):  # staff without a device: enrol first
            return redirect(f"{reverse('orgs:otp_setup')}?{urlencode({'next': target})}")
        return redirect(target)
