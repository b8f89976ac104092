"""The engine's inputs as plain typed values: a certification's facts and a person's situation.

Both parse from plain dicts (JSON files, API bodies, query strings) with `from_dict`, which raises a
`ValueError` naming the key and what was expected. Pure Python, stdlib only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    CQP = "CQP"
    CQPI = "CQPI"
    OTHER = "other"  # any other certification (diploma, titre, RS certification…)


class Register(StrEnum):
    RNCP = "RNCP"
    RS = "RS"


class Status(StrEnum):
    YOUNG_IN_TRAINING = "young_in_training"  # pupil or student in initial training, or leaving it
    APPRENTICE = "apprentice"  # an employee under an apprenticeship contract (L. 6221-1)
    EMPLOYEE = "employee"
    JOB_SEEKER = "job_seeker"
    SELF_EMPLOYED = "self_employed"


class Benefit(StrEnum):
    RSA = "RSA"
    ASS = "ASS"
    AAH = "AAH"
    INVALIDITY_PENSION = "invalidity_pension"  # BOETH (L. 5212-13 3°)
    ATMP_ANNUITY = "atmp_annuity"  # accident du travail / maladie professionnelle annuity: BOETH (2°)


BOETH_BENEFITS = frozenset({Benefit.AAH, Benefit.INVALIDITY_PENSION, Benefit.ATMP_ANNUITY})


class Sector(StrEnum):
    PRIVATE = "private"
    PUBLIC = "public"  # a public agent: the Code général de la fonction publique, outside this book


class Contract(StrEnum):
    CDI = "cdi"
    CDD = "cdd"
    INTERIM = "interim"
    APPRENTICESHIP = "apprenticeship"
    PROFESSIONALISATION = "professionalisation"
    CUI = "cui"  # contrat unique d'insertion (L. 5134-19-1)
    OTHER = "other"


ROUTE_KEYS = ("initial", "apprenticeship", "continuing", "professionalisation", "individual", "vae")


def _date(data: Mapping[str, Any], key: str, where: str) -> date | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{where}.{key}: expected a date as YYYY-MM-DD, got {value!r}")


def _bool(data: Mapping[str, Any], key: str, where: str, default: bool | None = None) -> bool | None:
    value = data.get(key, default)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "1", "yes", "on", "oui"}:
        return True
    if isinstance(value, str) and value.lower() in {"false", "0", "no", "off", "non", ""}:
        return False
    raise ValueError(f"{where}.{key}: expected true or false, got {value!r}")


def _int(
    data: Mapping[str, Any], key: str, where: str, *, low: int | None = None, high: int | None = None
) -> int | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{where}.{key}: expected a whole number, got {value!r}")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{where}.{key}: expected a whole number, got {value!r}")
    if isinstance(value, float) and value != number:
        raise ValueError(f"{where}.{key}: expected a whole number, got {value!r}")
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValueError(f"{where}.{key}: expected a number between {low} and {high}, got {number}")
    return number


def _enum(enum: type[StrEnum], data: Mapping[str, Any], key: str, where: str, *, required: bool = False):
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise ValueError(f"{where}.{key}: required, one of {', '.join(e.value for e in enum)}")
        return None
    for member in enum:
        if str(value) == member.value or str(value).lower() == member.value.lower():
            return member
    raise ValueError(f"{where}.{key}: expected one of {', '.join(e.value for e in enum)}, got {value!r}")


def _idcc(value: Any, where: str) -> str:
    text = str(value).strip()
    if not text.isdigit() or len(text) > 4:
        raise ValueError(f"{where}: an IDCC is 1 to 4 digits, got {value!r}")
    return text.zfill(4)


def _strings(data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = data.get(key)
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = [part for part in value.replace(";", ",").split(",") if part.strip()]
    if not isinstance(value, Iterable):
        raise ValueError(f"{where}.{key}: expected a list, got {value!r}")
    return tuple(str(item).strip() for item in value)


def _check_keys(data: Mapping[str, Any], cls: type, where: str, aliases: Iterable[str] = ()) -> None:
    if not isinstance(data, Mapping):
        raise ValueError(f"{where}: expected an object, got {type(data).__name__}")
    known = {f.name for f in fields(cls)} | set(aliases)
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")


@dataclass(frozen=True, slots=True)
class Successor:
    """A fiche that continues this one (the registry's continuity links), with its registration."""

    code: str
    register: Register | None = None
    registered_from: date | None = None
    registered_until: date | None = None
    level: int | None = None

    def in_force(self, on: date) -> bool:
        if self.register is None or (self.registered_from is None and self.registered_until is None):
            return False
        return (self.registered_from is None or on >= self.registered_from) and (
            self.registered_until is None or on <= self.registered_until
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str) -> Successor:
        _check_keys(data, cls, where)
        code = str(data.get("code") or "").strip().upper()
        if not code:
            raise ValueError(f"{where}.code: required, e.g. RS6117")
        register = _enum(Register, data, "register", where) or next(
            (r for r in Register if code.startswith(r.value)), None
        )
        return cls(
            code=code,
            register=register,
            registered_from=_date(data, "registered_from", where),
            registered_until=_date(data, "registered_until", where),
            level=_int(data, "level", where, low=1, high=8),
        )


def _routes(data: Mapping[str, Any], where: str) -> tuple[tuple[str, bool], ...]:
    value = data.get("routes")
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}.routes: expected an object with keys among {', '.join(ROUTE_KEYS)}")
    unknown = sorted(set(value) - set(ROUTE_KEYS))
    if unknown:
        raise ValueError(
            f"{where}.routes: unknown key(s) {', '.join(unknown)}; known: {', '.join(ROUTE_KEYS)}"
        )
    out = []
    for key in ROUTE_KEYS:
        stated = _bool(value, key, f"{where}.routes")
        if stated is not None:
            out.append((key, stated))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class CertificationFacts:
    """What the engine needs to know about one certification (a registry fiche or a branch-only CQP)."""

    kind: Kind = Kind.OTHER
    register: Register | None = None  # None: not registered (branch-only CQP, or nothing)
    code: str | None = None  # RNCP12345, RS1234, or the branch's own reference
    title: str = ""
    registered_from: date | None = None
    registered_until: date | None = None  # last day in force
    active: bool | None = None  # the register's flag, used only when no dates are known
    level: int | None = None  # 1–8 on the national framework, None = "sans niveau"
    vae_route: bool = False  # the fiche opens the VAE route
    partial_validation: bool | None = None  # validation by blocs
    transmitted: bool | None = None  # CQP transmitted to France compétences and the CDC (L. 6113-4)
    idcc: tuple[str, ...] = ()  # collective agreements of the creating branch(es)
    branch_opco: str | None = None  # OPCO of the creating branch, when the caller knows it
    # The fiche's access routes as stated (keys of ROUTE_KEYS); a key absent = not stated, never closed.
    routes: tuple[tuple[str, bool], ...] = ()
    successors: tuple[Successor, ...] = ()  # nearest first (continuity links)
    socle: bool = False  # the certification relative to the socle de connaissances et de compétences (CléA)
    on_france_vae: bool | None = None  # on the France VAE portal (R. 6412-1 NOTA); None = unknown
    registered_by_right: bool | None = None  # "enregistrement de droit" (L. 6113-5 I), else on request (II)

    @property
    def is_cqp(self) -> bool:
        return self.kind in (Kind.CQP, Kind.CQPI)

    def route(self, key: str) -> bool | None:
        """The fiche's statement on an access route: True (open), False (closed), None (not stated)."""
        for name, stated in self.routes:
            if name == key:
                return stated
        return None

    def successor_on(self, on: date) -> Successor | None:
        """The nearest successor whose registration is in force on `on`, if any."""
        return next((s for s in self.successors if s.in_force(on)), None)

    def profile(self) -> tuple:
        """Everything the rules read: two facts with the same profile get the same findings."""
        return (
            self.kind,
            self.register,
            self.registered_from,
            self.registered_until,
            self.active,
            self.level,
            self.vae_route,
            self.partial_validation,
            self.transmitted,
            self.branch_opco,
            self.routes,
            self.successors,
            self.socle,
            self.on_france_vae,
            self.registered_by_right,
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "facts") -> CertificationFacts:
        _check_keys(data, cls, where, aliases=("abbreviation",))
        successors_raw = data.get("successors") or ()
        if isinstance(successors_raw, Mapping) or isinstance(successors_raw, str):
            raise ValueError(f"{where}.successors: expected a list of objects with a code")
        successors = tuple(
            Successor.from_dict(
                item if isinstance(item, Mapping) else {"code": item}, f"{where}.successors[{i}]"
            )
            for i, item in enumerate(successors_raw)
        )
        kind = _enum(Kind, data, "kind", where)
        if kind is None and str(data.get("abbreviation", "")).upper() in {"CQP", "CQPI", "CQPM"}:
            kind = Kind.CQPI if str(data["abbreviation"]).upper() == "CQPI" else Kind.CQP
        register = _enum(Register, data, "register", where)
        code = data.get("code")
        if code is not None and not isinstance(code, str):
            raise ValueError(f"{where}.code: expected text, got {code!r}")
        code = code.strip().upper() if code else None
        if code and register is None:
            register = next((r for r in Register if code.startswith(r.value)), None)
        start = _date(data, "registered_from", where)
        end = _date(data, "registered_until", where)
        if start and end and end < start:
            raise ValueError(f"{where}.registered_until: {end} is before registered_from {start}")
        idcc_raw = data.get("idcc") or ()
        if isinstance(idcc_raw, str | int):
            idcc_raw = [idcc_raw]
        idcc = tuple(_idcc(v, f"{where}.idcc[{i}]") for i, v in enumerate(idcc_raw))
        return cls(
            kind=kind or Kind.OTHER,
            register=register,
            code=code,
            title=str(data.get("title") or ""),
            registered_from=start,
            registered_until=end,
            active=_bool(data, "active", where),
            level=_int(data, "level", where, low=1, high=8),
            vae_route=bool(_bool(data, "vae_route", where, default=False)),
            partial_validation=_bool(data, "partial_validation", where),
            transmitted=_bool(data, "transmitted", where),
            idcc=idcc,
            branch_opco=(str(data["branch_opco"]) if data.get("branch_opco") else None),
            routes=_routes(data, where),
            successors=successors,
            socle=bool(_bool(data, "socle", where, default=False)),
            on_france_vae=_bool(data, "on_france_vae", where),
            registered_by_right=_bool(data, "registered_by_right", where),
        )


