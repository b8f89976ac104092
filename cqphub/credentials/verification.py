"""Public verification: by number (typed or from the QR code), uploaded JSON credential, uploaded PDF.

Outcomes: valid, revoked (with its date, never the reason), unknown (not a document we issued), or
tampered (a signature that does not match: the credential's proof or the PDF's PAdES signature).
What is shown comes from the document itself: the holder's name, the qualification, the blocks,
the decision — nothing the document does not already say (no date of birth, no e-mail).

Numbers are sequential, so a number alone must not tell who holds it (anyone could list a CQP's
holders one number after the other). A number shows the holder's full name only with the document's
verification key: an HMAC-SHA256 of the number under a server secret (`verification_key`), carried by
the parchment's QR code and the holder's share link (`?cle=…`). Without it, or with a wrong one, the
answer is the same outcome and qualification with the holder's initials. A signed credential file
(JSON, or the PDF that embeds it) shows the full name: whoever holds the file holds the name.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from cqphub.credentials.enums import Outcome

MAX_UPLOAD = 2 * 1024 * 1024
NUMBER = re.compile(r"(CQP|ATT)-\d{4,}-\d{4}-\d{5,}")
KEY_BYTES = 10  # 80 bits of HMAC: 16 base32 characters in the URL
KEY_DOMAIN = b"cqphub.credentials.verification-key.v1:"


def canonical_number(number: str) -> str:
    return (number or "").strip().upper()


def verification_key(number: str, secret: str | bytes) -> str:
    """The verification key of a document number under `secret`: HMAC-SHA256 of the canonical number
    (with a fixed domain prefix, so the secret can be one used elsewhere, such as SECRET_KEY),
    truncated to 80 bits, in lowercase base32 without padding."""
    raw = secret.encode() if isinstance(secret, str) else bytes(secret)
    digest = hmac.new(raw, KEY_DOMAIN + canonical_number(number).encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:KEY_BYTES]).decode("ascii").lower()


def key_matches(number: str, key: str, secrets: list[str | bytes]) -> bool:
    """Whether `key` is the number's verification key under one of `secrets` (the current secret
    first, then retired ones). Constant time: every secret is tried and compared with
    `hmac.compare_digest`, whatever the key looks like."""
    given = (key or "").strip().lower().encode("utf-8", "replace")
    found = False
    for secret in secrets:
        found |= hmac.compare_digest(verification_key(number, secret).encode("ascii"), given)
    return found


def initials(name: str) -> str:
    """'Jean-Pierre MARTIN' -> 'J.-P. M.': what a verification without the key shows of the holder."""
    words = [w for w in re.split(r"[\s,]+", name or "") if w]
    return " ".join("-".join(f"{part[0].upper()}." for part in word.split("-") if part) for word in words)


class KeyCheck:
    """How a number's verification key compared (None: a signed file was verified, no key needed)."""

    VALID = "valid"
    WRONG = "wrong"
    MISSING = "missing"


@dataclass
class Result:
    outcome: str
    number: str = ""
    holder_name: str = ""  # the full name, only when the key or the signed file was given
    mentions: dict = field(default_factory=dict)
    revoked_on: datetime | None = None
    document_kind: str = ""
    detail: str = ""  # machine-readable reason for tampered/unknown
    holder_initials: str = ""
    key_check: str | None = None  # KeyCheck for a number; None for a file

    @property
    def name_hidden(self) -> bool:
        return self.key_check in (KeyCheck.WRONG, KeyCheck.MISSING)

    def as_json(self) -> dict:
        data = {"outcome": self.outcome, "number": self.number or None}
        if self.outcome in (Outcome.VALID, Outcome.REVOKED):
            data.update(
                holder_name=self.holder_name or None,
                holder_initials=self.holder_initials,
                key_check=self.key_check,
                document=self.document_kind,
                qualification=self.mentions.get("title"),
                kind=self.mentions.get("kind"),
                fiche_code=self.mentions.get("fiche_code") or None,
                blocks=[f"{b['code']} — {b['title']}" for b in self.mentions.get("blocks", [])],
                decision_date=self.mentions.get("decision_date"),
                certifier=self.mentions.get("certifier"),
            )
        if self.outcome == Outcome.REVOKED:
            data["revoked_on"] = self.revoked_on.date().isoformat() if self.revoked_on else None
        return data


def _from_document(document, key_check: str | None = None) -> Result:
    """The result for an issued document; the full name only when `key_check` is valid or None."""
    outcome = Outcome.REVOKED if document.revoked_at else Outcome.VALID
    hidden = key_check in (KeyCheck.WRONG, KeyCheck.MISSING)
    return Result(
        outcome=outcome,
        number=document.number,
        holder_name="" if hidden else document.holder_name,
        holder_initials=initials(document.holder_name),
        key_check=key_check,
        mentions=document.mentions,
        revoked_on=document.revoked_at,
        document_kind=type(document).KIND,
    )


