"""JSON API of the juries app (mounted under /api/v1/): sessions and decisions, read only.

Authenticated like the assessment API (session or HTTP Basic); outsiders get 404. Decisions are
listed with every row, revoked ones included (`revokes` points at the row a decision replaces).
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404
from ninja import Router, Schema

from cqphub.assessment.api_auth import API_AUTH
from cqphub.juries.selectors import visible_sessions

router = Router(tags=["juries"], auth=API_AUTH)


class MemberOut(Schema):
    name: str
    college: str
    president: bool
    present: bool


class EntryOut(Schema):
    candidacy: int
    candidate: str
    attendance: str
    overall: str
    notify_by: date | None
    notified_at: datetime | None


class JurySessionOut(Schema):
    id: int
    qualification: str
    on: date
    place: str
    remote: bool
    status: str


class JurySessionDetailOut(JurySessionOut):
    members: list[MemberOut]
    candidates: list[EntryOut]


class DecisionOut(Schema):
    id: int
    candidacy: int
    block: str
    validated: bool
    proposal: str
    kind: str
    reason: str
    revokes: int | None
    current: bool
    author: str
    at: datetime


class ErrorOut(Schema):
    detail: str


def _out(session) -> dict:
    return {
        "id": session.pk,
        "qualification": str(session.qualification),
        "on": session.on,
        "place": session.place,
        "remote": session.remote,
        "status": session.status,
    }


def _session_for(request, pk):
    session = visible_sessions(request.user).select_related("qualification").filter(pk=pk).first()
    if session is None:
        raise Http404("No such session.")
    return session


@router.get("/juries/sessions", response=list[JurySessionOut], summary="Jury sessions the account sees")
def list_sessions(request):
    return [
        _out(s) for s in visible_sessions(request.user).select_related("qualification").order_by("-on")[:500]
    ]


@router.get("/juries/sessions/{pk}", response={200: JurySessionDetailOut, 404: ErrorOut})
def get_session(request, pk: int):
    session = _session_for(request, pk)
    return {
        **_out(session),
        "members": [
            {"name": m.name, "college": m.college, "president": m.president, "present": m.present}
            for m in session.members.all()
        ],
        "candidates": [
            {
                "candidacy": e.candidacy_id,
                "candidate": str(e.candidacy.candidate),
                "attendance": e.attendance,
                "overall": e.overall,
                "notify_by": e.notify_by,
                "notified_at": e.notified_at,
            }
            for e in session.candidates.select_related("candidacy__candidate")
        ],
    }


@router.get(
    "/juries/sessions/{pk}/decisions",
    response={200: list[DecisionOut], 404: ErrorOut},
    summary="Every decision row of a session (append-only: revoked rows stay)",
)
def list_decisions(request, pk: int):
    session = _session_for(request, pk)
    rows = session.decisions.select_related("block").order_by("candidacy_id", "block__code", "at", "pk")
    revoked = set(session.decisions.filter(revokes__isnull=False).values_list("revokes_id", flat=True))
    return [
        {
            "id": d.pk,
            "candidacy": d.candidacy_id,
            "block": d.block.code,
            "validated": d.validated,
            "proposal": d.proposal,
            "kind": d.kind,
            "reason": d.reason,
            "revokes": d.revokes_id,
            "current": d.pk not in revoked,
            "author": d.author_repr,
            "at": d.at,
        }
        for d in rows
    ]
