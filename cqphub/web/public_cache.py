"""Public registry answers built once per registry version, day and language, then served from a cache.

Why: the registry changes only when an import runs, yet every anonymous visitor made the platform
render the same certification page again (24 ms, 10 queries). This middleware keeps the rendered body
of the listed public views (`PUBLIC_CACHE_VIEWS`) in Django's cache framework — local memory by
default, Redis or the database when `CACHE_URL` says so, so that several machines share it — under a key
made of:
  - the registry's index version (a random stamp each import writes; one one-row read per request,
    so every process sees a new import at once: nothing may go stale). A search answered from the
    process's previous snapshot while the new one is built (registry/search/index.py) is not stored:
    it would stand under the new version's key;
  - today's date (a fiche's status comes from its dates on the day it is read),
  - the language, the path and the query string.
Conditional requests (If-None-Match / If-Modified-Since) are answered 304 from the cached entry without
rendering anything.

A page whose content also depends on data that changes without an import (the public holder figures of
a CQP's fiche, rebuilt after each jury) carries a per-path stamp: each entry records the stamp it was
rendered under, and `invalidate(path)` replaces the stamp, so the next visitor gets a fresh page. The
stamp is read in the same cache round trip as the entry, before rendering (an entry rendered while the
data changed keeps the old stamp and is rebuilt), and a stamp lost from the cache only costs a rebuild.
The reporting app announces such changes (`reporting.signals.public_statistics_changed`); web's
`apps.py` turns them into `invalidate` calls for the fiches' pages.

What stays out of the cached body: everything per user. Only anonymous GET/HEAD requests are served from
it (a signed-in person gets the page rendered for them), and the one per-visitor token an anonymous page
holds, the CSRF token of the language switch form, is replaced by a marker in the cached body and
filled in for each visitor. A response that sets a cookie or varies on one is never stored.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import date

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from cqphub.registry.search.index import current_version, noting_older_answers

CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
CSRF_MARKER = b"@@cqphub-csrf@@"
KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "Vary", "Last-Modified")


def _cached_kind(request: HttpRequest) -> str | None:
    """ "get" or "post" when this request's view is served from the cache, else None."""
    if request.method in ("GET", "HEAD"):
        names = settings.PUBLIC_CACHE_VIEWS
    elif request.method == "POST":
        names = settings.PUBLIC_CACHE_POST_VIEWS
    else:
        return None
    try:
        view_name = resolve(request.path_info).view_name
    except Resolver404:
        return None
    return ("get" if request.method != "POST" else "post") if view_name in names else None


class PublicCacheMiddleware:
    """Serve the listed public views to anonymous visitors from the cache (see the module docstring).

    Last in MIDDLEWARE: it needs `request.user` (free when the visitor has no session cookie) and
    `request.LANGUAGE_CODE`, and a cache hit still passes through every middleware above it (security
    headers, CSRF cookie, frame options).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        if not settings.PUBLIC_CACHE_ENABLED:
            raise MiddlewareNotUsed

    def __call__(self, request: HttpRequest) -> HttpResponse:
        kind = _cached_kind(request)
        if kind is None or request.user.is_authenticated:
            return self.get_response(request)
        extra = hashlib.sha256(request.body).hexdigest() if kind == "post" else request.method
        version = request.registry_version = current_version()  # the home view reads its summary by it
        key = _key(version or "empty", request, extra)
        stamp_key = _stamp_key(request.path_info)
        cache = caches[settings.PUBLIC_CACHE_ALIAS]
        found = cache.get_many([key, stamp_key])
        entry, stamp = found.get(key), found.get(stamp_key)
        if entry is None or stamp is None or entry.get("stamp") != stamp:
            if stamp is None:  # first answer for this path (or its stamp was evicted): start one
                stamp = secrets.token_hex(8)
                if not cache.add(stamp_key, stamp, timeout=None):
                    stamp = None  # another request just set it: render, but do not store under a guess
            with noting_older_answers() as searches:
                response = self.get_response(request)
            entry = None if searches.older else _entry(response)
            if entry is None or stamp is None:
                return response
            entry["stamp"] = stamp
            cache.set(key, entry, settings.PUBLIC_CACHE_SECONDS)
        return _respond(request, entry)


def invalidate(*paths: str) -> None:
    """Make the cached answers of these paths (every language and query string) stale at once."""
    cache = caches[settings.PUBLIC_CACHE_ALIAS]
    cache.set_many({_stamp_key(path): secrets.token_hex(8) for path in paths}, timeout=None)


def _stamp_key(path: str) -> str:
    return "public:stamp:" + hashlib.sha256(path.encode()).hexdigest()


def _key(version: str, request: HttpRequest, extra: str) -> str:
    today = date.today().isoformat()
    raw = "\n".join((version, today, request.LANGUAGE_CODE, request.get_full_path(), extra)).encode()
    return "public:" + hashlib.sha256(raw).hexdigest()


def _entry(response: HttpResponse) -> dict | None:
    """What is kept of a response, or None when it must not be shared between visitors."""
    if response.streaming or response.status_code not in (200, 301, 302, 404, 422):
        return None
    if response.cookies or "Cookie" in response.get("Vary", ""):
        return None
    body = CSRF_INPUT.sub(rb"\1" + CSRF_MARKER + rb"\2", response.content)
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    if response.has_header("Location"):
        headers["Location"] = response["Location"]
    etag = response.get("ETag") or quote_etag(hashlib.sha256(body).hexdigest()[:32])
    headers.setdefault("Last-Modified", http_date())
    return {"status": response.status_code, "headers": headers, "body": body, "etag": etag}


def _respond(request: HttpRequest, entry: dict) -> HttpResponse:
    if entry["status"] == 200 and _not_modified(request, entry):
        response = HttpResponse(status=304)
        response["ETag"] = entry["etag"]
        for name in ("Last-Modified", "Cache-Control", "Vary"):
            if name in entry["headers"]:
                response[name] = entry["headers"][name]
        return response
    body = entry["body"]
    if CSRF_MARKER in body:
        body = body.replace(CSRF_MARKER, get_token(request).encode())
    response = HttpResponse(body, status=entry["status"])
    for name, value in entry["headers"].items():
        response[name] = value
    response["ETag"] = entry["etag"]
    return response


def _not_modified(request: HttpRequest, entry: dict) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [tag.strip() for tag in if_none_match.split(",")]
        return entry["etag"] in tags or "*" in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    modified = parse_http_date_safe(entry["headers"].get("Last-Modified", ""))
    return since is not None and modified is not None and modified <= since
