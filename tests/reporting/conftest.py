import pytest


@pytest.fixture(autouse=True)
def _fast_hashing_and_no_lockout(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False


@pytest.fixture
def demo_world(db, shared_data, settings):
    """The demo registry, organisations, qualifications and the reporting demo (holders, one rejected,
    one overdue), with the CDC schema configured."""
    from cqphub.qualifications.demo import load_demo_qualifications
    from cqphub.registry.importer import import_paths
    from cqphub.reporting.demo import load_demo_reporting
    from cqphub.web.demo_data import import_demo_registry
    from tests.orgs.permission_matrix import load_demo_world

    settings.CQPHUB_CDC_XSD = str(
        shared_data / "cdc_accrochage" / "cpf_accrochage_pc5_schema_1.0.0_v1.1.2_pix.xsd"
    )
    import_demo_registry(import_paths)  # the demo fiches, dated, as the platform's own
    world = load_demo_world()
    load_demo_qualifications()
    load_demo_reporting()
    return world
