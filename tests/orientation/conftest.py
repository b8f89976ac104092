"""Registry and reference rows for the orientation tests."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories.registry import make_certification as _make


def make_certification(*args, **kwargs):
    """A registry row, indexed for the registry's full-text search like an import would."""
    from cqphub.registry.search import update_index

    cert = _make(*args, **kwargs)
    update_index([cert.id])
    return cert


@pytest.fixture
def reference_rows(db):
    from cqphub.reference.models import CollectiveAgreement, Opco, OpcoAttachment

    atlas = Opco.objects.create(name="Opérateur de compétences Atlas", short_name="Atlas")
    akto = Opco.objects.create(name="Opérateur de compétences Akto", short_name="Akto")
    syntec = CollectiveAgreement.objects.create(idcc="1486", title="Bureaux d'études techniques (Syntec)")
    hcr = CollectiveAgreement.objects.create(idcc="1979", title="Hôtels, cafés, restaurants (HCR)")
    OpcoAttachment.objects.create(agreement=syntec, opco=atlas)
    OpcoAttachment.objects.create(agreement=hcr, opco=akto)
    return {"atlas": atlas, "akto": akto}


@pytest.fixture
def cqp(db):
    """An RNCP-registered CQP of the HCR branch, VAE open, level 3."""
    return make_certification(
        "RNCP34567",
        "CQP Commis de cuisine",
        abbreviation_code="CQP",
        level=3,
        effect_date=date(2021, 3, 1),
        end_date=date(2027, 3, 1),
        route_vae=True,
        route_continuing=True,
        route_professionalisation=True,
        partial_validation=True,
        idcc=[("1979", "Hôtels, cafés, restaurants")],
    )


@pytest.fixture
def rs_cqp(db):
    return make_certification(
        "RS5555",
        "CQP Barista",
        abbreviation_code="CQP",
        effect_date=date(2022, 1, 1),
        end_date=date(2027, 1, 1),
        idcc=[("1979", "HCR")],
    )


@pytest.fixture
def expired_cqp(db):
    return make_certification(
        "RNCP20001",
        "CQP Serveur en restauration",
        abbreviation_code="CQP",
        level=3,
        effect_date=date(2018, 1, 1),
        end_date=date(2023, 1, 1),
        active=False,
        route_vae=True,
    )


@pytest.fixture
def diploma(db):
    return make_certification(
        "RNCP40000",
        "BTS Management en hôtellerie-restauration",
        abbreviation_code="BTS",
        level=5,
        effect_date=date(2022, 9, 1),
        end_date=date(2028, 8, 31),
        route_vae=True,
    )
