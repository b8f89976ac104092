"""did:web issuers and their keys, kept in files outside the database.

An issuer is `did:web:<host>` (the platform; DID document at `https://<host>/.well-known/did.json`)
or `did:web:<host>:attestations:issuers:<slug>` (a branch with its own key; DID document at
`https://<host>/attestations/issuers/<slug>/did.json`), per the did:web method's path rule.

Key store layout, one folder per issuer under the key directory (settings `CREDENTIALS_KEY_DIR`,
environment `CQPHUB_CREDENTIALS_KEY_DIR`; never the database):

    <key dir>/<issuer slug>/<key id>.json   {"id", "created", "retired", "secretKeyMultibase",
                                             "publicKeyMultibase", "pdfKeyPem", "pdfCertificatePem"}

Each key file holds the Ed25519 credential-signing key (Multikey) and an RSA-3072 key with a
self-signed X.509 certificate for the parchments' PAdES signatures. Files are written 0600.
Rotation creates a new key and marks the previous one retired: a retired key signs nothing new but
stays in the DID document (`verificationMethod` and `assertionMethod`), so every credential it signed
still verifies. A key whose file is deleted disappears from the DID document (compromise).

Pure module: no Django import.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, unquote

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.x509.oid import NameOID

from cqphub.credentials import contexts
from cqphub.credentials.signing import (
    SigningKey,
    private_key_from_multikey,
    public_key_from_multikey,
    public_multikey,
    secret_multikey,
)

PLATFORM = "platform"
_SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}\Z")


def did_for(host: str, slug: str = PLATFORM) -> str:
    """did:web identifier of the platform (slug `platform`) or of a branch issuer on `host`."""
    base = "did:web:" + quote(host, safe="")
    if slug == PLATFORM:
        return base
    return f"{base}:attestations:issuers:{slug}"


def did_document_url(did: str) -> str:
    """Where a did:web DID document is served (the did:web method's resolution rule)."""
    if not did.startswith("did:web:"):
        raise ValueError("not a did:web identifier")
    parts = did[len("did:web:") :].split(":")
    host = unquote(parts[0])
    if len(parts) == 1:
        return f"https://{host}/.well-known/did.json"
    return f"https://{host}/" + "/".join(unquote(p) for p in parts[1:]) + "/did.json"


@dataclass(frozen=True)
class IssuerKey:
    issuer: str  # the DID
    key_id: str
    created: str
    retired: str | None
    secret_multikey: str
    public_multikey: str
    pdf_key_pem: str
    pdf_certificate_pem: str

    @property
    def verification_method(self) -> str:
        return f"{self.issuer}#{self.key_id}"

    @property
    def active(self) -> bool:
        return self.retired is None

    def signing_key(self) -> SigningKey:
        return SigningKey(self.verification_method, private_key_from_multikey(self.secret_multikey))

    def public_key(self) -> Ed25519PublicKey:
        return public_key_from_multikey(self.public_multikey)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _self_signed(name: str, key: rsa.RSAPrivateKey, now: datetime) -> x509.Certificate:
    subject = x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, name[:64]), x509.NameAttribute(NameOID.COUNTRY_NAME, "FR")]
    )
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )


class KeyStore:
    """Issuer keys in `<directory>/<slug>/<key id>.json`."""

    def __init__(self, directory: str | os.PathLike, host: str):
        self.directory = Path(directory)
        self.host = host

    def issuer(self, slug: str = PLATFORM) -> str:
        return did_for(self.host, slug)

    def _folder(self, slug: str) -> Path:
        if not _SLUG_RE.match(slug):
            raise ValueError(f"issuer slug {slug!r}: lowercase letters, digits and dashes only")
        return self.directory / slug

    def keys(self, slug: str = PLATFORM) -> list[IssuerKey]:
        folder = self._folder(slug)
        if not folder.is_dir():
            return []
        found = []
        for path in sorted(folder.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            found.append(
                IssuerKey(
                    issuer=self.issuer(slug),
                    key_id=data["id"],
                    created=data["created"],
                    retired=data.get("retired"),
                    secret_multikey=data["secretKeyMultibase"],
                    public_multikey=data["publicKeyMultibase"],
                    pdf_key_pem=data["pdfKeyPem"],
                    pdf_certificate_pem=data["pdfCertificatePem"],
                )
            )
        return sorted(found, key=lambda k: (k.created, k.key_id))

    def slugs(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(p.name for p in self.directory.iterdir() if p.is_dir() and _SLUG_RE.match(p.name))

    def active_key(self, slug: str = PLATFORM) -> IssuerKey | None:
        active = [k for k in self.keys(slug) if k.active]
        return active[-1] if active else None

    def create(self, slug: str = PLATFORM, *, name: str = "cqphub", now: datetime | None = None) -> IssuerKey:
        """A new key for the issuer; the issuer's current key (if any) is retired (rotation)."""
        now = now or _now()
        folder = self._folder(slug)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for key in self.keys(slug):
            if key.active:
                self._write(folder, key, retired=_iso(now))
        key_id = "key-" + now.strftime("%Y%m%dT%H%M%S")
        suffix = 1
        while (folder / f"{key_id}.json").exists():
            suffix += 1
            key_id = "key-" + now.strftime("%Y%m%dT%H%M%S") + f"-{suffix}"
        signing = Ed25519PrivateKey.generate()
        pdf_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
        certificate = _self_signed(name, pdf_key, now)
        key = IssuerKey(
            issuer=self.issuer(slug),
            key_id=key_id,
            created=_iso(now),
            retired=None,
            secret_multikey=secret_multikey(signing),
            public_multikey=public_multikey(signing.public_key()),
            pdf_key_pem=pdf_key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ).decode(),
            pdf_certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
        )
        self._write(folder, key, retired=None)
        return key

    rotate = create

    def _write(self, folder: Path, key: IssuerKey, *, retired: str | None) -> None:
        path = folder / f"{key.key_id}.json"
        data = {
            "id": key.key_id,
            "created": key.created,
            "retired": retired,
            "secretKeyMultibase": key.secret_multikey,
            "publicKeyMultibase": key.public_multikey,
            "pdfKeyPem": key.pdf_key_pem,
            "pdfCertificatePem": key.pdf_certificate_pem,
        }
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1)
        os.replace(tmp, path)

    def did_document(self, slug: str = PLATFORM) -> dict:
        return did_document(self.issuer(slug), self.keys(slug))

    def resolve(self, verification_method: str) -> Ed25519PublicKey | None:
        """The public key of one of this store's verification methods (any issuer, retired included)."""
        did, _, fragment = verification_method.partition("#")
        for slug in self.slugs():
            if self.issuer(slug) == did:
                for key in self.keys(slug):
                    if key.key_id == fragment:
                        return key.public_key()
        return None


def did_document(did: str, keys: list[IssuerKey]) -> dict:
    methods = [
        {
            "id": key.verification_method,
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.public_multikey,
        }
        for key in keys
    ]
    return {
        "@context": [contexts.DID_V1, contexts.MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


def resolver_from_document(document: dict):
    """A signing.Resolver for the assertion methods of one DID document (a verifier's view)."""
    allowed = set(document.get("assertionMethod", []))
    by_id = {m["id"]: m for m in document.get("verificationMethod", []) if m.get("type") == "Multikey"}

    def resolve(method: str) -> Ed25519PublicKey | None:
        if method not in allowed or method not in by_id:
            return None
        try:
            return public_key_from_multikey(by_id[method]["publicKeyMultibase"])
        except ValueError:
            return None

    return resolve