def by_number(number: str, key: str = "") -> Result:
    """A document by its number; the holder's full name only with its verification key."""
    from cqphub.credentials import issuer
    from cqphub.credentials.selectors import document_by_number

    number = canonical_number(number)
    if not NUMBER.fullmatch(number):
        return Result(Outcome.UNKNOWN, number=number[:40], detail="format")
    document = document_by_number(number)
    if document is None:
        return Result(Outcome.UNKNOWN, number=number, detail="not-found")
    if not key:
        check = KeyCheck.MISSING
    elif key_matches(number, key, issuer.verification_secrets()):
        check = KeyCheck.VALID
    else:
        check = KeyCheck.WRONG
    return _from_document(document, check)


def by_credential(data: bytes | str) -> Result:
    from cqphub.credentials import issuer, signing
    from cqphub.credentials.selectors import credential_by_id

    if isinstance(data, bytes):
        if len(data) > MAX_UPLOAD:
            return Result(Outcome.UNKNOWN, detail="too-large")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            return Result(Outcome.UNKNOWN, detail="not-json")
    try:
        document = json.loads(data)
    except ValueError:
        return Result(Outcome.UNKNOWN, detail="not-json")
    if not isinstance(document, dict) or not isinstance(document.get("proof"), dict):
        return Result(Outcome.UNKNOWN, detail="not-a-credential")
    method = str(document["proof"].get("verificationMethod", ""))
    if not method.startswith(f"{issuer.key_store().issuer()}"):
        return Result(Outcome.UNKNOWN, detail="other-issuer")
    verified = signing.verify(document, issuer.resolve)
    if verified.reason == "unknown-key":
        return Result(Outcome.UNKNOWN, detail="unknown-key")
    if not verified.verified:
        return Result(Outcome.TAMPERED, detail=verified.reason)
    stored = credential_by_id(str(document.get("id", "")))
    if stored is None:
        return Result(Outcome.UNKNOWN, detail="not-found")
    return _from_document(stored.document)


def pdf_signature_intact(data: bytes, certificates_der: list[bytes]) -> bool:
    """The PDF's last signature covers the whole file, its digest matches and one of our keys made it."""
    from asn1crypto import cms
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    found = list(re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data))
    if not found:
        return False
    a, b, c, d = (int(x) for x in found[-1].groups())
    if a != 0 or c + d != len(data) or b > c or data[b : b + 1] != b"<" or data[c - 1 : c] != b">":
        return False
    digest = hashlib.sha256(data[a : a + b] + data[c : c + d]).digest()
    try:
        content = cms.ContentInfo.load(bytes.fromhex(data[b + 1 : c - 1].decode("ascii")), strict=False)
    except (ValueError, UnicodeDecodeError):
        return False
    try:
        signer = content["content"]["signer_infos"][0]
        attributes = signer["signed_attrs"]
        message_digest = next(
            a["values"][0].native for a in attributes if a["type"].native == "message_digest"
        )
        if message_digest != digest:
            return False
        signed = b"\x31" + attributes.dump()[1:]  # signed as a SET, stored as [0] IMPLICIT
        signature = signer["signature"].native
    except Exception:
        return False
    for der in certificates_der:
        try:
            x509.load_der_x509_certificate(der).public_key().verify(
                signature, signed, padding.PKCS1v15(), hashes.SHA256()
            )
            return True
        except (InvalidSignature, ValueError, TypeError):
            continue
    return False


def by_pdf(data: bytes) -> Result:
    import pikepdf
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    from cqphub.credentials import issuer

    if len(data) > MAX_UPLOAD * 4:
        return Result(Outcome.UNKNOWN, detail="too-large")
    try:
        pdf = pikepdf.open(io.BytesIO(data))
        attachment = pdf.attachments.get("credential.json")
        embedded = attachment.get_file().read_bytes() if attachment is not None else None
    except Exception:
        return Result(Outcome.UNKNOWN, detail="not-a-pdf")
    if embedded is None:
        return Result(Outcome.UNKNOWN, detail="no-credential")
    store = issuer.key_store()
    certificates = [
        x509.load_pem_x509_certificate(key.pdf_certificate_pem.encode()).public_bytes(Encoding.DER)
        for slug in store.slugs()
        for key in store.keys(slug)
    ]
    result = by_credential(embedded)
    if result.outcome in (Outcome.VALID, Outcome.REVOKED) and not pdf_signature_intact(data, certificates):
        return Result(Outcome.TAMPERED, number=result.number, detail="pdf-signature")
    return result


def by_upload(data: bytes) -> Result:
    if data[:5] == b"%PDF-":
        return by_pdf(data)
    return by_credential(data)
