"""Registry endpoints of the JSON API (`/api/v1/`): search with facets, one fiche, its blocks.

Thin: translate HTTP to `search_certifications` / `certification_to_dict`. Errors are JSON
(`{"detail": …}`): 404 for an unknown code, 422 for a bad parameter. Responses carry an ETag and a
Last-Modified taken from the last import, and answer 304 to a matching conditional request.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date, parse_http_date_safe
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import WithJsonSchema

from cqphub.registry.models import Certification, ImportRun
from cqphub.registry.search import FilterError, SearchFilters, search_certifications
from cqphub.registry.search.engine import MAX_PAGE, MAX_PAGE_SIZE
from cqphub.registry.search.filters import KINDS, MAX_VALUES, REGISTERS, ROUTE_ALIASES, ROUTES, STATUSES
from cqphub.registry.search.index import noting_older_answers
from cqphub.registry.search.serialize import results_to_dict
from cqphub.registry.serializers import certification_to_dict, with_children

router = Router(tags=["registry"])
CACHE_SECONDS = 300


# -- schemas -------------------------------------------------------------------------------------
class ErrorOut(Schema):
    detail: str


class HighlightOut(Schema):
    title: str
    snippet: str | None
    snippet_source: str | None


class HitOut(Schema):
    code: str
    register_: str = Field(alias="register")
    title: str
    abbreviation: str
    level: int | None
    active: bool
    is_cqp: bool
    is_interbranch: bool
    end_date: str | None
    certifiers: list[str]
    matched_in: str
    highlight: HighlightOut


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class SearchOut(Schema):
    query: str
    filters: dict[str, str | bool | list[str] | list[int]]
    page: int
    page_size: int
    pages: int
    total: int
    exact_code: str | None
    results: list[HitOut]
    facets: dict[str, list[FacetValueOut]]


class CodeLabel(Schema):
    code: str
    label: str


class AbbreviationOut(Schema):
    code: str
    label: str


class DatesOut(Schema):
    decision: str | None
    effect: str | None
    end: str | None
    delivery_deadline: str | None
    last_jo: str | None = None
    publication: str | None = None


class BlockOut(Schema):
    code: str
    title: str
    skills: str
    assessment: str
    entry_prerequisites: str = ""
    validation_prerequisites: str = ""


class CertifierOut(Schema):
    siret: str
    name: str
    state: str
    state_changed_on: str | None = None
    trade_name: str = ""
    website: str = ""


class PartnerOut(Schema):
    siret: str
    name: str
    habilitation: str
    state: str
    state_changed_on: str | None
    active_since: str | None = None


class SuccessorOut(Schema):
    """A fiche replacing this one, with what the rules engine needs."""

    code: str
    register_: str = Field(alias="register")
    title: str
    registered_from: str | None
    registered_until: str | None
    level: int | None
    registration_status: str | None
    in_registry: bool


class RoutesOut(Schema):
    initial: bool
    apprenticeship: bool
    continuing: bool
    professionalisation: bool
    individual: bool
    vae: bool


class TextsOut(Schema):
    activities: str
    capacities: str
    sectors: str
    jobs: str
    objectives: str
    prerequisites: str
    regulations: str
    validation_prerequisites: str = ""
    skill_mastery_level: str = ""
    renewal_terms: str = ""
    validity_duration: str = ""
    partial_validation_scope: str = ""


class CertificationOut(Schema):
    """The full curated record: the same keys as `cqphub registry show --json`."""

    code: str
    fiche_id: int | None
    register_: str = Field(alias="register")
    title: str
    abbreviation: AbbreviationOut
    state: str
    level: int | None
    level_label: str
    active: bool
    withdrawn: bool
    registration_type: str
    registration_status: str
    dates: DatesOut
    duration: str
    partial_validation: bool | None
    blocks: list[BlockOut]
    certifiers: list[CertifierOut]
    partners: list[PartnerOut]
    routes: RoutesOut
    jury_compositions: dict | list
    jury_dates: dict = {}
    rome: list[CodeLabel]
    nsf: list[CodeLabel]
    formacode: list[CodeLabel]
    idcc: list[CodeLabel]
    predecessors: list[str]
    successors: list[str]
    direct_predecessors: list[str]
    direct_successors: list[str]
    successor_fiches: list[SuccessorOut] = []
    correspondences: list | dict
    promotion_stats: list | dict
    promotion_years: str = ""
    publications: list = []
    texts: TextsOut
    accessible_new_caledonia: bool | None = None
    accessible_french_polynesia: bool | None = None
    export_date: str | None = None
    origin: str = "france_competences"
    url: str
    france_competences_url: str
    is_cqp: bool
    is_interbranch: bool
    is_socle: bool = False


class BlocksOut(Schema):
    code: str
    title: str
    partial_validation: bool | None
    blocks: list[BlockOut]


def _values(items: dict) -> Any:
    """A repeatable filter: strings at the door, checked by `SearchFilters.parse` (whose 422 names the
    filter and what it accepts); documented as what that parser accepts, at most 20 values."""
    return Annotated[
        list[str] | None, WithJsonSchema({"type": "array", "items": items, "maxItems": MAX_VALUES})
    ]


def _choice(*values: str) -> Any:
    return Annotated[str | None, WithJsonSchema({"type": "string", "enum": list(values)})]


class SearchIn(Schema):
    """The filters are documented as `SearchFilters.parse` accepts them (enums, patterns, at most 20
    values each), so that a value the schema allows is never refused; other values get its 422."""

    q: str = Field("", description="Words, a quoted phrase, or a code (RNCP37488, RS5719, 37488)")
    register_: _values({"type": "string", "enum": list(REGISTERS)}) = Field(
        None, alias="register", description="RNCP or RS (repeatable)"
    )
    kind: _choice(*KINDS) = Field(None, description="cqp (CQP, CQPI, CQPM) or cqpi (interbranch only)")
    status: _choice(*STATUSES) = Field("active", description="active (default), inactive or all")
    level: _values({"type": "integer", "minimum": 1, "maximum": 8}) = Field(
        None, description="1 to 8 (repeatable)"
    )
    nsf: _values({"type": "string", "pattern": "^[0-9]{3}"}) = Field(
        None, description="NSF domain, 3 digits (repeatable)"
    )
    rome: _values({"type": "string", "pattern": "^[A-Na-n][0-9]{4}$"}) = Field(
        None, description="ROME code, e.g. H2913 (repeatable)"
    )
    idcc: _values({"type": "string", "pattern": "^[0-9]{1,4}$"}) = Field(
        None, description="collective agreement (IDCC), e.g. 1486 (repeatable)"
    )
    certifier: _values({"type": "string"}) = Field(
        None, description="certifier name as published (repeatable)"
    )
    route: _values({"type": "string", "enum": [*ROUTES, *ROUTE_ALIASES]}) = Field(
        None,
        description="initial, apprenticeship, continuing, professionalisation, individual, vae (repeatable)",
    )
    partial: bool | None = Field(None, description="partial validation (by blocks) possible")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


# -- caching ---------------------------------------------------------------------------------------
def _last_import() -> datetime | None:
    return (
        ImportRun.objects.filter(status=ImportRun.Status.DONE, finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )


def _conditional(request: HttpRequest, response: HttpResponse, *, extra: str = "") -> HttpResponse | None:
    """Set ETag / Last-Modified (from the last import); a 304 response when the client is up to date."""
    from cqphub.registry.search.index import current_version

    last = _last_import()
    seed = f"{last.isoformat() if last else '-'}|{current_version() or '-'}|{request.get_full_path()}|{extra}"
    etag = '"' + hashlib.sha256(seed.encode()).hexdigest()[:32] + '"'
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Vary"] = "Accept-Language"
    if last:
        response["Last-Modified"] = http_date(last.timestamp())
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        if etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*":
            return _not_modified(response)
        return None
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if last and since is not None and int(last.timestamp()) <= since:
        return _not_modified(response)
    return None


def _not_modified(response: HttpResponse) -> HttpResponse:
    out = HttpResponse(status=304)
    for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
        if header in response:
            out[header] = response[header]
    return out


def _certification(code: str):
    normalised = code.strip().upper()
    cert = with_children(Certification.objects.all()).filter(code=normalised).first()
    if cert is None:
        raise HttpError(404, f"no certification {normalised} in the registry")
    return cert


# -- endpoints -------------------------------------------------------------------------------------
@router.get(
    "/certifications",
    response={200: SearchOut, 304: None, 422: dict},
    summary="Search certifications",
    operation_id="search_certifications",
    by_alias=True,
)
def search(request: HttpRequest, response: HttpResponse, params: Query[SearchIn]):
    try:
        filters = SearchFilters.parse(request.GET)
    except FilterError as error:
        raise ValidationError([{"type": "value_error", "loc": ["query", error.name], "msg": error.message}])
    not_modified = _conditional(request, response)
    if not_modified:
        return not_modified
    with noting_older_answers() as searches:
        results = search_certifications(params.q, filters, page=params.page, page_size=params.page_size)
    if searches.older:  # answered from the previous index while this process builds the new one
        del response["ETag"]
        response["Cache-Control"] = "no-store"
    return results_to_dict(results)


@router.get(
    "/certifications/{code}",
    response={200: CertificationOut, 304: None, 404: ErrorOut},
    summary="One certification, the full record",
    operation_id="get_certification",
    by_alias=True,
)
def certification(request: HttpRequest, response: HttpResponse, code: str):
    cert = _certification(code)
    not_modified = _conditional(request, response)
    if not_modified:
        return not_modified
    return certification_to_dict(cert)


@router.get(
    "/certifications/{code}/blocks",
    response={200: BlocksOut, 304: None, 404: ErrorOut},
    summary="The skill blocks of one certification",
    operation_id="get_certification_blocks",
)
def blocks(request: HttpRequest, response: HttpResponse, code: str):
    normalised = code.strip().upper()
    cert = Certification.objects.filter(code=normalised).prefetch_related("blocks").first()
    if cert is None:
        raise HttpError(404, f"no certification {normalised} in the registry")
    not_modified = _conditional(request, response)
    if not_modified:
        return not_modified
    return {
        "code": cert.code,
        "title": cert.title,
        "partial_validation": cert.partial_validation,
        "blocks": [
            {"code": b.code, "title": b.title, "skills": b.skills, "assessment": b.assessment}
            for b in cert.blocks.all()
        ],
    }
