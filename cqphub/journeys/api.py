"""JSON API of the journeys app (mounted under /api/v1/ by cqphub/api.py): candidacies for centres'
and branches' own systems.

    GET  /api/v1/candidacies                    list (filters: qualification, route, status, centre, from, to)
    GET  /api/v1/candidacies/{id}               detail: findings, history, positioning, blocks to assess
    POST /api/v1/candidacies                    enrol a candidate (201; 422 with the rule that refuses)
    POST /api/v1/candidacies/{id}/transition    move it along the workflow (409 when not allowed now)

Authentication: `Authorization: Bearer <key>`, a key created with
`cqphub journeys api-token --centre SIRET --user EMAIL` (or `--branch SLUG`). A key is scoped to one
organisation and acts as its user: anything outside both answers 404.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from ninja.errors import HttpError
from ninja.security import HttpBearer

from cqphub.journeys import selectors, services
from cqphub.journeys.enums import Funding, Route, Status
from cqphub.journeys.models import ApiToken, Candidacy

MAX_PAGE = 200


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        found = (
            ApiToken.objects.current()
            .select_related("user", "centre", "branch")
            .filter(key_hash=hash_key(token or ""))
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.api_token = found
        request.user = found.user
        return found


router = Router(tags=["journeys"], auth=TokenAuth())


def scoped(token: ApiToken):
    """The candidacies this key reaches: its user's visible ones, within its one organisation."""
    qs = selectors.visible_candidacies(token.user)
    if token.centre_id:
        return qs.filter(centre_id=token.centre_id)
    from cqphub.qualifications.models import Qualification

    owned = Qualification.objects.filter(committee__branches=token.branch_id).values_list("pk", flat=True)
    return qs.filter(qualification_id__in=list(owned))


def _get(request, pk: int) -> Candidacy:
    candidacy = (
        scoped(request.auth).select_related("candidate", "qualification", "centre").filter(pk=pk).first()
    )
    if candidacy is None:
        raise HttpError(404, "No such candidacy.")
    return candidacy


# -- schemas ---------------------------------------------------------------------------------


class CandidateOut(Schema):
    id: int
    birth_name: str
    usage_name: str
    first_names: str
    sex: str
    birth_year: int
    birth_month: int | None
    birth_day: int | None


class CandidacyOut(Schema):
    id: int
    candidate: CandidateOut
    qualification_id: int
    qualification: str
    version: int = Field(description="number of the published version targeted")
    target: Literal["whole", "blocks"]
    target_blocks: list[str]
    route: Literal["training", "vae"]
    funding: str
    centre_siret: str | None
    status: str
    status_label: str
    planned_start: date | None
    planned_end: date | None
    planned_hours: int | None
    rules_on: date
    created: str


class FindingOut(Schema):
    id: str
    outcome: str
    explanation: dict[str, str]
    rule: str
    citations: list[dict[str, Any]]
    certainty: str


class TransitionOut(Schema):
    from_status: str
    to_status: str
    at: str
    by: str
    reason: str


class PositioningOut(Schema):
    block: str
    outcome: str
    exemption_rule: str


class CandidacyDetail(CandidacyOut):
    findings: list[FindingOut]
    history: list[TransitionOut]
    positioning: list[PositioningOut]
    blocks_to_assess: list[str]
    next_statuses: list[str]


class ErrorOut(Schema):
    detail: str


class Page(Schema):
    count: int
    page: int
    page_size: int
    results: list[CandidacyOut]


class CandidateIn(Schema):
    birth_name: str
    usage_name: str = ""
    first_names: str
    sex: Literal["F", "M"]
    birth_year: int
    birth_month: int | None = None
    birth_day: int | None = None
    birth_commune: str = Field("", description="INSEE commune code, e.g. 69123")
    birth_country: str = Field("", description="INSEE country code 99xxx, for a birth abroad")
    email: str = ""
    phone: str = ""


