"""Orientation endpoint of the JSON API: `POST /api/v1/orientation`, the engine's findings as JSON.

Same input and output as `cqphub rules explain`: 422 with a message naming the key on bad input, 404
for a code the registry does not hold.
"""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, WithJsonSchema

from cqphub.orientation.services import OrientationError, UnknownCertification, explain
from cqphub.rules.book import BOOK_START

router = Router(tags=["orientation"])


def documented(schema: dict, *, nullable: bool = True) -> Any:
    """A value the engine's parser checks (its 422 names the key and what it expects), documented with
    `schema`: exactly what the parser accepts, so that schemathesis holds the two together (a value the
    schema allows is never refused)."""
    return Annotated[Any, WithJsonSchema({"anyOf": [schema, {"type": "null"}]} if nullable else schema)]


def one_of(*values: str, nullable: bool = True) -> Any:
    return documented({"type": "string", "enum": list(values)}, nullable=nullable)


BOOL = documented({"type": "boolean"})
DATE = documented({"type": "string", "format": "date"})
TEXT = documented({"type": "string"})
LEVEL = documented({"type": "integer", "minimum": 1, "maximum": 8})
IDCC = {"type": "string", "pattern": "^[0-9]{1,4}$"}
REGISTER = one_of("RNCP", "RS")


def _non_null(*names: str):
    """`json_schema_extra`: these optional keys, when given, are not null (the engine would read a
    null as absent, which for them means something else)."""

    def edit(schema: dict, _cls) -> None:
        for name in names:
            prop = schema["properties"][name]
            if "anyOf" in prop:
                prop.update(next(p for p in prop.pop("anyOf") if p != {"type": "null"}))

    return edit


class _Loose(Schema):
    """Documents the keys; the engine's parser checks them and names the key in its 422 message."""

    model_config = ConfigDict(
        extra="allow", populate_by_name=True, json_schema_extra={"additionalProperties": False}
    )


class SuccessorIn(_Loose):
    code: Annotated[Any, WithJsonSchema({"type": "string", "pattern": r"\S"})] = Field(
        ..., description="RNCP12345 or RS1234"
    )
    register_: REGISTER = Field(None, alias="register", description="RNCP or RS (deduced from the code)")
    registered_from: DATE = Field(None, description="YYYY-MM-DD")
    registered_until: DATE = Field(None, description="YYYY-MM-DD, last day in force")
    level: LEVEL = Field(None, description="1–8")


class RoutesIn(_Loose):
    initial: BOOL = None
    apprenticeship: BOOL = None
    continuing: BOOL = None
    professionalisation: BOOL = None
    individual: BOOL = None
    vae: BOOL = None


class FactsIn(_Loose):
    kind: one_of("CQP", "CQPI", "other") = Field(None, description="CQP, CQPI or other")
    abbreviation: TEXT = None
    register_: REGISTER = Field(None, alias="register", description="RNCP, RS or null")
    code: TEXT = None
    title: TEXT = None
    registered_from: DATE = None
    registered_until: DATE = Field(None, description="not before registered_from")
    active: BOOL = None
    level: LEVEL = None
    vae_route: BOOL = None
    partial_validation: BOOL = None
    transmitted: BOOL = Field(
        None, description="CQP transmitted to France compétences and the CDC; null = unknown"
    )
    idcc: documented({"type": "array", "items": IDCC, "maxItems": 50}) = None
    branch_opco: TEXT = None
    routes: RoutesIn | None = Field(None, description="the fiche's access routes; a key absent = not stated")
    successors: list[SuccessorIn] | None = Field(None, description="successor fiches, nearest first")
    socle: BOOL = Field(None, description="the socle de connaissances et de compétences (CléA)")
    on_france_vae: BOOL = Field(None, description="on the France VAE portal; null = unknown")
    registered_by_right: BOOL = Field(None, description="registered by right (L. 6113-5 I)")


class PersonIn(_Loose):
    status: one_of(
        "young_in_training", "apprentice", "employee", "job_seeker", "self_employed", nullable=False
    ) = Field(
        ..., description="young_in_training, apprentice, employee, job_seeker or self_employed (required)"
    )
    age: documented({"type": "integer", "minimum": 14, "maximum": 120}) = None
    disability: BOOL = Field(None, description="RQTH or another BOETH title")
    benefits: documented(
        {"type": "array", "items": {"enum": ["RSA", "ASS", "AAH", "invalidity_pension", "atmp_annuity"]}}
    ) = Field(None, description="any of RSA, ASS, AAH, invalidity_pension, atmp_annuity")
    sector: one_of("private", "public") = Field(None, description="private (default) or public")
    contract: one_of("cdi", "cdd", "interim", "apprenticeship", "professionalisation", "cui", "other") = (
        Field(None, description="cdi, cdd, interim, apprenticeship, professionalisation, cui or other")
    )
    former_cui: BOOL = None
    esat: BOOL = None
    part_time_below_half: BOOL = None
    qualification_level: LEVEL = Field(None, description="highest level held, 1–8")
    low_qualified: BOOL = None
    employer_idcc: documented(IDCC) = None
    employer_opco: TEXT = None
    experience_months: documented({"type": "integer", "minimum": 0, "maximum": 1200}) = None
    employer_tops_up_cpf: BOOL = None
    uses_c2p_or_atmp: BOOL = None
    vae_requests_this_year: documented({"type": "integer", "minimum": 0, "maximum": 100}) = None
    manager: BOOL = None
    obtained_on: DATE = None
    training_started_on: DATE = None
    vae_admissible_on: DATE = None
    in_registration_cohort: BOOL = None


class OrientationIn(Schema):
    """Exactly one of `certification` and `facts` (the schema's `oneOf`), and `person`."""

    model_config = ConfigDict(
        json_schema_extra=lambda schema, cls: (
            _non_null("certification", "facts")(schema, cls),
            schema.update(oneOf=[{"required": ["certification"]}, {"required": ["facts"]}]),
        )
    )

    certification: str | None = Field(
        None, pattern=r"\S", max_length=40, description="a registry code, e.g. RNCP37488"
    )
    facts: FactsIn | None = Field(None, description="a certification's facts, instead of a registry code")
    person: PersonIn
    on: documented(
        # the rule book's first day, in a form JSON Schema can check: a year from 2019 on
        {"type": "string", "format": "date", "pattern": r"^(2019|20[2-9][0-9]|2[1-9][0-9]{2}|[3-9][0-9]{3})-"}
    ) = Field(None, description=f"the date of the question (today when absent), from {BOOK_START} on")


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
