import pytest


@pytest.fixture(autouse=True)
def _fast_hashing_and_no_lockout(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False


@pytest.fixture
def world(db):
    """The demo registry fiches, organisations, accounts and qualifications."""
    from cqphub.qualifications.demo import load_demo_qualifications
    from cqphub.registry.importer import import_paths
    from cqphub.web.demo_data import import_demo_registry
    from tests.orgs.permission_matrix import load_demo_world

    import_demo_registry(import_paths)
    world = load_demo_world()
    load_demo_qualifications()
    return world
