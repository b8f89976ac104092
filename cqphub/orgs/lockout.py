"""Log-in throttling (security review H2): the real client address, and a lock-out that can never
shut out an office, or the whole site behind a proxy.

* `client_ip(request)`: `REMOTE_ADDR`, or, behind `CQPHUB_TRUSTED_PROXIES` reverse proxies, the
  address the outermost trusted proxy saw (the `X-Forwarded-For` entry that many places from the
  right). Entries a client wrote itself sit further left and are ignored; with no trusted proxy
  the header is never read. Used by django-axes (`AXES_CLIENT_IP_CALLABLE`) and the request log.
* `LockoutHandler`: django-axes' database handler, locking
  - the (account, address) pair after `AXES_FAILURE_LIMIT` failures (`AXES_LOCKOUT_PARAMETERS`);
  - the account, from any address, after `CQPHUB_ACCOUNT_FAILURE_LIMIT` failures, so that guesses
    spread over many addresses are stopped too. Its owner gets back in at once by choosing a new
    password through the e-mailed link (`unlock_account`), or after the cool-off.
  Never the address alone: colleagues behind one NAT, or everyone behind the proxy, keep logging in.
"""

from __future__ import annotations

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip().strip("[]")))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address, trusting exactly `settings.CQPHUB_TRUSTED_PROXIES` proxies."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = int(getattr(settings, "CQPHUB_TRUSTED_PROXIES", 0) or 0)
    if count <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote  # the proxy did not add its entry: misconfigured, do not guess
    return _valid_ip(forwarded[-count]) or remote


def account_failures(username: str | None, request=None) -> int:
    """Failed log-ins on `username` from any address within the cool-off period."""
    if not username:
        return 0
    attempts = AccessAttempt.objects.filter(username=username)
    if request is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def _account_locked(request, credentials) -> bool:
    limit = getattr(settings, "CQPHUB_ACCOUNT_FAILURE_LIMIT", 20)
    return account_failures(get_client_username(request, credentials), request) >= limit


class LockoutHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or _account_locked(request, credentials)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # axes flags the request (so that its middleware answers 429) only for its own parameters
        if request is not None and not getattr(request, "axes_locked_out", False):
            if _account_locked(request, credentials):
                request.axes_locked_out = True
                request.axes_credentials = credentials


def unlock_account(username: str) -> None:
    """Forget the failed log-ins on `username` (its owner proved control of the mailbox)."""
    AccessAttempt.objects.filter(username=username).delete()
