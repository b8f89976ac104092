"""Structured request logs: one JSON line per request on the `cqphub.request` logger.

    {"ts": "2026-11-30T01:02:03.456Z", "method": "GET", "path": "/registre/", "status": 200,
     "ms": 12.3, "ip": "203.0.113.9", "user": 42, "view": "registry:search", "bytes": 5120}

What is left out on purpose (security review M4): the query string (orientation answers, search
words and tokens would otherwise reach the logs) and any e-mail address; `user` is the account id.
`ip` is the client address as `cqphub.orgs.lockout.client_ip` resolves it behind trusted proxies.
The same middleware adds the `Permissions-Policy` header (settings.PERMISSIONS_POLICY).

Logging: `settings.LOGGING` sends `cqphub.request` to standard output through
`JsonLineFormatter`, so that gunicorn's or the container's log collector stores one object a line.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime

from django.conf import settings

logger = logging.getLogger("cqphub.request")


class JsonLineFormatter(logging.Formatter):
    """A log record as one JSON object: the message's dict (when it is one) plus level and logger."""

    def format(self, record: logging.LogRecord) -> str:
        payload = record.msg if isinstance(record.msg, dict) else {"message": record.getMessage()}
        data = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            **payload,
        }
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class RequestLogMiddleware:
    def __init__(self, get_response):
        from cqphub.orgs.lockout import client_ip  # not at import: LOGGING loads this module early

        self.get_response = get_response
        self.client_ip = client_ip

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        if logger.isEnabledFor(logging.INFO):
            user = getattr(request, "user", None)
            match = getattr(request, "resolver_match", None)
            size = response.get("Content-Length")
            if size is None and not response.streaming:
                size = len(response.content)
            logger.info(
                {
                    "method": request.method,
                    "path": request.path[:500],
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "ip": self.client_ip(request),
                    "user": user.pk if user is not None and user.is_authenticated else None,
                    "view": match.view_name if match else None,
                    "bytes": int(size) if size is not None else None,
                }
            )
        return response
