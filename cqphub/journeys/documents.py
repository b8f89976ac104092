"""Candidacy documents: the upload policy (PDF, PNG, JPEG by content; size from settings) and the
download response, both from the shared `cqphub.orgs.uploads` module.

Files go through Django's storage API (`FieldFile.save`), under a random key, so S3-compatible
storage works by setting `STORAGES["default"]` (django-storages) in production. They are served only
as attachments with `nosniff` and a sandboxing Content-Security-Policy (never inline from our origin).
"""

from __future__ import annotations

from django.conf import settings

from cqphub.orgs import uploads

KINDS = (uploads.PDF, uploads.PNG, uploads.JPEG)
BY_MIME = {kind.mime: kind for kind in KINDS}


def policy() -> uploads.UploadPolicy:
    return uploads.UploadPolicy(kinds=KINDS, max_bytes=settings.DOCUMENT_MAX_BYTES)


def check_upload(uploaded) -> uploads.CheckedUpload:
    """ValidationError (codes: too_big, empty, kind) or the checked upload."""
    return uploads.check_upload(uploaded, policy(), name=getattr(uploaded, "name", "") or "")


def attachment_response(document):
    return uploads.attachment_response(
        document.file, filename=document.original_name, kind=BY_MIME.get(document.content_type)
    )
