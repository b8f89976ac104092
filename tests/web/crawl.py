"""Find every page a visitor can reach: the argument-free routes of the URLconf, then the links they show.

Used by the browser walk (`test_browser_walk.py`). Nothing here is a list of pages: a page another app adds
later is visited as soon as its route has no argument or a visited page links to it.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

SKIP_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/i18n/")
SKIP_NAMES = {"logout"}
SKIP_QUERY = re.compile(r"(^|&)(format|export|download)=")
# Links to pages another part of the project is building: tolerated while no route serves them, checked
# like any page as soon as one does.
PENDING = {"/attestations/verifier/"}
MAX_PER_PATH = 2  # query-string variants of one path (search pages have many)
MAX_PER_ROUTE = 4  # pages of one route (one per framework row would be hundreds of alike pages)


def routes(resolver=None, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    """(path, "namespace:name") of every URL pattern that takes no argument."""
    out = []
    for pattern in (resolver or get_resolver()).url_patterns:
        raw = str(pattern.pattern)
        if "<" in raw or raw.startswith("^") and any(ch in raw for ch in "([?*+"):
            continue
        path = prefix + raw.lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            ns = ":".join(p for p in (namespace, pattern.namespace or "") if p)
            out += routes(pattern, path, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            out.append(("/" + path, f"{namespace}:{pattern.name}" if namespace else pattern.name))
    return out


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href") and "download" not in attrs:
            self.links.append(attrs["href"])
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


@dataclass
class Page:
    url: str
    status: int
    route: str
    title: str = ""
    found_on: str = ""


@dataclass
class Crawl:
    pages: list[Page] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def route_name(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return ""
    return match.view_name


def crawl(client, start: list[str], limit: int = 400) -> Crawl:
    """Breadth-first over same-site GET links from `start`; HTML pages only, actions (POST) never followed."""
    result = Crawl()
    queue = deque((url, "") for url in start)
    seen: set[str] = set()
    per_path: dict[str, int] = {}
    per_route: dict[str, int] = {}
    while queue and len(result.pages) < limit:
        url, found_on = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        parts = urlsplit(url)
        if parts.path.startswith(SKIP_PREFIXES) or SKIP_QUERY.search(parts.query):
            continue
        route = route_name(parts.path)
        if route.rsplit(":", 1)[-1] in SKIP_NAMES:
            continue
        per_path[parts.path] = per_path.get(parts.path, 0) + 1
        per_route[route] = per_route.get(route, 0) + 1
        if per_path[parts.path] > MAX_PER_PATH or (route and per_route[route] > MAX_PER_ROUTE):
            continue
        response = client.get(url)
        if response.status_code in (301, 302):
            continue  # a login redirect or a canonical redirect: its target is reached on its own
        content_type = response.get("Content-Type", "")
        if not content_type.startswith("text/html"):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        page = Page(url, response.status_code, route, parser.title.strip(), found_on)
        result.pages.append(page)
        if response.status_code != 200:
            if parts.path in PENDING and not route:
                continue
            if found_on:  # a link shown to this user leads nowhere
                result.problems.append(f"{url}: {response.status_code} (linked from {found_on})")
            continue
        if not page.title:
            result.problems.append(f"{url}: no <title>")
        for href in parser.links:
            target, _fragment = urldefrag(urljoin(url, href))
            target_parts = urlsplit(target)
            if target_parts.scheme not in ("", "http") or target_parts.netloc not in ("", "testserver"):
                continue
            local = target_parts.path + (f"?{target_parts.query}" if target_parts.query else "")
            if local not in seen:
                queue.append((local, url))
    return result