@dataclass(frozen=True, slots=True)
class PersonSituation:
    """The person's situation, as they describe it. Only `status` is required."""

    status: Status
    age: int | None = None
    disability: bool = False  # recognised disabled worker (RQTH) or another BOETH title (L. 5212-13)
    benefits: frozenset[Benefit] = field(default_factory=frozenset)
    sector: Sector | None = None  # None: not said, read as the private sector
    contract: Contract | None = None  # the employment contract of an employee (Pro-A, POE publics)
    former_cui: bool = False  # has held a contrat unique d'insertion (L. 6325-1 3°)
    esat: bool = False  # works in an ESAT (R. 6323-29)
    part_time_below_half: bool = False  # works less than half the legal or agreed time (R. 6323-1 II)
    qualification_level: int | None = None  # highest level of the national framework held (Pro-A ceiling)
    low_qualified: bool = False  # no level-3 diploma/title and no CCN-recognised certification
    employer_idcc: str | None = None
    employer_opco: str | None = None  # resolved from employer_idcc by the caller (reference table)
    experience_months: int | None = None  # experience related to the target certification
    employer_tops_up_cpf: bool = False  # employer abondement (L. 6323-4 II 2°): no participation
    uses_c2p_or_atmp: bool = False  # C2P points or AT/MP abondement: no participation (R. 6323)
    vae_requests_this_year: int | None = None  # admissibility requests for other certifications
    manager: bool = False  # cadre: CEP by Apec
    # L. 6113-9: when the person obtained the certification, entered training, was declared admissible
    obtained_on: date | None = None
    training_started_on: date | None = None
    vae_admissible_on: date | None = None
    in_registration_cohort: bool = False

    @property
    def has_disability(self) -> bool:
        """A beneficiary of the employment obligation (BOETH, L. 5212-13): RQTH, AAH, invalidity
        pension, AT/MP annuity (L. 5212-13 lists them; the article is outside the extracts)."""
        return self.disability or bool(self.benefits & BOETH_BENEFITS)

    @property
    def is_apprentice(self) -> bool:
        return self.status is Status.APPRENTICE or self.contract is Contract.APPRENTICESHIP

    @property
    def is_employee(self) -> bool:
        """An employee for the CPF and the employer's routes: apprentices are employees."""
        return self.status in (Status.EMPLOYEE, Status.APPRENTICE)

    @property
    def is_public_agent(self) -> bool:
        return self.sector is Sector.PUBLIC and self.status in (Status.EMPLOYEE, Status.APPRENTICE)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "person") -> PersonSituation:
        _check_keys(data, cls, where)
        status = _enum(Status, data, "status", where, required=True)
        benefits = []
        for i, item in enumerate(_strings(data, "benefits", where)):
            benefit = _enum(Benefit, {"benefit": item}, "benefit", f"{where}.benefits[{i}]")
            if benefit:
                benefits.append(benefit)
        employer_idcc = data.get("employer_idcc")
        return cls(
            status=status,
            age=_int(data, "age", where, low=14, high=120),
            disability=bool(_bool(data, "disability", where, default=False)),
            benefits=frozenset(benefits),
            sector=_enum(Sector, data, "sector", where),
            contract=_enum(Contract, data, "contract", where),
            former_cui=bool(_bool(data, "former_cui", where, default=False)),
            esat=bool(_bool(data, "esat", where, default=False)),
            part_time_below_half=bool(_bool(data, "part_time_below_half", where, default=False)),
            qualification_level=_int(data, "qualification_level", where, low=1, high=8),
            low_qualified=bool(_bool(data, "low_qualified", where, default=False)),
            employer_idcc=_idcc(employer_idcc, f"{where}.employer_idcc") if employer_idcc else None,
            employer_opco=(str(data["employer_opco"]) if data.get("employer_opco") else None),
            experience_months=_int(data, "experience_months", where, low=0, high=1200),
            employer_tops_up_cpf=bool(_bool(data, "employer_tops_up_cpf", where, default=False)),
            uses_c2p_or_atmp=bool(_bool(data, "uses_c2p_or_atmp", where, default=False)),
            vae_requests_this_year=_int(data, "vae_requests_this_year", where, low=0, high=100),
            manager=bool(_bool(data, "manager", where, default=False)),
            obtained_on=_date(data, "obtained_on", where),
            training_started_on=_date(data, "training_started_on", where),
            vae_admissible_on=_date(data, "vae_admissible_on", where),
            in_registration_cohort=bool(_bool(data, "in_registration_cohort", where, default=False)),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, False, frozenset()):
                continue
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, frozenset):
                value = sorted(str(v) for v in value)
            elif isinstance(value, StrEnum):
                value = value.value
            out[f.name] = value
        return out
