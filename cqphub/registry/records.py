"""The curated shape of one published fiche, as plain data (no Django).

Parsers (XML v4.x, CSV export) produce `FicheRecord`s; the import service writes them. Keeping this
shape free of the ORM lets the parsers be tested in microseconds and reused by benchmarks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

ROUTE_KINDS = ("initial", "apprenticeship", "continuing", "professionalisation", "individual", "vae")
CLASSIFICATION_SCHEMES = ("rome", "nsf", "formacode", "idcc")


@dataclass(slots=True)
class BlockRecord:
    code: str
    title: str
    skills: str = ""
    assessment: str = ""
    entry_prerequisites: str = ""
    validation_prerequisites: str = ""


@dataclass(slots=True)
class CertifierRecord:
    siret: str
    name: str
    state: str = ""
    state_changed_on: date | None = None
    trade_name: str = ""
    website: str = ""


@dataclass(slots=True)
class PartnerRecord:
    siret: str
    name: str
    habilitation: str = ""
    state: str = ""
    state_changed_on: date | None = None
    active_since: date | None = None


@dataclass(slots=True)
class CodeLabel:
    code: str
    label: str = ""


@dataclass(slots=True)
class FicheRecord:
    """Everything France compétences publishes for one fiche, curated.

    `raw` is the fiche exactly as published (XML bytes of the <FICHE> element, or the CSV rows as
    canonical JSON bytes); `raw_format` says which. `digest` identifies the published content: two
    imports of the same fiche give the same digest, so unchanged fiches are skipped cheaply.
    """

    code: str
    register: str  # "RNCP" | "RS"
    title: str
    raw: bytes
    raw_format: str  # "xml" | "csv"
    digest: str
    fiche_id: int | None = None
    abbreviation_code: str = ""
    abbreviation_label: str = ""
    state: str = ""
    active: bool = False
    level: int | None = None
    level_label: str = ""
    registration_type: str = ""
    decision_date: date | None = None
    effect_date: date | None = None
    end_date: date | None = None
    delivery_deadline: date | None = None
    last_jo_date: date | None = None
    publication_date: date | None = None
    duration: str = ""
    partial_validation: bool | None = None
    has_partners: bool | None = None
    accessible_new_caledonia: bool | None = None
    accessible_french_polynesia: bool | None = None
    url: str = ""
    activities: str = ""
    capacities: str = ""
    sectors: str = ""
    jobs: str = ""
    objectives: str = ""
    prerequisites: str = ""
    regulations: str = ""
    validation_prerequisites: str = ""  # PREREQUIS_VALIDATION_CERTIFICATION (RS)
    skill_mastery_level: str = ""  # NIVEAU_MAITRISE_COMPETENCES
    renewal_terms: str = ""  # MODALITES_RENOUVELLEMENT
    validity_duration: str = ""  # DUREE_VALIDITE
    partial_validation_scope: str = ""  # VALIDATION_PARTIELLE_PERIMETRE
    promotion_years: str = ""  # ANNEES_PROMOTIONS_NIVEAU
    routes: dict[str, bool] = field(default_factory=dict)  # ROUTE_KINDS -> open
    jury_compositions: dict[str, str] = field(default_factory=dict)  # ROUTE_KINDS -> text
    jury_dates: dict[str, str] = field(default_factory=dict)  # ROUTE_KINDS -> ISO date of the last change
    blocks: list[BlockRecord] = field(default_factory=list)
    certifiers: list[CertifierRecord] = field(default_factory=list)
    partners: list[PartnerRecord] = field(default_factory=list)
    rome: list[CodeLabel] = field(default_factory=list)
    nsf: list[CodeLabel] = field(default_factory=list)
    formacode: list[CodeLabel] = field(default_factory=list)
    idcc: list[CodeLabel] = field(default_factory=list)
    predecessors: list[str] = field(default_factory=list)
    successors: list[str] = field(default_factory=list)
    correspondences: list[dict] = field(default_factory=list)  # [{"source": ..., "destination": ...}]
    promotion_stats: list[dict] = field(default_factory=list)  # [{"year": 2018, "certified": 876, ...}]
    publications: list[dict] = field(default_factory=list)  # [{"kind": ..., "title": ..., "date": ...}]
    unknown_elements: list[str] = field(default_factory=list)  # tags no handler reads (kept in `raw`)
    # True when only code, register and digest were read: the caller said it already holds this
    # exact content (see `known` in the parsers), so building the rest would be wasted work.
    partial: bool = False


# `known(code, digest) -> bool`: does the caller already hold this exact published content?
KnownContent = Callable[[str, str], bool]


class ParseError(Exception):
    """A published file that cannot be read: names the file, the fiche and the element or line."""

    def __init__(self, message: str, *, file: str = "", fiche: str = "", where: str = ""):
        self.file, self.fiche, self.where, self.reason = file, fiche, where, message
        parts = [p for p in (file, f"fiche {fiche}" if fiche else "", where) if p]
        super().__init__(f"{' · '.join(parts)}: {message}" if parts else message)
