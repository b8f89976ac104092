"""Read queries of the credentials app."""

from __future__ import annotations

from django.db.models import QuerySet

from cqphub.credentials.models import BlockAttestation, IssuedCredential, Parchment, StatusList


def document_by_number(number: str):
    """The parchment or block attestation with this number, or None."""
    number = (number or "").strip().upper()
    if number.startswith("ATT-"):
        return BlockAttestation.objects.select_related("credential", "award").filter(number=number).first()
    return Parchment.objects.select_related("credential", "award").filter(number=number).first()


def credential_by_id(credential_id: str) -> IssuedCredential | None:
    return (
        IssuedCredential.objects.select_related("parchment", "attestation")
        .filter(credential_id=credential_id)
        .first()
    )


def documents(*, qualification_id: int | None = None) -> list:
    out = []
    for model in (Parchment, BlockAttestation):
        qs: QuerySet = model.objects.select_related("award")
        if qualification_id is not None:
            qs = qs.filter(qualification_id=qualification_id)
        out.extend(qs)
    return sorted(out, key=lambda d: (d.qualification_id, d.year, d.number))


def documents_for_candidate(candidate) -> list:
    out = []
    for model in (Parchment, BlockAttestation):
        out.extend(model.objects.select_related("credential").filter(award__candidate=candidate))
    return sorted(out, key=lambda d: d.issued_at, reverse=True)


def documents_for_award(award) -> list:
    return list(Parchment.objects.filter(award=award)) + list(BlockAttestation.objects.filter(award=award))


def status_list(slug: str, number: int) -> StatusList | None:
    return StatusList.objects.filter(issuer=slug, number=number).first()


def verification_url_for_award(award) -> str:
    """The public verification page of an award's document ('' when not issued): reporting's urlPreuve.

    A full award's is its parchment's, never the attestation of its blocks issued on request."""
    return verification_urls_for_awards([award.pk]).get(award.pk, "")


def verification_urls_for_awards(award_ids) -> dict[int, str]:
    """`verification_url_for_award` for a chunk of awards in two queries (the holder report reads
    100,000): its parchment, or else its block attestation unless that was issued on request beside a
    full award's parchment. An award with no document yet is absent."""
    from cqphub.credentials.issuer import verification_url

    numbers: dict[int, str] = {}
    attestations = BlockAttestation.objects.filter(on_request=False)
    for documents in (attestations, Parchment.objects.all()):  # the parchment wins: written last
        numbers.update(
            documents.filter(award_id__in=award_ids).order_by("-pk").values_list("award_id", "number")
        )
    return {award_id: verification_url(number) for award_id, number in numbers.items()}
