"""eddsa-rdfc-2022: the specification's test vectors, round trips, tampering, keys."""

import copy
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cqphub.credentials import canon, contexts, signing
from tests.credentials.conftest import make_credential


@pytest.fixture
def vector_context(vectors):
    contexts.register_extra(vectors["examplesContext"]["url"], vectors["examplesContext"]["document"])


def test_vector_key_pair_decodes(vectors):
    private = signing.private_key_from_multikey(vectors["keyPair"]["privateKeyMultibase"])
    assert signing.public_multikey(private.public_key()) == vectors["keyPair"]["publicKeyMultibase"]
    assert signing.secret_multikey(private) == vectors["keyPair"]["privateKeyMultibase"]


def test_vector_canonical_forms_and_hash(vectors, vector_context):
    signed = vectors["signed"]
    document = signing.strip_proof(signed)
    config = signing.proof_configuration(document, signed["proof"])
    assert canon.canonical_nquads(document) == vectors["canonicalDocument"]
    assert canon.canonical_nquads(config) == vectors["canonicalProofConfig"]
    combined = canon.canonical_hash(config) + canon.canonical_hash(document)
    assert combined.hex() == vectors["combinedHashHex"]


def test_vector_signature_is_reproduced_by_our_signer(vectors, vector_context):
    signed = vectors["signed"]
    key = signing.SigningKey(
        signed["proof"]["verificationMethod"],
        signing.private_key_from_multikey(vectors["keyPair"]["privateKeyMultibase"]),
    )
    ours = signing.sign(signing.strip_proof(signed), key, created=signed["proof"]["created"])
    assert ours == signed
    assert signing.multibase_decode(ours["proof"]["proofValue"]).hex() == vectors["signatureHex"]


def test_vector_verifies_in_our_verifier_and_fails_once_changed(vectors, vector_context):
    signed = copy.deepcopy(vectors["signed"])
    assert signing.verify(signed).verified
    signed["credentialSubject"]["alumniOf"] = "The School of Counterfeits"
    result = signing.verify(signed)
    assert not result.verified and result.reason == "bad-signature"


def test_round_trip_with_our_did_web_key(key_store):
    key = key_store.active_key()
    signed = signing.sign(make_credential(key_store.issuer()), key.signing_key())
    assert signed["proof"]["verificationMethod"] == key.verification_method
    assert signing.verify(signed, key_store.resolve).verified


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c["credentialSubject"]["identifier"][0].__setitem__("identityHash", "Jeanne Martine"),
        lambda c: c["credentialSubject"]["result"].pop(),
        lambda c: c.__setitem__("validFrom", "2026-06-14T00:00:00Z"),
        lambda c: c["credentialStatus"].__setitem__("statusListIndex", "8"),
        lambda c: c["proof"].__setitem__("created", "2020-01-01T00:00:00Z"),
        lambda c: c["credentialSubject"]["achievement"].__setitem__("humanCode", "RNCP99999"),
    ],
)
def test_any_change_breaks_the_signature(key_store, change):
    signed = signing.sign(make_credential(key_store.issuer()), key_store.active_key().signing_key())
    changed = copy.deepcopy(signed)
    change(changed)
    assert signing.verify(signed, key_store.resolve).verified
    assert signing.verify(changed, key_store.resolve).reason == "bad-signature"


def test_an_unknown_key_or_another_key_is_refused(key_store):
    signed = signing.sign(make_credential(key_store.issuer()), key_store.active_key().signing_key())
    assert signing.verify(signed).reason == "unknown-key"
    impostor = signing.SigningKey(key_store.active_key().verification_method, Ed25519PrivateKey.generate())
    forged = signing.sign(make_credential(key_store.issuer()), impostor)
    assert signing.verify(forged, key_store.resolve).reason == "bad-signature"


def test_an_undefined_term_is_refused_not_silently_dropped(key_store):
    credential = make_credential(key_store.issuer())
    credential["credentialSubject"]["unsignedClaim"] = "I hold a master's degree"
    with pytest.raises(canon.UnsafeDocument, match="unsignedClaim|master"):
        signing.sign(credential, key_store.active_key().signing_key())
    signed = signing.sign(make_credential(key_store.issuer()), key_store.active_key().signing_key())
    signed["credentialSubject"]["unsignedClaim"] = "I hold a master's degree"
    assert signing.verify(signed, key_store.resolve).reason == "malformed"


@pytest.mark.parametrize(
    "proof", [None, "x", {"type": "Ed25519Signature2020"}, {"type": "DataIntegrityProof"}]
)
def test_malformed_proofs_are_reported_not_raised(proof):
    document = {"@context": [contexts.VC_V2], "type": ["VerifiableCredential"], "proof": proof}
    assert not signing.verify(document).verified


def test_multibase_and_multikey_round_trip():
    key = Ed25519PrivateKey.generate()
    public = signing.public_multikey(key.public_key())
    assert public.startswith("z6Mk")
    assert signing.public_key_from_multikey(public).public_bytes_raw() == key.public_key().public_bytes_raw()
    with pytest.raises(ValueError):
        signing.public_key_from_multikey(signing.secret_multikey(key))
    data = hashlib.sha256(b"x").digest()
    assert signing.multibase_decode(signing.multibase_encode(data)) == data
