"""Safe handling of files people upload and download: one policy per kind of upload, checked on
the bytes (never the name), and a response helper that serves stored files as inert attachments.

Accepting an upload (in a form, a service or an API view)::

    from cqphub.orgs import uploads

    EVIDENCE = uploads.UploadPolicy(
        kinds=(uploads.PDF, uploads.JPEG, uploads.PNG),  # what the content must be
        max_bytes=10 * 1024 * 1024,
    )

    class EvidenceForm(forms.Form):
        file = uploads.SafeFileField(policy=EVIDENCE, label=_("Pièce"))

    # form.cleaned_data["file"] is the UploadedFile; its `.safe` attribute is a `CheckedUpload`:
    #   .kind (a FileKind: mime type + canonical extension), .size, .sha256, .safe_name
    # Store it under a name you choose (never the uploaded name as a path), e.g.
    #   f"{uuid4().hex}.{checked.kind.extension}"

    # Outside a form (a service receiving bytes or a file object):
    checked = uploads.check_upload(fileobj, EVIDENCE, name="scan.pdf")  # raises ValidationError

    # On a model: FileField(validators=[uploads.UploadValidator(EVIDENCE)]) – deconstructible,
    # so migrations stay stable.

Serving a stored file back (a view that has already checked the reader's object permission)::

    return uploads.attachment_response(obj.file, filename=obj.original_name)

The response is always an attachment (never rendered inline by the browser), with a content type
taken from the sniffed content among the known kinds (`application/octet-stream` otherwise),
`X-Content-Type-Options: nosniff`, `Content-Security-Policy: sandbox; default-src 'none'` (an HTML
or SVG file opened anyway runs no script and reaches nothing), `Cross-Origin-Resource-Policy:
same-origin` and `Cache-Control: private, no-store`.

Office documents (XLSX, DOCX, ODT…) are ZIP archives: `check_zip(fileobj, …)` refuses archives whose
members would decompress past a total, or with too many members, or with a suspicious compression
ratio (a "zip bomb"), before any parser opens them. `UploadPolicy(zip_limits=ZipLimits(…))` applies it
to every ZIP-based kind.

Limits are checked in this order, each with its own message (French first, translated): size, empty
file, content kind, archive limits. Sniffing reads only the first 8 KiB (the `filetype` library).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

SNIFF_BYTES = 8192


@dataclass(frozen=True)
class FileKind:
    """A kind of file recognised from its content: its MIME type, canonical extension and label."""

    mime: str
    extension: str
    label: str
    is_zip: bool = False


PDF = FileKind("application/pdf", "pdf", "PDF")
PNG = FileKind("image/png", "png", "PNG")
JPEG = FileKind("image/jpeg", "jpg", "JPEG")
WEBP = FileKind("image/webp", "webp", "WebP")
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "XLSX", True)
DOCX = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "DOCX", True
)
ODT = FileKind("application/vnd.oasis.opendocument.text", "odt", "ODT", True)
ODS = FileKind("application/vnd.oasis.opendocument.spreadsheet", "ods", "ODS", True)
JSON = FileKind("application/json", "json", "JSON")
KINDS = (PDF, PNG, JPEG, WEBP, XLSX, DOCX, ODT, ODS, JSON)
_BY_MIME = {kind.mime: kind for kind in KINDS}


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 500
    max_total_bytes: int = 50 * 1024 * 1024  # decompressed
    max_ratio: int = 200  # decompressed size / compressed size, per member, above 1 MiB


@dataclass(frozen=True)
class UploadPolicy:
    kinds: tuple[FileKind, ...]
    max_bytes: int
    zip_limits: ZipLimits = field(default_factory=ZipLimits)


@dataclass(frozen=True)
class CheckedUpload:
    kind: FileKind
    size: int
    sha256: str
    safe_name: str  # the uploaded name reduced to a harmless display name with the right extension


def _is_json(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text[:1] in (b"{", b"[")


def sniff(head: bytes) -> FileKind | None:
    """The known kind whose signature `head` (the file's first bytes) carries, or None."""
    guess = filetype.guess(head)
    if guess is not None and guess.mime in _BY_MIME:
        return _BY_MIME[guess.mime]
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind_from_names(head)
    if guess is not None:
        return None
    if _is_json(head):
        return JSON
    return None


def _zip_kind_from_names(head: bytes) -> FileKind | None:
    # filetype recognises OOXML only when "[Content_Types].xml" comes first; some writers differ.
    if b"xl/" in head:
        return XLSX
    if b"word/" in head:
        return DOCX
    return None


def check_zip(fileobj: IO[bytes], limits: ZipLimits) -> None:
    """Refuse an archive that is unreadable or would decompress too far (ValidationError)."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ValidationError(_("Fichier illisible : l'archive est endommagée."), code="bad_zip")
    if len(members) > limits.max_members:
        raise ValidationError(
            _("Fichier refusé : il contient trop d'éléments (%(count)s, %(max)s au plus)."),
            code="zip_members",
            params={"count": len(members), "max": limits.max_members},
        )
    total = sum(member.file_size for member in members)
    if total > limits.max_total_bytes:
        raise ValidationError(
            _("Fichier refusé : une fois décompressé, il occuperait %(size)s (%(max)s au plus)."),
            code="zip_size",
            params={"size": filesizeformat(total), "max": filesizeformat(limits.max_total_bytes)},
        )
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > limits.max_ratio * max(
            member.compress_size, 1
        ):
            raise ValidationError(
                _("Fichier refusé : son contenu est anormalement compressé (archive piégée ?)."),
                code="zip_ratio",
            )


def _read_head(fileobj: IO[bytes]) -> bytes:
    position = fileobj.tell() if hasattr(fileobj, "tell") else 0
    head = fileobj.read(SNIFF_BYTES)
    fileobj.seek(position)
    return head


def _size(fileobj: Any) -> int:
    size = getattr(fileobj, "size", None)
    if size is not None:
        return int(size)
    position = fileobj.tell()
    fileobj.seek(0, os.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(position)
    return size


def safe_filename(name: str, extension: str, *, max_length: int = 80) -> str:
    """A display name made of letters, digits, `-`, `_` and `.` only, ending in `.extension`."""
    stem = os.path.splitext(os.path.basename((name or "").replace("\\", "/")))[0]
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-._")[: max_length - len(extension) - 1]
    return f"{stem or 'fichier'}.{extension}"


def check_upload(fileobj: IO[bytes] | bytes, policy: UploadPolicy, *, name: str = "") -> CheckedUpload:
    """Check an uploaded file against `policy`; the `CheckedUpload`, or ValidationError.

    `fileobj` is a Django UploadedFile, any seekable binary file object, or bytes. The file is
    read to hash it; its position is restored."""
    if isinstance(fileobj, bytes | bytearray):
        fileobj = io.BytesIO(fileobj)
    size = _size(fileobj)
    if size > policy.max_bytes:
        raise ValidationError(
            _("Fichier trop volumineux : %(size)s (%(max)s au plus)."),
            code="too_big",
            params={"size": filesizeformat(size), "max": filesizeformat(policy.max_bytes)},
        )
    if size == 0:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    fileobj.seek(0)
    kind = sniff(_read_head(fileobj))
    allowed = ", ".join(k.label for k in policy.kinds)
    if kind is None or kind not in policy.kinds:
        raise ValidationError(
            _("Type de fichier refusé : seuls les fichiers %(allowed)s sont acceptés (contenu examiné)."),
            code="kind",
            params={"allowed": allowed},
        )
    if kind.is_zip:
        check_zip(fileobj, policy.zip_limits)
        fileobj.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return CheckedUpload(
        kind=kind,
        size=size,
        sha256=digest.hexdigest(),
        safe_name=safe_filename(name or getattr(fileobj, "name", "") or "", kind.extension),
    )


@deconstructible
class UploadValidator:
    """Model/form field validator applying an `UploadPolicy` (for `FileField(validators=[…])`)."""

    def __init__(self, policy: UploadPolicy):
        self.policy = policy

    def __call__(self, value) -> None:
        file = getattr(value, "file", value)
        check_upload(file, self.policy, name=getattr(value, "name", ""))

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadValidator) and other.policy == self.policy


class SafeFileField(forms.FileField):
    """A form file field that applies an `UploadPolicy`; the cleaned file carries `.safe`."""

    def __init__(self, *, policy: UploadPolicy, **kwargs):
        self.policy = policy
        kwargs.setdefault(
            "help_text",
            _("%(kinds)s, %(max)s au plus.")
            % {"kinds": ", ".join(k.label for k in policy.kinds), "max": filesizeformat(policy.max_bytes)},
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ",".join(f".{k.extension}" for k in policy.kinds))

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "read") and getattr(upload, "_committed", None) is None:
            upload.safe = check_upload(upload, self.policy, name=upload.name)
        return upload


ATTACHMENT_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'"


def attachment_response(
    file: IO[bytes] | Any, *, filename: str, kind: FileKind | None = None
) -> FileResponse:
    """Serve `file` (an open binary file, a Django `FieldFile` or bytes) as an inert download.

    The content type is the sniffed known kind (or `kind` when the caller checked it at upload),
    else `application/octet-stream`; the name is reduced by `safe_filename`."""
    if isinstance(file, bytes | bytearray):
        file = io.BytesIO(file)
    elif hasattr(file, "open") and not hasattr(file, "seekable"):
        file.open("rb")
    if kind is None:
        try:
            kind = sniff(_read_head(file))
        except (AttributeError, OSError, ValueError):
            kind = None
    content_type = kind.mime if kind is not None else "application/octet-stream"
    extension = kind.extension if kind is not None else (os.path.splitext(filename)[1][1:] or "bin")
    response = FileResponse(
        file,
        as_attachment=True,
        filename=safe_filename(filename, re.sub(r"[^A-Za-z0-9]", "", extension)[:10] or "bin"),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = ATTACHMENT_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    response["X-Frame-Options"] = "DENY"
    return response
