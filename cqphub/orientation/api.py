"""Orientation endpoint of the JSON API: `POST /api/v1/orientation`, the engine's findings as JSON.

Same input and output as `cqphub rules explain`: 422 with a message naming the key on bad input, 404
for a code the registry does not hold.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Router, Schema
from ninja.errors import HttpError

from cqphub.orientation.services import OrientationError, UnknownCertification, explain

router = Router(tags=["orientation"])


class OrientationIn(Schema):
    certification: str | None = None
    facts: dict[str, Any] | None = None
    person: dict[str, Any]
    on: date | None = None


class ExplanationOut(Schema):
    fr: str
    en: str


class CitationOut(Schema):
    ref: str
    text: str
    url: str
    in_force_since: str | None


class FindingOut(Schema):
    id: str
    outcome: str
    value: Any = None
    explanation: ExplanationOut
    citations: list[CitationOut]
    certainty: str
    rule: str


class OrientationOut(Schema):
    certification: str | None
    on: str
    findings: list[FindingOut]


class ErrorOut(Schema):
    detail: str


@router.post(
    "/orientation",
    response={200: OrientationOut, 404: ErrorOut, 422: ErrorOut},
    summary="What this certification opens for this person on this date, and why",
)
def orientation(request, payload: OrientationIn):
    """Give `certification` (a registry code) or `facts` (a certification's facts), and `person`.

    Each finding has a stable `id`, an `outcome` (yes, no, conditional, info), an optional `value`,
    an explanation in French and English, its citations and the certainty of the rule.
    """
    try:
        result = explain(
            certification=payload.certification, facts=payload.facts, person=payload.person, on=payload.on
        )
    except UnknownCertification as exc:
        raise HttpError(404, f"certification {exc.code} is not in the registry")
    except OrientationError as exc:
        raise HttpError(422, str(exc))
    return result.to_dict()
