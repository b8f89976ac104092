"""Public verification: by number (typed or from the QR code), uploaded JSON credential, uploaded PDF.

Outcomes: valid, revoked (with its date, never the reason), unknown (not a document we issued), or
tampered (a signature that does not match: the credential's proof or the PDF's PAdES signature).
What is shown comes from the document itself: the holder's name, the qualification, the blocks,
the decision — nothing the document does not already say (no date of birth, no e-mail).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from cqphub.credentials.enums import Outcome

MAX_UPLOAD = 2 * 1024 * 1024


@dataclass
class Result:
    outcome: str
    number: str = ""
    holder_name: str = ""
    mentions: dict = field(default_factory=dict)
    revoked_on: datetime | None = None
    document_kind: str = ""
    detail: str = ""  # machine-readable reason for tampered/unknown

    def as_json(self) -> dict:
        data = {"outcome": self.outcome, "number": self.number or None}
        if self.outcome in (Outcome.VALID, Outcome.REVOKED):
            data.update(
                holder_name=self.holder_name,
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


def _from_document(document) -> Result:
    outcome = Outcome.REVOKED if document.revoked_at else Outcome.VALID
    return Result(
        outcome=outcome,
        number=document.number,
        holder_name=document.holder_name,
        mentions=document.mentions,
        revoked_on=document.revoked_at,
        document_kind=type(document).KIND,
    )


def by_number(number: str) -> Result:
    from cqphub.credentials.selectors import document_by_number

    number = (number or "").strip().upper()
    if not re.fullmatch(r"(CQP|ATT)-\d{4,}-\d{4}-\d{5,}", number):
        return Result(Outcome.UNKNOWN, number=number[:40], detail="format")
    document = document_by_number(number)
    if document is None:
        return Result(Outcome.UNKNOWN, number=number, detail="not-found")
    return _from_document(document)


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
