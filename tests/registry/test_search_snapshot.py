"""The search snapshot after an import: the old one answers while a thread builds the new one, then the
new one does; no answer from the old one is kept under the new index version (public cache, API ETag).

Committed data (`transaction=True`): the thread reads on its own connection, as in a gunicorn worker.
"""

from __future__ import annotations

import threading

import pytest
from django.db import transaction

from cqphub.registry.models import Certification
from cqphub.registry.search import index, search_certifications, update_index
from tests.factories.registry import make_certification

pytestmark = pytest.mark.django_db(transaction=True)

OLD_TITLE = "CQP Boulanger de quartier"
NEW_TITLE = "CQP Tonnelier de chai"


class HeldBuild:
    """Snapshot builds wait for `release()` once `hold()` is called (the first, inline load does not)."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.started = threading.Event()
        self.released = threading.Event()
        self.fail = False

    def hold(self) -> None:
        real = index._load

        def load(version):
            self.started.set()
            assert self.released.wait(20), "the test never released the build"
            if self.fail:
                raise RuntimeError("database gone")
            return real(version)

        self.monkeypatch.setattr(index, "_load", load)

    def release(self) -> None:
        self.released.set()
        assert index.wait_for_reload(20)


@pytest.fixture
def build(monkeypatch, settings):
    settings.SEARCH_SNAPSHOT_IN_BACKGROUND = True  # as in production (tests/conftest.py turns it off)
    index.clear_index()  # a flush between transactional tests leaves the index tables as they were
    index.forget_snapshot()
    held = HeldBuild(monkeypatch)
    yield held
    held.released.set()
    index.wait_for_reload(20)
    index.clear_index()
    index.forget_snapshot()


@pytest.fixture
def fiche():
    cert = make_certification("RNCP99001", OLD_TITLE, active=True)
    update_index([cert.pk])
    return cert


def _retitle(cert, title: str) -> None:
    """What an import does to the index: the rows change and a new version is stamped, committed."""
    Certification.objects.filter(pk=cert.pk).update(title=title)
    update_index([cert.pk])


def _titles(query: str = "") -> list[str]:
    return [hit.title for hit in search_certifications(query).hits]


def test_the_old_snapshot_answers_while_the_new_one_is_built_then_the_new_one(build, fiche):
    assert _titles() == [OLD_TITLE]  # no snapshot yet: loaded before answering
    old = index.snapshot()
    _retitle(fiche, NEW_TITLE)
    build.hold()
    with index.noting_older_answers() as searches:
        assert _titles() == [OLD_TITLE]  # answered at once, the build still held
        assert search_certifications("RNCP99001").hits[0].title == OLD_TITLE
    assert searches.older
    assert build.started.wait(5)  # the build runs in the background meanwhile
    build.release()
    with index.noting_older_answers() as searches:
        assert _titles() == [NEW_TITLE]
        assert _titles("tonnelier") == [NEW_TITLE]
    assert not searches.older
    assert index.snapshot() is not old and index.snapshot().version == index.current_version()


def test_no_answer_from_the_old_snapshot_is_cached_under_the_new_version(build, fiche, client):
    page, api = "/registre/", "/api/v1/certifications"
    assert OLD_TITLE in client.get(page).content.decode()
    assert client.get(api).json()["results"][0]["title"] == OLD_TITLE
    _retitle(fiche, NEW_TITLE)
    build.hold()
    during_page, during_api = client.get(page), client.get(api)
    assert during_page.status_code == 200 and OLD_TITLE in during_page.content.decode()
    assert during_api.json()["results"][0]["title"] == OLD_TITLE
    # the API labels nothing with the new version's validator, and asks caches to keep nothing
    assert "ETag" not in during_api and during_api["Cache-Control"] == "no-store"
    build.release()
    after_page, after_api = client.get(page), client.get(api)
    assert NEW_TITLE in after_page.content.decode() and OLD_TITLE not in after_page.content.decode()
    assert after_api.json()["results"][0]["title"] == NEW_TITLE and after_api.has_header("ETag")
    assert NEW_TITLE in client.get(page).content.decode()  # and the cached copy is the new one


def test_a_failed_build_leaves_the_old_snapshot_answering_and_is_tried_again(build, fiche):
    assert _titles() == [OLD_TITLE]
    _retitle(fiche, NEW_TITLE)
    build.fail = True
    build.hold()
    assert _titles() == [OLD_TITLE]
    build.release()  # the build raised: logged, the old snapshot kept
    assert _titles() == [OLD_TITLE]
    assert index._reloading is None  # cooling down: no new build before RETRY_SECONDS
    build.fail = False
    index._retry_at = 0.0
    assert _titles() == [OLD_TITLE]  # starts the build again, still answering from the old one
    assert index.wait_for_reload(20)
    assert _titles() == [NEW_TITLE]


def test_inside_a_transaction_the_new_snapshot_is_built_before_answering(build, fiche):
    """The transaction's own index writes are invisible to another connection: no thread then."""
    assert _titles() == [OLD_TITLE]
    with transaction.atomic():
        _retitle(fiche, NEW_TITLE)
        assert _titles() == [NEW_TITLE]
        assert index._reloading is None
