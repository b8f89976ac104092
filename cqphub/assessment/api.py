"""JSON API of the assessment app (mounted under /api/v1/): sessions, grids, results entry, sign-off.

For centres' own systems. Authenticated (session or HTTP Basic, `api_auth.py`); an object the
account may not see answers 404. Writes go through the same services as the pages.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from cqphub.assessment import services
from cqphub.assessment.api_auth import API_AUTH
from cqphub.assessment.models import Grid
from cqphub.assessment.selectors import visible_sessions

router = Router(tags=["assessment"], auth=API_AUTH)


class GridRef(Schema):
    id: int
    candidacy: int
    candidate: str
    block: str
    signed: bool
    outcome: str | None


class SessionOut(Schema):
    id: int
    qualification: str
    centre: str
    on: date
    place: str
    status: str
    blocks: list[str]


class SessionDetailOut(SessionOut):
    grids: list[GridRef]


class CriterionOut(Schema):
    id: int
    skill: str
    statement: str
    met: bool | None
    level: str
    comment: str


class ResultOut(Schema):
    outcome: str
    met: int
    total: int
    level: str
    signed_by: str
    signed_at: datetime


class GridOut(Schema):
    id: int
    session: int
    candidacy: int
    block: str
    version: int
    pass_rule: dict
    criteria: list[CriterionOut]
    signed: bool
    result: ResultOut | None


_CRITERION_IDS = {"propertyNames": {"pattern": "^[0-9]{1,18}$"}}  # JSON keys: criterion ids


class ResultsIn(Schema):
    values: dict[int, str | bool | None] = Field(default_factory=dict, json_schema_extra=_CRITERION_IDS)
    comments: dict[int, str] = Field(default_factory=dict, json_schema_extra=_CRITERION_IDS)


class ErrorOut(Schema):
    detail: str


def _session_out(session) -> dict:
    return {
        "id": session.pk,
        "qualification": str(session.qualification),
        "centre": str(session.centre),
        "on": session.on,
        "place": session.place,
        "status": session.status,
        "blocks": [b.code for b in session.blocks.order_by("code")],
    }


def _grid_ref(grid) -> dict:
    result = grid.signed_result()
    return {
        "id": grid.pk,
        "candidacy": grid.candidacy_id,
        "candidate": str(grid.candidacy.candidate),
        "block": grid.block.code,
        "signed": result is not None,
        "outcome": result.outcome if result else None,
    }


def _grid_for(request, pk) -> Grid:
    grid = Grid.objects.select_related("session", "block", "candidacy__candidate").filter(pk=pk).first()
    if grid is None or not visible_sessions(request.user).filter(pk=grid.session_id).exists():
        raise Http404("No such grid.")
    return grid


@router.get("/assessment/sessions", response=list[SessionOut], summary="Assessment sessions the account sees")
def list_sessions(request):
    sessions = visible_sessions(request.user).select_related("qualification", "centre").order_by("-on", "-pk")
    return [_session_out(s) for s in sessions[:500]]


@router.get("/assessment/sessions/{pk}", response={200: SessionDetailOut, 404: ErrorOut})
def get_session(request, pk: int):
    session = visible_sessions(request.user).select_related("qualification", "centre").filter(pk=pk).first()
    if session is None:
        raise Http404("No such session.")
    grids = session.grids.select_related("block", "candidacy__candidate").order_by(
        "candidacy_id", "block__code"
    )
    return {**_session_out(session), "grids": [_grid_ref(g) for g in grids]}


def _grid_out(grid) -> dict:
    entry = grid.current_entry()
    rows = {r.criterion_id: r for r in entry.criterion_results.all()} if entry else {}
    result = grid.signed_result()
    return {
        "id": grid.pk,
        "session": grid.session_id,
        "candidacy": grid.candidacy_id,
        "block": grid.block.code,
        "version": grid.version_id,
        "pass_rule": grid.pass_rule,
        "criteria": [
            {
                "id": c["id"],
                "skill": c["skill"],
                "statement": c["statement"],
                "met": rows[c["id"]].met if c["id"] in rows else None,
                "level": rows[c["id"]].level if c["id"] in rows else "",
                "comment": rows[c["id"]].comment if c["id"] in rows else "",
            }
            for c in grid.criteria
        ],
        "signed": bool(entry and entry.is_signed),
        "result": None
        if result is None
        else {
            "outcome": result.outcome,
            "met": result.met,
            "total": result.total,
            "level": result.level,
            "signed_by": result.signed_by.email,
            "signed_at": result.signed_at,
        },
    }


@router.get(
    "/assessment/grids/{pk}", response={200: GridOut, 404: ErrorOut}, summary="A grid with its current entry"
)
def get_grid(request, pk: int):
    return _grid_out(_grid_for(request, pk))


@router.put(
    "/assessment/grids/{pk}/results",
    response={200: GridOut, 404: ErrorOut, 422: ErrorOut},
    summary="Save criterion values (met / not_met or a level) on the grid's draft",
)
def put_results(request, pk: int, payload: ResultsIn):
    grid = _grid_for(request, pk)
    if not services.may_score(request.user, grid):
        raise Http404("No such grid.")
    try:
        services.record_results(
            actor=request.user, grid=grid, values=payload.values, comments=payload.comments
        )
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages))
    return _grid_out(grid)


@router.post(
    "/assessment/grids/{pk}/sign-off",
    response={200: GridOut, 404: ErrorOut, 422: ErrorOut},
    summary="Sign the grid off (refused while a criterion is missing)",
)
def sign_off(request, pk: int):
    grid = _grid_for(request, pk)
    if not services.may_score(request.user, grid):
        raise Http404("No such grid.")
    try:
        services.sign_off(actor=request.user, grid=grid)
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages))
    return _grid_out(grid)