class CandidacyIn(Schema):
    candidate_id: int | None = Field(None, description="an existing candidate; or give `candidate`")
    candidate: CandidateIn | None = None
    confirm_not_duplicate: bool = Field(
        False, description="create the candidate despite a possible duplicate"
    )
    qualification_id: int
    route: Literal["training", "vae"]
    funding: Literal[tuple(Funding.values)]  # type: ignore[valid-type]
    situation: dict[str, Any] = Field(
        default_factory=lambda: {"status": "employee"},
        description="the person's situation for the rules engine: status (employee, job_seeker, "
        "young_in_training, self_employed), benefits, disability…",
    )
    blocks: list[str] = Field(default_factory=list, description="block codes; empty: the whole CQP")
    planned_start: date | None = None
    planned_end: date | None = None
    planned_hours: int | None = None
    employer_name: str = ""
    employer_siret: str = ""
    submit: bool = False


class TransitionIn(Schema):
    to: Literal[tuple(Status.values)]  # type: ignore[valid-type]
    reason: str = ""


class Filters(Schema):
    qualification: int | None = None
    route: Literal["training", "vae"] | None = None
    status: Literal[tuple(Status.values)] | None = None  # type: ignore[valid-type]
    centre: str | None = Field(None, description="centre SIRET")
    created_from: date | None = None
    created_to: date | None = None
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=MAX_PAGE)


# -- serialisation -----------------------------------------------------------------------------


def _out(c: Candidacy) -> dict:
    cand = c.candidate
    return {
        "id": c.pk,
        "candidate": {
            "id": cand.pk,
            "birth_name": cand.birth_name,
            "usage_name": cand.usage_name,
            "first_names": cand.first_names,
            "sex": cand.sex,
            "birth_year": cand.birth_year,
            "birth_month": cand.birth_month,
            "birth_day": cand.birth_day,
        },
        "qualification_id": c.qualification_id,
        "qualification": str(c.qualification),
        "version": c.version.number,
        "target": c.target,
        "target_blocks": [b.code for b in c.target_blocks.all()] if c.target == "blocks" else [],
        "route": c.route,
        "funding": c.funding,
        "centre_siret": c.centre.siret if c.centre_id else None,
        "status": c.status,
        "status_label": str(Status(c.status).label),
        "planned_start": c.planned_start,
        "planned_end": c.planned_end,
        "planned_hours": c.planned_hours,
        "rules_on": c.rules_on,
        "created": c.created.isoformat(),
    }


def _detail(c: Candidacy, user) -> dict:
    data = _out(c)
    data["findings"] = [
        {
            "id": f["id"],
            "outcome": f["outcome"],
            "explanation": f.get("explanation") or {},
            "rule": f.get("rule", ""),
            "citations": f.get("citations") or [],
            "certainty": f.get("certainty", ""),
        }
        for f in c.findings or []
    ]
    data["history"] = [
        {
            "from_status": t.from_status,
            "to_status": t.to_status,
            "at": t.at.isoformat(),
            "by": t.by_repr,
            "reason": t.reason,
        }
        for t in c.transitions.order_by("at", "pk")
    ]
    data["positioning"] = [
        {"block": p.block.code, "outcome": p.outcome, "exemption_rule": p.exemption_rule}
        for p in c.positionings.select_related("block")
    ]
    data["blocks_to_assess"] = [b.code for b in selectors.blocks_to_assess(c)]
    data["next_statuses"] = [str(s) for s in services.available_transitions(c, user)]
    return data


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


# -- endpoints ---------------------------------------------------------------------------------


@router.get("/candidacies", response=Page, summary="Candidacies this key may read")
def list_candidacies(request, filters: Query[Filters]):
    qs = scoped(request.auth)
    if filters.qualification:
        qs = qs.filter(qualification_id=filters.qualification)
    if filters.route:
        qs = qs.filter(route=filters.route)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.centre:
        qs = qs.filter(centre__siret=filters.centre)
    if filters.created_from:
        qs = qs.filter(created__date__gte=filters.created_from)
    if filters.created_to:
        qs = qs.filter(created__date__lte=filters.created_to)
    size = max(1, min(filters.page_size, MAX_PAGE))
    page = max(1, filters.page)
    count = qs.count()
    rows = (
        qs.select_related("candidate", "qualification", "centre", "version")
        .prefetch_related("target_blocks")
        .order_by("-created", "-pk")[(page - 1) * size : page * size]
    )
    return {"count": count, "page": page, "page_size": size, "results": [_out(c) for c in rows]}


