"""Absolute links written into e-mails (security review L7): built on `settings.SITE_URL`, never on
the request's Host header, and password-reset requests throttled per address and per client."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache

from cqphub.orgs.lockout import client_ip


def site_url(request=None) -> str:
    """The platform's public base URL, without a trailing slash.

    `SITE_URL` when set; in development (DEBUG) the request's own address; otherwise https on the
    first `ALLOWED_HOSTS` name."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    if settings.DEBUG and request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    host = next((h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")), "localhost")
    return f"https://{host}"


def site_parts(request=None) -> tuple[str, str]:
    """(scheme, host[:port]) of `site_url()`."""
    parts = urlsplit(site_url(request))
    return parts.scheme, parts.netloc


def _hit(key: str, limit: int) -> bool:
    """Count one event under `key` for an hour; True while the count stays within `limit`."""
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600)
        count = 1
    return count <= limit


def password_reset_allowed(request, email: str) -> bool:
    """False once this address, or this client, asked for more than the hourly limit of resets."""
    limit = settings.CQPHUB_PASSWORD_RESET_PER_HOUR
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    by_email = _hit(f"orgs:reset:email:{digest}", limit)
    by_client = _hit(f"orgs:reset:ip:{client_ip(request)}", limit * 4)
    return by_email and by_client
