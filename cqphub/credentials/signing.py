"""Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C Data Integrity EdDSA Cryptosuites v1.0).

Create (§3.2.1 of the cryptosuite): the proof configuration (the proof options with the document's
`@context`, without `proofValue`) and the document without its proof are each canonicalised with
RDFC-1.0 and hashed with SHA-256; the signature is Ed25519 over `proofConfigHash || documentHash`;
`proofValue` is that signature in multibase base58-btc (`z...`). Verify runs the same steps and checks
the signature with the public key the verification method resolves to.

Keys are Multikey-encoded (`publicKeyMultibase`: multicodec `ed25519-pub` 0xed01 + 32 bytes,
`secretKeyMultibase`: `ed25519-priv` 0x8026 + 32 bytes, both base58-btc). `did:key` verification
methods resolve on their own; others through the `resolve` callable the caller gives (our `did:web`).

Pure module: no Django import.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from cqphub.credentials.canon import UnsafeDocument, canonical_hash

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"
ED25519_PUB = b"\xed\x01"
ED25519_PRIV = b"\x80\x26"


# --- multibase / multikey ----------------------------------------------------------------------


def multibase_encode(data: bytes) -> str:
    return "z" + base58.b58encode(data).decode("ascii")


def multibase_decode(text: str) -> bytes:
    if not text or text[0] != "z":
        raise ValueError("only base58-btc multibase ('z...') is supported")
    return base58.b58decode(text[1:])


def public_multikey(key: Ed25519PublicKey) -> str:
    return multibase_encode(ED25519_PUB + key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def secret_multikey(key: Ed25519PrivateKey) -> str:
    return multibase_encode(ED25519_PRIV + key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))


def public_key_from_multikey(text: str) -> Ed25519PublicKey:
    raw = multibase_decode(text)
    if raw[:2] != ED25519_PUB or len(raw) != 34:
        raise ValueError("not an Ed25519 public Multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def private_key_from_multikey(text: str) -> Ed25519PrivateKey:
    raw = multibase_decode(text)
    if raw[:2] != ED25519_PRIV or len(raw) != 34:
        raise ValueError("not an Ed25519 secret Multikey")
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


def did_key_public_key(verification_method: str) -> Ed25519PublicKey | None:
    """The key a `did:key:z6Mk...#z6Mk...` verification method names, or None."""
    if not verification_method.startswith("did:key:"):
        return None
    did, _, fragment = verification_method.partition("#")
    multikey = did[len("did:key:") :]
    if fragment and fragment != multikey:
        return None
    try:
        return public_key_from_multikey(multikey)
    except ValueError:
        return None


# --- proofs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SigningKey:
    verification_method: str  # e.g. did:web:example.org#key-2026-01
    private_key: Ed25519PrivateKey


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _hash_data(document: dict, proof_config: dict) -> bytes:
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    return canonical_hash(proof_config) + canonical_hash(unsecured)


def proof_configuration(document: dict, proof: dict) -> dict:
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = document["@context"]
    return config


def sign(
    document: dict, key: SigningKey, *, created: str | None = None, purpose: str = "assertionMethod"
) -> dict:
    """A copy of `document` with an `eddsa-rdfc-2022` DataIntegrityProof added."""
    if "proof" in document:
        raise ValueError("the document already carries a proof")
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created or _now(),
        "verificationMethod": key.verification_method,
        "proofPurpose": purpose,
    }
    signature = key.private_key.sign(_hash_data(document, proof_configuration(document, proof)))
    signed = dict(document)
    signed["proof"] = {**proof, "proofValue": multibase_encode(signature)}
    return signed


@dataclass(frozen=True)
class Verification:
    verified: bool
    reason: str = (
        ""  # machine-readable: "", "no-proof", "unsupported", "unknown-key", "bad-signature", "malformed"
    )
    verification_method: str = ""


Resolver = Callable[[str], Ed25519PublicKey | None]


def verify(
    document: dict, resolve: Resolver | None = None, *, purpose: str = "assertionMethod"
) -> Verification:
    """Check the document's `eddsa-rdfc-2022` proof. Never raises on bad input."""
    proof = document.get("proof") if isinstance(document, dict) else None
    if not isinstance(proof, dict):
        return Verification(False, "no-proof")
    method = proof.get("verificationMethod")
    if (
        proof.get("type") != PROOF_TYPE
        or proof.get("cryptosuite") != CRYPTOSUITE
        or not isinstance(method, str)
    ):
        return Verification(False, "unsupported", str(method or ""))
    if proof.get("proofPurpose") != purpose:
        return Verification(False, "unsupported", method)
    public_key = did_key_public_key(method)
    if public_key is None and resolve is not None:
        public_key = resolve(method)
    if public_key is None:
        return Verification(False, "unknown-key", method)
    try:
        signature = multibase_decode(proof.get("proofValue", ""))
        data = _hash_data(document, proof_configuration(document, proof))
    except (ValueError, TypeError, KeyError, UnsafeDocument):
        return Verification(False, "malformed", method)
    except Exception:  # pyld raises its own JsonLdError family on malformed JSON-LD
        return Verification(False, "malformed", method)
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return Verification(False, "bad-signature", method)
    return Verification(True, "", method)


def strip_proof(document: dict) -> dict:
    return {k: copy.deepcopy(v) for k, v in document.items() if k != "proof"}
