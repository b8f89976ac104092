"""Fixtures of the credentials tests: a sample achievement, a key store in a temporary folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cqphub.credentials import did, openbadges, status_list
from tests.credentials.chain_fixtures import _credentials_settings, _keys, president  # noqa: F401
from tests.journeys.conftest import _fast_settings, _module_scene, _module_world, scene, world  # noqa: F401

DATA = Path(__file__).parent / "data"
HOST = "attestations.example.fr"
LIST_URL = f"https://{HOST}/attestations/statuts/platform/1"

ACHIEVEMENT = openbadges.AchievementInfo(
    id=f"https://{HOST}/qualifications/cqp-tourier/versions/2",
    name="Tourier",
    description="Le tourier prépare les pâtes feuilletées, brisées et levées, et les garnitures.",
    criteria="Validation par le jury paritaire des trois blocs de compétences.",
    kind="CQP",
    fiche_code="RNCP37488",
    level=3,
    nsf="221 - Agro-alimentaire, alimentation, cuisine",
    rome=(
        ("D1102", "Boulangerie - viennoiserie"),
        ("D1104", "Pâtisserie, confiserie, chocolaterie et glacerie"),
    ),
    creators=("CPNE de la boulangerie artisanale",),
    blocks=(
        openbadges.BlockInfo("BC01", "Préparer les pâtes"),
        openbadges.BlockInfo("BC02", "Façonner et garnir"),
        openbadges.BlockInfo("BC03", "Cuire et présenter"),
    ),
)


@pytest.fixture
def key_store(tmp_path) -> did.KeyStore:
    store = did.KeyStore(tmp_path / "keys", HOST)
    store.create(name="CPNE de la boulangerie artisanale")
    return store


@pytest.fixture(scope="session")
def vectors() -> dict:
    return json.loads((DATA / "eddsa_rdfc_2022_vectors.json").read_text(encoding="utf-8"))


def make_credential(issuer_did: str, *, index: int = 7, name: str = "Jeanne Martin", blocks=("BC01", "BC02", "BC03"),
                    email: str = "jeanne.martin@example.org", holder_did: str = "", attestation: bool = False,
                    credential_id: str = "urn:uuid:3f1d2c9a-8b7e-4c5d-9a1b-2c3d4e5f6a7b") -> dict:  # fmt: skip
    return openbadges.build_credential(
        credential_id=credential_id,
        issuer=openbadges.Issuer(
            did=issuer_did,
            name="CPNE de la boulangerie artisanale",
            url=f"https://{HOST}/",
            siret="77567227200017",
        ),  # fmt: skip
        achievement=ACHIEVEMENT,
        holder=openbadges.Holder(name=name, email=email, did=holder_did),
        validated_blocks=list(blocks),
        valid_from="2026-06-15T00:00:00Z",
        status=status_list.StatusEntry(LIST_URL, index),
        salt="c2VsLWRlLXRlc3Q",
        attestation=attestation,
    )
