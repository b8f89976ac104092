"""JSON API of the credentials app (mounted under /api/v1/ by cqphub/api.py): public verification."""

from __future__ import annotations

from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from cqphub.credentials import verification
from cqphub.credentials.views import throttled

router = Router(tags=["credentials"])


class VerificationOut(Schema):
    outcome: str  # valid | revoked | unknown | tampered
    number: str | None = None
    holder_name: str | None = Field(
        None,
        description="the holder's full name: given for a signed file, and for a number only with its "
        "verification key (`key`); null otherwise",
    )
    holder_initials: str | None = Field(None, description="the holder's initials, e.g. 'J.-P. M.'")
    key_check: str | None = Field(
        None,
        description="for a number: `valid`, `wrong` or `missing` (the name is shown only when `valid`); "
        "null for a signed file",
    )
    document: str | None = None  # parchment | attestation
    qualification: str | None = None
    kind: str | None = None
    fiche_code: str | None = None
    blocks: list[str] | None = None
    decision_date: str | None = None
    certifier: str | None = None
    revoked_on: str | None = None


class TooMany(Schema):
    detail: str


def _answer(request, compute):
    if throttled(request, "verify"):
        return Status(429, {"detail": "too many verifications: retry in a minute"})
    return Status(200, compute().as_json())


# Before `/credentials/verify/{number}`: Django resolves the first matching path, and "file" would be
# taken for a number (405 on POST).
@router.post(
    "/credentials/verify/file",
    response={200: VerificationOut, 429: TooMany},
    # the one part read, "document", not empty (Django drops an empty file part); ninja merges this
    # into the body it documents
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {"properties": {"document": {"minLength": 1}}, "additionalProperties": False}
                }
            }
        }
    },
)
def verify_file(request, document: UploadedFile = File(...)):  # noqa: B008 - ninja's declaration style
    """Verify an uploaded parchment PDF or credential JSON file."""
    return _answer(request, lambda: verification.by_upload(document.read()))


@router.post("/credentials/verify", response={200: VerificationOut, 429: TooMany})
def verify_credential(request):
    """Verify a signed Open Badges 3.0 credential sent as the request's JSON body."""
    return _answer(request, lambda: verification.by_credential(request.body))


class KeyQuery(Schema):
    key: str | None = Field(
        None,
        max_length=64,
        description="the document's verification key, the `cle` parameter of its QR code or share link "
        "(…/attestations/verifier/NUMBER/?cle=KEY); without it the holder is given by initials only",
    )


@router.get("/credentials/verify/{number}", response={200: VerificationOut, 429: TooMany})
def verify_number(request, number: str, query: Query[KeyQuery]):
    """Verify a parchment or block attestation by its number (the QR code's link holds it, and the
    document's verification key, which the holder's full name needs)."""
    return _answer(request, lambda: verification.by_number(number, query.key or ""))
