import pytest

from tests.orgs.permission_matrix import load_demo_world


@pytest.fixture(autouse=True)
def _fast_hashing_and_no_lockout(settings):
    """Fast password hashing; django-axes off (one test turns it back on to prove the lockout)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False


@pytest.fixture
def demo(db):
    """The demo organisations and one account per role (`cqphub.orgs.demo`)."""
    return load_demo_world()
