"""Nomenclatures as JSON: `/api/v1/idcc`, `/api/v1/idcc/{idcc}`, `/api/v1/opco`, `/api/v1/rome`, `/api/v1/nsf`."""

from __future__ import annotations

from math import ceil

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from cqphub.reference import selectors
from cqphub.reference.models import NsfLevel
from cqphub.reference.parsers import parse_idcc_or_none

router = Router(tags=["reference"])

MAX_PAGE_SIZE = 100
LEVEL_QUERY = Query(None, description="domain, subdomain, group, subgroup or letter.")


class Message(Schema):
    detail: str


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000, description="Page number, from 1 (at most 100000).")
    page_size: int = Field(
        20, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page (at most {MAX_PAGE_SIZE})."
    )


class OpcoOut(Schema):
    name: str = Field(description="Name in France compétences' IDCC → OPCO table.")
    short_name: str = Field(description="Usual name, e.g. AKTO, OPCO EP.")


class OpcoListItem(OpcoOut):
    agreement_count: int


class AgreementOut(Schema):
    idcc: str = Field(description="4 digits, zero-padded: 0016.")
    title: str
    short_title: str
    active: bool
    opco: OpcoOut | None


class CpneOut(Schema):
    code: str
    name: str


class AgreementDetail(AgreementOut):
    cpnes: list[CpneOut]
    source: str


class AgreementPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[AgreementOut]


class RomeOut(Schema):
    code: str
    title: str
    parent_code: str


class RomePage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[RomeOut]


class NsfOut(Schema):
    code: str
    label: str
    level: str
    parent_code: str
    official: bool


class NsfPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[NsfOut]


def _page(queryset, paging: PageQuery) -> tuple[dict, list]:
    count = queryset.count()
    start = (paging.page - 1) * paging.page_size
    items = list(queryset[start : start + paging.page_size])
    meta = {
        "count": count,
        "page": paging.page,
        "page_size": paging.page_size,
        "pages": ceil(count / paging.page_size) if count else 0,
    }
    return meta, items


def _agreement(agreement) -> dict:
    opco = selectors.current_opco(agreement)
    return {
        "idcc": agreement.idcc,
        "title": agreement.title,
        "short_title": agreement.short_title,
        "active": agreement.active,
        "opco": opco,
    }


@router.get(
    "/idcc", response=AgreementPage, operation_id="reference_idcc_list", summary="Collective agreements"
)
def idcc_list(
    request,
    paging: Query[PageQuery],
    q: str = Query("", description="IDCC (16, 0016) or words of the title."),
):
    """Collective agreements by IDCC or by words of their title (accent- and case-insensitive)."""
    meta, items = _page(selectors.search_agreements(q), paging)
    return {**meta, "items": [_agreement(a) for a in items]}


@router.get(
    "/idcc/{idcc}",
    response={200: AgreementDetail, 404: Message},
    operation_id="reference_idcc_detail",
    summary="One collective agreement, with its OPCO",
)
def idcc_detail(request, idcc: str):
    code = parse_idcc_or_none(idcc)
    if code is None:
        return Status(
            404, {"detail": _("« %(idcc)s » n'est pas un code IDCC (1 à 4 chiffres).") % {"idcc": idcc}}
        )
    agreement = selectors.get_agreement(code)
    if agreement is None:
        message = _("Aucune convention collective connue sous l'IDCC %(idcc)s.") % {"idcc": code}
        return Status(404, {"detail": message})
    return {
        **_agreement(agreement),
        "cpnes": list(agreement.cpnes.all()),
        "source": agreement.source,
    }


@router.get("/opco", response=list[OpcoListItem], operation_id="reference_opco_list", summary="The OPCOs")
def opco_list(request):
    """The OPCOs, with the number of collective agreements attached to each (11 at most)."""
    return list(selectors.opcos())


@router.get("/rome", response=RomePage, operation_id="reference_rome_list", summary="ROME 4.0 codes")
def rome_list(
    request,
    paging: Query[PageQuery],
    q: str = Query("", description="ROME code (M1202) or words of the title."),
):
    meta, items = _page(selectors.search_rome(q), paging)
    return {**meta, "items": items}


@router.get(
    "/rome/{code}",
    response={200: RomeOut, 404: Message},
    operation_id="reference_rome_detail",
    summary="One ROME code",
)
def rome_detail(request, code: str):
    found = selectors.search_rome(code).filter(code=code.upper()).first()
    if found is None:
        return Status(404, {"detail": _("Aucune fiche ROME connue sous le code %(code)s.") % {"code": code}})
    return found


@router.get("/nsf", response=NsfPage, operation_id="reference_nsf_list", summary="NSF codes")
def nsf_list(
    request,
    paging: Query[PageQuery],
    level: NsfLevel | None = LEVEL_QUERY,
):
    """The nomenclature des spécialités de formation (1994), with the sub-groups learnt from the registry."""
    meta, items = _page(selectors.nsf_codes(level), paging)
    return {**meta, "items": items}
