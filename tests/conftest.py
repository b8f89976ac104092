"""Shared test fixtures: where the real public data lives, and headless Chromium for browser tests.

`../shared` (real France compétences exports, reference tables) is read in place, never copied.
Tests that need it skip with a clear reason when it is absent; with CQPHUB_REQUIRE_ALL=1 (set by
`.ci/run`) a missing `../shared` or Chromium fails the run instead of skipping.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CQPHUB_SHARED", ROOT.parent / "shared"))
SHARED_DATA = SHARED / "data"
CHROMIUM = os.environ.get("CQPHUB_CHROMIUM", "/usr/bin/chromium")
REQUIRE_ALL = os.environ.get("CQPHUB_REQUIRE_ALL") == "1"

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside the live server


def _missing(reason: str):
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (CQPHUB_REQUIRE_ALL=1: this run must not skip it)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached public pages must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _search_snapshot_inline(settings):
    """A test searches its own import at once: the search snapshot is rebuilt before answering
    (production rebuilds it in a thread meanwhile; tests/registry/test_search_snapshot.py covers that)."""
    settings.SEARCH_SNAPSHOT_IN_BACKGROUND = False


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real public data folder (`../shared/data`)."""
    if not SHARED_DATA.is_dir():
        _missing(f"real public data not found at {SHARED_DATA} (set CQPHUB_SHARED or clone beside ../shared)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def rncp_xml_fixture(shared_data) -> Path:
    return shared_data / "rncp" / "fc_xml_v4.1_fixture" / "export_fiches_RNCP_fixture.xml"


@pytest.fixture(scope="session")
def rncp_csv_sample(shared_data) -> Path:
    return shared_data / "rncp" / "fc_csv_export_2024-02-22_sample"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _missing(f"Chromium not found at {CHROMIUM}: browser tests skipped (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait for the page to reach a state; CI runs on a loaded machine, so give them time.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _axe_after_load(axe, page, attempts: int = 3):
    """Run axe once the page has loaded.

    A click on a link returns before the browser has swapped documents; axe run in
    between meets a page with no document ("reading 'documentElement'") or an
    execution context destroyed by the navigation. Wait for the load and try again.
    """
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(attempts):
        page.wait_for_load_state("load")
        try:
            return axe.run(page)
        except PlaywrightError as error:
            navigating = "documentElement" in str(error) or "context was destroyed" in str(error)
            if not navigating or attempt == attempts - 1:
                raise
            page.wait_for_timeout(100)


def assert_accessible(axe, page) -> None:
    """No serious or critical axe-core violation on the current page."""
    results = _axe_after_load(axe, page)
    bad = [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in bad
    )
    assert not bad, f"accessibility violations on {page.url}:\n{details}"


@pytest.fixture
def accessible(axe):
    """Call `accessible(page)` to assert the page has no serious or critical violation."""
    return lambda page: assert_accessible(axe, page)
