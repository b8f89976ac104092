"""View helpers: objects a user may not see are answered 404, never 403 (no hint they exist);
back-office views need a login and, for users with a confirmed TOTP device, a verified session.

Mandatory second factor (security review H1): `second_factor_required(user)` is true for superusers,
staff (Django admin) accounts and the roles that sign decisions (`SIGNING_ROLES`: branch
administrators and certification officers), plus whatever the apps register::

    from cqphub.orgs.permissions import register_second_factor_rule

    @register_second_factor_rule
    def jury_presidents(user) -> bool:          # e.g. in juries/apps.py ready()
        return JurySession.objects.filter(president=user).exists()

When `settings.CQPHUB_REQUIRE_2FA` is on (the default when DEBUG is off), such a user without a
confirmed device is sent to the enrolment page by every back-office view, and the Django admin
always asks for a verified second factor (see `admin_site.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode


def get_object_for_user_or_404(user, queryset: QuerySet | type[Model], perm: str, **lookup):
    """The object matching `lookup`, if `user` holds `perm` on it; otherwise Http404."""
    obj = get_object_or_404(queryset, **lookup)
    if not user.has_perm(perm, obj):
        raise Http404("No such object.")
    return obj


def needs_otp(user) -> bool:
    """True when `user` has a confirmed TOTP device but this session has not been verified."""
    if not user.is_authenticated:
        return False
    from django_otp import user_has_device

    is_verified = getattr(user, "is_verified", None)
    return user_has_device(user, confirmed=True) and not (callable(is_verified) and is_verified())


_SECOND_FACTOR_RULES: list[Callable[[Any], bool]] = []


def register_second_factor_rule(rule: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """Add `rule(user) -> bool`: when it is true, the user must use a second factor."""
    _SECOND_FACTOR_RULES.append(rule)
    return rule


def second_factor_required(user) -> bool:
    """True for accounts that must log in with a second factor (whatever the setting says)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    from cqphub.orgs.models import SIGNING_ROLES, Membership

    if Membership.objects.active().filter(user=user, role__in=SIGNING_ROLES).exists():
        return True
    return any(rule(user) for rule in _SECOND_FACTOR_RULES)


def must_enrol(user) -> bool:
    """True when the platform enforces the second factor and `user` still has no confirmed device."""
    if not getattr(settings, "CQPHUB_REQUIRE_2FA", False) or not user.is_authenticated:
        return False
    from django_otp import user_has_device

    return not user_has_device(user, confirmed=True) and second_factor_required(user)


def must_use_second_factor(user) -> bool:
    """True when the platform enforces the second factor for `user` (device or not): such a user
    cannot use a password-only way in (HTTP Basic on the API)."""
    return bool(getattr(settings, "CQPHUB_REQUIRE_2FA", False)) and second_factor_required(user)


def backoffice_view(view=None, *, enrolling: bool = False):
    """Login required; a user with a confirmed TOTP device must have entered a code this session;
    a user who must use a second factor and has none is sent to enrol (unless `enrolling`)."""
    if view is None:
        return lambda view: backoffice_view(view, enrolling=enrolling)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if needs_otp(request.user):
            return redirect(f"{reverse('orgs:otp_verify')}?{urlencode({'next': request.get_full_path()})}")
        if not enrolling and must_enrol(request.user):
            return redirect(f"{reverse('orgs:otp_setup')}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper
