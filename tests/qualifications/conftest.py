import pytest


@pytest.fixture(autouse=True)
def _fast_hashing_and_no_lockout(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False


@pytest.fixture
def world(db):
    """The demo organisations, accounts and qualifications."""
    from cqphub.qualifications.demo import load_demo_qualifications
    from tests.orgs.permission_matrix import load_demo_world

    world = load_demo_world()
    load_demo_qualifications()
    return world