@router.get(
    "/candidacies/{pk}",
    response={200: CandidacyDetail, 404: ErrorOut},
    summary="One candidacy with its history",
)
def get_candidacy(request, pk: int):
    return _detail(_get(request, pk), request.auth.user)


@router.post(
    "/candidacies",
    response={201: CandidacyDetail, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Enrol a candidate on a CQP",
)
def create_candidacy(request, payload: CandidacyIn):
    token: ApiToken = request.auth
    user = token.user
    if token.centre_id is None and payload.route == Route.TRAINING:
        raise HttpError(
            422, "route: a training candidacy is created by the centre that holds it (a centre key)."
        )
    from cqphub.qualifications.models import Qualification

    qualification = Qualification.objects.filter(pk=payload.qualification_id).first()
    from cqphub.journeys.rules import can_create_candidacy

    if qualification is None or not can_create_candidacy(user, token.centre, qualification, token.branch):
        raise HttpError(404, "No such qualification.")
    version = qualification.latest_published()
    if version is None:
        raise HttpError(422, "qualification: no published version.")
    try:
        candidate = _candidate_for(payload, user, token)
        blocks_by_code = {b.code.upper(): b for b in version.ordered_blocks()}
        unknown = [code for code in payload.blocks if code.upper() not in blocks_by_code]
        if unknown:
            raise HttpError(422, f"blocks: not in this CQP: {', '.join(unknown)}")
        candidacy = services.create_candidacy(
            actor=user,
            candidate=candidate,
            version=version,
            route=payload.route,
            funding=payload.funding,
            centre=token.centre,
            target_blocks=[blocks_by_code[c.upper()] for c in payload.blocks],
            situation=payload.situation,
            employer_name=payload.employer_name,
            employer_siret=payload.employer_siret,
            planned_start=payload.planned_start,
            planned_end=payload.planned_end,
            planned_hours=payload.planned_hours,
            submit=payload.submit,
        )
    except services.RouteRefused as exc:
        raise HttpError(422, f"refused by {exc.finding['id']}: {exc.messages[0]}")
    except ValidationError as exc:
        raise HttpError(422, _messages(exc))
    return Reply(201, _detail(candidacy, user))


def _candidate_for(payload: CandidacyIn, user, token: ApiToken):
    """The candidate named by `candidate_id` (one the key may see), or the one `candidate` describes, created."""
    if payload.candidate_id is not None:
        candidate = (
            selectors.visible_candidates(user).filter(pk=payload.candidate_id).first()
            if payload.candidate is None
            else None
        )
        if candidate is None:
            raise HttpError(404, "No such candidate.")
    elif payload.candidate is not None:
        try:
            candidate = services.create_candidate(
                actor=user,
                centre=token.centre,
                confirm_not_duplicate=payload.confirm_not_duplicate,
                **payload.candidate.dict(),
            )
        except services.DuplicateCandidate as exc:
            raise HttpError(
                409,
                f"{exc.messages[0]} (candidate ids: {', '.join(str(c.pk) for c in exc.duplicates)})",
            )
    else:
        raise HttpError(422, "candidate: give candidate_id or candidate.")
    return candidate


@router.post(
    "/candidacies/{pk}/transition",
    response={200: CandidacyDetail, 404: ErrorOut, 409: ErrorOut},
    summary="Move a candidacy on (409 when the workflow refuses the move from its current status)",
)
def transition_candidacy(request, pk: int, payload: TransitionIn):
    candidacy = _get(request, pk)
    user = request.auth.user
    if not user.has_perm("journeys.transition_candidacy", candidacy):
        raise HttpError(404, "No such candidacy.")
    try:
        services.transition(candidacy, payload.to, by=user, reason=payload.reason)
    except ValidationError as exc:  # the workflow refuses this move from the candidacy's current state
        raise HttpError(409, _messages(exc))
    return _detail(_get(request, pk), user)
