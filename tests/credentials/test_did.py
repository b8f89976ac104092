"""did:web issuers: identifiers, key files outside the database, rotation, the DID document."""

import stat

import pytest

from cqphub.credentials import did, signing
from tests.credentials.conftest import make_credential


@pytest.mark.parametrize(
    ("host", "slug", "expected", "url"),
    [
        ("cqphub.fr", "platform", "did:web:cqphub.fr", "https://cqphub.fr/.well-known/did.json"),
        (
            "localhost:8000",
            "platform",
            "did:web:localhost%3A8000",
            "https://localhost:8000/.well-known/did.json",
        ),
        (
            "cqphub.fr",
            "boulangerie",
            "did:web:cqphub.fr:attestations:issuers:boulangerie",
            "https://cqphub.fr/attestations/issuers/boulangerie/did.json",
        ),
    ],
)
def test_did_web_identifiers_and_document_urls(host, slug, expected, url):
    assert did.did_for(host, slug) == expected
    assert did.did_document_url(expected) == url


def test_key_files_are_private_and_hold_both_keys(key_store):
    key = key_store.active_key()
    path = key_store.directory / "platform" / f"{key.key_id}.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert key.public_multikey.startswith("z6Mk")
    assert "BEGIN CERTIFICATE" in key.pdf_certificate_pem and "PRIVATE KEY" in key.pdf_key_pem


def test_rotation_keeps_the_old_key_in_the_did_document_and_its_credentials_valid(key_store, tmp_path):
    first = key_store.active_key()
    signed_before = signing.sign(make_credential(key_store.issuer()), first.signing_key())
    second = key_store.rotate(name="CPNE")
    assert key_store.active_key() == second and second.key_id != first.key_id
    keys = key_store.keys()
    assert [k.key_id for k in keys] == [first.key_id, second.key_id]
    assert keys[0].retired is not None and keys[1].retired is None
    document = key_store.did_document()
    assert document["id"] == key_store.issuer()
    assert document["assertionMethod"] == [first.verification_method, second.verification_method]
    resolve = did.resolver_from_document(document)
    assert signing.verify(signed_before, resolve).verified
    signed_after = signing.sign(make_credential(key_store.issuer()), key_store.active_key().signing_key())
    assert signing.verify(signed_after, resolve).verified
    # a key removed from the store (compromise) no longer verifies anything
    (key_store.directory / "platform" / f"{first.key_id}.json").unlink()
    assert not signing.verify(signed_before, did.resolver_from_document(key_store.did_document())).verified


def test_a_branch_has_its_own_issuer_and_keys(key_store):
    branch = key_store.create("boulangerie", name="CPNE Boulangerie")
    assert branch.issuer == key_store.issuer("boulangerie") != key_store.issuer()
    assert key_store.slugs() == ["boulangerie", "platform"]
    signed = signing.sign(make_credential(branch.issuer), branch.signing_key())
    assert signing.verify(signed, key_store.resolve).verified
    platform_only = did.resolver_from_document(key_store.did_document())
    assert not signing.verify(signed, platform_only).verified


@pytest.mark.parametrize("slug", ["../etc", "Platform", "", "a/b"])
def test_unsafe_issuer_names_are_refused(key_store, slug):
    with pytest.raises(ValueError):
        key_store.create(slug)
