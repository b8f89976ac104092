"""Uploaded documents: what is accepted (by content, not by name), and how a file is served back.

A file is accepted when its first bytes are those of a PDF, PNG or JPEG file and it is no larger
than `settings.DOCUMENT_MAX_BYTES`; the type stored is the one sniffed, never the browser's claim.
It is served only as an attachment, with `X-Content-Type-Options: nosniff` and a sandboxing
Content-Security-Policy, so that a crafted file can never run as a page of the app's origin.
Files go through Django's storage API (`default_storage`), so S3-compatible storage works by setting
`STORAGES["default"]` (django-storages) in production.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _

SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
ACCEPTED_LABEL = "PDF, PNG, JPEG"


@dataclass(frozen=True)
class Checked:
    content_type: str
    extension: str
    size: int
    sha256: str
    name: str


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def safe_name(name: str, extension: str) -> str:
    """The uploader's file name reduced to safe characters, with the sniffed extension."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    stem = re.sub(r"[^\w\- ]+", "_", stem).strip(" ._") or "document"
    return f"{stem[:120]}.{extension}"


def check_upload(uploaded) -> Checked:
    """Size and content checks; ValidationError with a message naming the file and the problem."""
    limit = settings.DOCUMENT_MAX_BYTES
    name = getattr(uploaded, "name", "") or "document"
    size = uploaded.size
    if size == 0:
        raise ValidationError(_("Le fichier « %(name)s » est vide.") % {"name": name}, code="empty")
    if size > limit:
        raise ValidationError(
            _("Le fichier « %(name)s » pèse %(size)s Mo : la limite est de %(limit)s Mo.")
            % {"name": name, "size": round(size / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)},
            code="too_large",
        )
    uploaded.seek(0)
    head = uploaded.read(16)
    found = sniff(head)
    if found is None:
        raise ValidationError(
            _("Le fichier « %(name)s » n'est pas d'un type accepté (%(accepted)s), quel que soit son nom.")
            % {"name": name, "accepted": ACCEPTED_LABEL},
            code="type",
        )
    digest = hashlib.sha256(head)
    for chunk in iter(lambda: uploaded.read(65536), b""):
        digest.update(chunk)
    uploaded.seek(0)
    content_type, extension = found
    return Checked(content_type, extension, size, digest.hexdigest(), safe_name(name, extension))


def attachment_response(document) -> FileResponse:
    """The stored file as a download, never rendered inline from our origin."""
    handle = document.file.open("rb")
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
