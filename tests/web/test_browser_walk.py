"""Every page, as anonymous and as each demo role, in Chromium at 390 px and 1280 px.

1. For each role, the test client crawls the site (`tests/web/crawl.py`): the URLconf's argument-free
   routes, then every same-site link the pages show. Each page answers 200 with a <title>; a link that
   leads to an error is reported with the page that shows it.
2. Chromium then opens, for each role, every route (one URL per route name) not yet opened by a role
   before it, plus the role's own dashboard, at both widths: no horizontal overflow, no console error, no
   serious or critical axe violation, a non-empty <title>. A screenshot of each goes to
   var/screenshots/<role>/<width>/ (git-ignored) so anyone can look at the pages after `make test`.

All problems are collected and reported together.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.conftest import ROOT
from tests.web.crawl import crawl, routes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)
SCREENSHOTS = ROOT / "var" / "screenshots"
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > width + 1 && getComputedStyle(el).position !== 'fixed'
      && !el.closest('.table-responsive, .cq-tabs, pre, .visually-hidden, .skip-link');
  }).slice(0, 3).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''));
  return {scroll: document.documentElement.scrollWidth, width, wide};
}"""


@pytest.fixture
def demo_site(transactional_db, settings):
    from cqphub.web.demo_data import load_demo
    from tests.orgs.permission_matrix import ROLE_EMAILS, load_demo_world

    settings.AXES_ENABLED = False
    load_demo()
    load_demo_world()
    yield ROLE_EMAILS
    _empty_append_only_tables()


def _empty_append_only_tables():
    """The demo writes jury decisions, whose table refuses DELETE (a trigger): the flush that ends a
    transactional test would fail. Empty the database with the triggers suspended, as juries allows."""
    from django.core.management import call_command
    from django.db import connection

    try:
        from cqphub.juries import append_only
    except ImportError:
        return
    with append_only.suspended(connection):
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)


def slug(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-")[:90] or "home"


def check_in_browser(page, axe, url: str, width: int, shot: Path) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    page.wait_for_load_state("load")
    problems = []
    if not page.title().strip():
        problems.append("no <title>")
    overflow = page.evaluate(OVERFLOW)
    if overflow["scroll"] > overflow["width"]:
        problems.append(
            f"horizontal overflow {overflow['scroll']} px > {overflow['width']} px: {overflow['wide']}"
        )
    results = axe.run(page)
    for violation in results.response["violations"]:
        if violation.get("impact") in {"serious", "critical"}:
            targets = [n["target"] for n in violation["nodes"]][:3]
            problems.append(f"axe {violation['id']} ({violation['impact']}): {targets}")
    if errors:
        problems.append(f"console errors: {errors[:3]}")
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    return problems


def test_every_page_for_every_role_at_both_widths(live_server, browser, axe, demo_site):
    from cqphub.orgs.models import User

    seeds = [path for path, _name in routes()] + ["/", "/espace/"]
    covered: set[str] = set()
    problems: list[str] = []
    visited = 0
    for role in ("anonymous", *demo_site):
        client = Client()
        if role != "anonymous":
            client.force_login(User.objects.get(email=demo_site[role]))
        result = crawl(client, seeds)
        problems += [f"[{role}] {p}" for p in result.problems]
        chosen = []
        for found in result.pages:
            if found.status != 200:
                continue
            if found.route not in covered or found.route == "orgs:dashboard":
                covered.add(found.route)
                chosen.append(found.url)
        context = browser.new_context(locale="fr-FR")
        if role != "anonymous":
            context.add_cookies(
                [
                    {
                        "name": django_settings.SESSION_COOKIE_NAME,
                        "value": client.cookies["sessionid"].value,
                        "url": live_server.url,
                    }
                ]
            )
        for url in chosen:
            for width in WIDTHS:
                page = context.new_page()
                page.set_default_timeout(15_000)
                shot = SCREENSHOTS / role / str(width) / f"{slug(url)}.png"
                for problem in check_in_browser(page, axe, live_server.url + url, width, shot):
                    problems.append(f"[{role} {width}px] {url}: {problem}")
                page.close()
                visited += 1
        context.close()
    print(f"\n{visited} page views checked in Chromium, {len(covered)} routes; screenshots in {SCREENSHOTS}")
    assert visited > 40
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
