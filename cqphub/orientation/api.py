"""Orientation endpoint of the JSON API: `POST /api/v1/orientation`, the engine's findings as JSON.

Same input and output as `cqphub rules explain`: 422 with a message naming the key on bad input, 404
for a code the registry does not hold.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict

from cqphub.orientation.services import OrientationError, UnknownCertification, explain

router = Router(tags=["orientation"])


class _Loose(Schema):
    """Documents the keys; the engine's parser checks them and names the key in its 422 message."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class SuccessorIn(_Loose):
    code: Any = Field(None, description="RNCP12345 or RS1234")
    register_: Any = Field(
        None, alias="register", description="RNCP or RS (deduced from the code when absent)"
    )
    registered_from: Any = Field(None, description="YYYY-MM-DD")
    registered_until: Any = Field(None, description="YYYY-MM-DD, last day in force")
    level: Any = Field(None, description="1–8")


class RoutesIn(_Loose):
    initial: Any = None
    apprenticeship: Any = None
    continuing: Any = None
    professionalisation: Any = None
    individual: Any = None
    vae: Any = None


class FactsIn(_Loose):
    kind: Any = Field(None, description="CQP, CQPI or other")
    abbreviation: Any = None
    register_: Any = Field(None, alias="register", description="RNCP, RS or null")
    code: Any = None
    title: Any = None
    registered_from: Any = None
    registered_until: Any = None
    active: Any = None
    level: Any = None
    vae_route: Any = None
    partial_validation: Any = None
    transmitted: Any = Field(
        None, description="CQP transmitted to France compétences and the CDC; null = unknown"
    )
    idcc: Any = None
    branch_opco: Any = None
    routes: RoutesIn | None = Field(None, description="the fiche's access routes; a key absent = not stated")
    successors: list[SuccessorIn] | None = Field(None, description="successor fiches, nearest first")
    socle: Any = Field(None, description="the socle de connaissances et de compétences (CléA)")
    on_france_vae: Any = Field(None, description="on the France VAE portal; null = unknown")
    registered_by_right: Any = Field(None, description="registered by right (L. 6113-5 I)")


class PersonIn(_Loose):
    status: Any = Field(
        ..., description="young_in_training, apprentice, employee, job_seeker or self_employed (required)"
    )
    age: Any = None
    disability: Any = Field(None, description="RQTH or another BOETH title")
    benefits: Any = Field(None, description="any of RSA, ASS, AAH, invalidity_pension, atmp_annuity")
    sector: Any = Field(None, description="private (default) or public")
    contract: Any = Field(
        None, description="cdi, cdd, interim, apprenticeship, professionalisation, cui or other"
    )
    former_cui: Any = None
    esat: Any = None
    part_time_below_half: Any = None
    qualification_level: Any = Field(None, description="highest level held, 1–8")
    low_qualified: Any = None
    employer_idcc: Any = None
    employer_opco: Any = None
    experience_months: Any = None
    employer_tops_up_cpf: Any = None
    uses_c2p_or_atmp: Any = None
    vae_requests_this_year: Any = None
    manager: Any = None
    obtained_on: Any = None
    training_started_on: Any = None
    vae_admissible_on: Any = None
    in_registration_cohort: Any = None


class OrientationIn(Schema):
    certification: str | None = None
    facts: FactsIn | None = None
    person: PersonIn
    on: date | None = None


class ExplanationOut(Schema):
    fr: str
    en: str


class CitationOut(Schema):
    ref: str
    text: str
    url: str
    in_force_since: str | None
    in_force_until: str | None = None
    later_than_date: bool = False  # the version linked came into force after the date asked


class FindingOut(Schema):
    id: str
    outcome: str
    value: Any = None
    explanation: ExplanationOut
    citations: list[CitationOut]
    certainty: str
    rule: str
    checked_until: str  # consolidation date of the texts checked
    caveat: ExplanationOut | None = None  # said when the date asked is after checked_until


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
    facts = payload.facts.model_dump(exclude_unset=True, by_alias=True) if payload.facts is not None else None
    try:
        result = explain(
            certification=payload.certification,
            facts=facts,
            person=payload.person.model_dump(exclude_unset=True),
            on=payload.on,
        )
    except UnknownCertification as exc:
        raise HttpError(404, f"certification {exc.code} is not in the registry")
    except OrientationError as exc:
        raise HttpError(422, str(exc))
    return result.to_dict()
