"""Fixtures shared by the credentials tests that need awards: the demo world of the journeys tests,
a jury session closed through the real juries services, issuer keys in a temporary folder."""

from __future__ import annotations

import pytest

from cqphub.credentials import issuer
from tests.juries.chain import PRESIDENT_PASSWORD, presiding_member

PASSWORD = PRESIDENT_PASSWORD
PUBLIC = "https://attestations.example.fr"


@pytest.fixture(scope="session")
def _keys(tmp_path_factory):
    """One key store for the session (RSA-3072 generation is slow)."""
    from cqphub.credentials.did import KeyStore

    directory = tmp_path_factory.mktemp("keys")
    KeyStore(directory, "attestations.example.fr").create(name="CPNE démo")
    return directory


@pytest.fixture(autouse=True)
def _credentials_settings(settings, _keys):
    settings.CREDENTIALS_KEY_DIR = _keys
    settings.CQPHUB_PUBLIC_URL = PUBLIC
    from cqphub.credentials import services

    services._templates.clear()
    services._signers.clear()


@pytest.fixture
def president(world):
    return presiding_member(world)


def close_session(world, president, capture, failing=((), ("BC01",), ("BC01", "BC02", "BC03"))):
    """A jury session closed through the juries services: full, partial and no award by default."""
    from tests.juries.chain import closed_session

    return closed_session(world, president, capture, password=PASSWORD, failing=failing)


def resolver():
    return issuer.key_store().resolve
