"""Fixtures of the journeys tests: the demo world (registry fiches, organisations, the RNCP-registered
demo CQP and the branch-only demo CQPI, habilitations), tasks run at once, e-mails kept in memory.

The demo world is built once per test module inside a transaction rolled back at the module's end;
each test runs in a savepoint of it (pytest-django's `db`), so tests stay independent."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import transaction
from django.test.utils import override_settings


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    from django.utils import translation

    translation.activate("fr")  # a request in English earlier in the run leaves its language active
    yield
    translation.activate("fr")


def build_world():
    from cqphub.qualifications.demo import load_demo_qualifications
    from cqphub.registry.importer import import_paths
    from cqphub.web.demo_data import import_demo_registry
    from tests.journeys.helpers import enrich
    from tests.orgs.permission_matrix import load_demo_world

    import_demo_registry(import_paths)  # the demo fiches, dated, as the platform's own
    world = load_demo_world()
    load_demo_qualifications()
    return enrich(world)


@contextmanager
def _rolled_back_for_the_module(django_db_blocker):
    """A module's shared data: written once with the fast hasher, rolled back after its last test."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    with _rolled_back_for_the_module(django_db_blocker):
        yield build_world()


@pytest.fixture
def world(_module_world, db):
    return _module_world


@pytest.fixture(scope="module")
def _module_scene(django_db_setup, django_db_blocker):
    from tests.factories.journeys import CqpScene

    with _rolled_back_for_the_module(django_db_blocker):
        yield CqpScene().build_all()


@pytest.fixture
def scene(_module_scene, db):
    """The factories' setting (tests/factories/journeys.py: a registered CQP, its centres with dated
    habilitations, staff in every role), built once per module like the demo world, smaller and
    without the demo's content; each test runs in a savepoint of it."""
    return _module_scene
