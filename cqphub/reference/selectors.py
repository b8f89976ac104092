"""Read queries of the reference app."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from cqphub.reference.models import (
    CollectiveAgreement,
    CpneReference,
    NsfCode,
    Opco,
    OpcoAttachment,
    RomeCode,
)
from cqphub.reference.parsers import parse_idcc_or_none
from cqphub.text import fold


def _latest_attachment(agreement_filter: dict) -> OpcoAttachment | None:
    # the undated row (a table without dates) or the most recent dated one
    qs = OpcoAttachment.objects.filter(**agreement_filter).select_related("opco")
    return (
        qs.order_by("-valid_from", "-id").first()
        if qs.filter(valid_from__isnull=False).exists()
        else qs.first()
    )


def opco_for_idcc(idcc: str | int) -> Opco | None:
    """The OPCO a collective agreement is attached to, or None (unknown IDCC or no attachment)."""
    code = parse_idcc_or_none(idcc)
    if code is None:
        return None
    attachment = _latest_attachment({"agreement__idcc": code})
    return attachment.opco if attachment else None


def get_agreement(idcc: str | int) -> CollectiveAgreement | None:
    code = parse_idcc_or_none(idcc)
    if code is None:
        return None
    return (
        CollectiveAgreement.objects.filter(idcc=code)
        .prefetch_related(
            Prefetch("opco_attachments", queryset=OpcoAttachment.objects.select_related("opco"))
        )
        .prefetch_related("cpnes")
        .first()
    )


def current_opco(agreement: CollectiveAgreement) -> Opco | None:
    """The OPCO of an agreement fetched with `get_agreement` / `search_agreements` (prefetched)."""
    attachments = list(agreement.opco_attachments.all())
    if not attachments:
        return None
    dated = [a for a in attachments if a.valid_from]
    return max(dated, key=lambda a: a.valid_from).opco if dated else attachments[0].opco


def search_agreements(q: str = "") -> QuerySet[CollectiveAgreement]:
    """By IDCC ("16", "0016") or by words of the title, accent- and case-insensitive."""
    qs = CollectiveAgreement.objects.prefetch_related(
        Prefetch("opco_attachments", queryset=OpcoAttachment.objects.select_related("opco"))
    )
    q = (q or "").strip()
    if not q:
        return qs.order_by("idcc")
    if q.isdigit():
        code = parse_idcc_or_none(q)
        return qs.filter(idcc=code) if code else qs.none()
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("idcc")


def opcos() -> QuerySet[Opco]:
    from django.db.models import Count

    return Opco.objects.annotate(agreement_count=Count("attachments")).order_by("short_name", "name")


def cpnes_for_idcc(idcc: str | int) -> QuerySet[CpneReference]:
    code = parse_idcc_or_none(idcc)
    return CpneReference.objects.filter(agreements__idcc=code) if code else CpneReference.objects.none()


def search_rome(q: str = "") -> QuerySet[RomeCode]:
    qs = RomeCode.objects.order_by("code")
    q = (q or "").strip()
    if not q:
        return qs
    if len(q) == 5 and q[0].isalpha() and q[1:].isdigit():
        return qs.filter(code=q.upper())
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    return qs


def nsf_codes(level: str | None = None) -> QuerySet[NsfCode]:
    qs = NsfCode.objects.order_by("code")
    return qs.filter(level=level) if level else qs


def nsf_label(code: str) -> str | None:
    """Label of an NSF code; for an unknown sub-group (e.g. 221w), the group's and the letter's."""
    from cqphub.reference.parsers import normalize_nsf_code

    code = normalize_nsf_code(code)
    found = NsfCode.objects.filter(code=code).values_list("label", flat=True).first()
    if found or len(code) != 4:
        return found
    group = NsfCode.objects.filter(code=code[:3]).values_list("label", flat=True).first()
    letter = NsfCode.objects.filter(code=code[3]).values_list("label", flat=True).first()
    return f"{group} ({letter.lower()})" if group and letter else group
