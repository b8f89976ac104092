"""Public answers served from the cache: fixed query counts, conditional GET, per-visitor parts, and
nothing stale after an import (cqphub/web/public_cache.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from cqphub.registry.search.index import current_version

DEMO_EXPORT = (
    Path(__file__).resolve().parents[2] / "cqphub" / "web" / "demo" / "export-fiches-rncp-v4-1-demo.xml"
)
OLD_TITLE = "CQP Boulanger-tourier (démo)"
NEW_TITLE = "CQP Boulanger-tourier rénové (démo)"


def _import(tmp_path: Path, day: str, title: str = OLD_TITLE) -> None:
    """Import the demo export (as if published on `day`), with the first fiche's title set to `title`."""
    path = tmp_path / f"export-fiches-rncp-v4-1-{day}.xml"
    path.write_text(DEMO_EXPORT.read_text(encoding="utf-8").replace(OLD_TITLE, title), encoding="utf-8")
    call_command("registry", "import", str(path), "--no-progress")


@pytest.fixture
def registry(db, tmp_path):
    _import(tmp_path, "2026-11-01")
    return tmp_path


def _without_csrf(content: bytes) -> bytes:
    """The body less its CSRF tokens, which are masked anew for every response."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[A-Za-z0-9]+"', b"", content)


PUBLIC_GETS = [
    "/",
    "/registre/",
    "/registre/?q=boulanger",
    "/registre/RNCP99001/",
    "/api/v1/certifications/RNCP99001",
    "/api/v1/certifications?q=boulanger",
    "/api/v1/certifications/RNCP99001/blocks",
]


@pytest.mark.parametrize("url", PUBLIC_GETS)
def test_a_cached_public_answer_costs_one_query(registry, client, url, django_assert_num_queries):
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(1):  # the registry version, read on every request
        again = client.get(url)
    assert again.status_code == 200
    assert _without_csrf(again.content) == _without_csrf(first.content)
    assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize("url", ["/", "/registre/RNCP99001/", "/api/v1/certifications/RNCP99001"])
def test_conditional_get_is_answered_without_rendering(registry, client, url, django_assert_num_queries):
    etag = client.get(url)["ETag"]
    with django_assert_num_queries(1):
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_each_language_has_its_own_page(registry, client):
    french = client.get("/registre/RNCP99001/", HTTP_ACCEPT_LANGUAGE="fr")
    english = client.get("/registre/RNCP99001/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="fr"' in french.content.decode()
    assert 'lang="en"' in english.content.decode()


def test_a_signed_in_person_gets_their_own_page(registry, client, django_user_model):
    client.get("/")  # an anonymous visit fills the cache
    user = django_user_model.objects.create_user(email="staff@example.org", password="x" * 16)
    client.force_login(user)
    html = client.get("/").content.decode()
    assert reverse("orgs:logout") in html  # the signed-in header, not the cached anonymous one


def test_each_visitor_gets_their_own_csrf_token_and_it_works(registry):
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        html = visitor.get("/registre/RNCP99001/").content.decode()
        match = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', html)
        if match is None:  # the page holds no form: nothing per visitor to fill in
            pytest.skip("the certification page has no CSRF-protected form")
        tokens.append(match.group(1))
        switched = visitor.post(
            reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": match.group(1)}
        )
        assert switched.status_code == 302  # the token filled in for this visitor passes the CSRF check
    assert tokens[0] != tokens[1]
    assert "@@cqphub-csrf@@" not in html


def test_a_new_import_is_seen_at_once(registry, client):
    before_version = current_version()
    assert OLD_TITLE in client.get("/registre/RNCP99001/").content.decode()
    assert client.get("/api/v1/certifications/RNCP99001").json()["title"] == OLD_TITLE
    _import(registry, "2026-11-02", title=NEW_TITLE)
    assert current_version() != before_version
    assert NEW_TITLE in client.get("/registre/RNCP99001/").content.decode()
    assert client.get("/api/v1/certifications/RNCP99001").json()["title"] == NEW_TITLE
    assert "rénové" in client.get("/registre/?q=boulanger").content.decode()  # title shown highlighted


def test_after_an_import_the_home_page_renders_with_one_query(registry, client, django_assert_num_queries):
    """Its counts were stored with the new version by the import: no visitor computes them."""
    from cqphub.registry.models import Certification, ImportRun
    from cqphub.registry.search import index

    _import(registry, "2026-11-02", title=NEW_TITLE)  # a changed fiche: a new version
    index._summary = None  # as in a worker that has not seen this version yet
    with django_assert_num_queries(1):  # the version, which brings the summary along
        html = client.get("/").content.decode()
    total = Certification.objects.filter(withdrawn_at__isnull=True).count()
    assert f"{total} fiches importées" in html
    last = ImportRun.objects.filter(status="done").latest("finished_at")
    assert last.finished_at.date() == index.stored_summary()["last_import"].date()

    _import(registry, "2026-11-03", title=NEW_TITLE)  # nothing changes: same version, summary refreshed
    assert ImportRun.objects.filter(status="done").count() == 3
    assert index.stored_summary()["last_import"] == ImportRun.objects.latest("finished_at").finished_at


def test_orientation_answers_are_cached_by_their_question(registry, client, django_assert_num_queries):
    def ask(status):
        body = {"certification": "RNCP99001", "person": {"status": status}, "on": "2026-06-01"}
        return client.post(reverse("api:orientation"), json.dumps(body), content_type="application/json")

    employee = ask("employee")
    assert employee.status_code == 200
    with django_assert_num_queries(1):
        assert ask("employee").json() == employee.json()
    assert ask("job_seeker").json() != employee.json()


def test_pages_outside_the_list_are_never_cached(registry, client):
    cache.clear()
    assert client.get("/registre/imports/").status_code == 200
    assert client.get("/a-propos/").status_code in (200, 404)
    assert len(cache._cache) == 0  # local memory cache: nothing stored


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/3",
        }
    }
)
def test_a_shared_redis_cache_serves_every_process(registry, client):
    from django.core.cache import caches

    try:
        caches["default"].set("ping", "pong", 5)
    except Exception as exc:  # noqa: BLE001 - any connection error means no Redis here
        pytest.skip(f"Redis not reachable on 127.0.0.1:6379: {exc}")
    caches["default"].clear()
    first = client.get("/registre/RNCP99001/")
    keys = caches["default"]._cache.get_client().keys("*public:*")
    assert keys, "the page was stored in Redis"
    assert _without_csrf(Client().get("/registre/RNCP99001/").content) == _without_csrf(first.content)
    caches["default"].clear()
