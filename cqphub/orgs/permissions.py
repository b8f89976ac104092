"""View helpers: objects a user may not see are answered 404, never 403 (no hint they exist);
back-office views need a login and, for users with a confirmed TOTP device, a verified session."""

from __future__ import annotations

from functools import wraps

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


def backoffice_view(view):
    """Login required; a user with a confirmed TOTP device must have entered a code this session."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if needs_otp(request.user):
            return redirect(f"{reverse('orgs:otp_verify')}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper


class BackOfficeMixin:
    """Class-based counterpart of `backoffice_view`."""

    @classmethod
    def as_view(cls, **initkwargs):
        return backoffice_view(super().as_view(**initkwargs))
