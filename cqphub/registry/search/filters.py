"""Search filters: one dataclass, parsed from a query string, a dict or `name=value` strings.

Values within one filter are alternatives (`rome=H2913&rome=H2914`: either); filters combine (all).
Bad values raise `FilterError`, which names the filter and what is accepted (the API answers 422).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

ROUTES = ("initial", "apprenticeship", "continuing", "professionalisation", "individual", "vae")
ROUTE_ALIASES = {
    "formation_initiale": "initial",
    "apprentissage": "apprenticeship",
    "formation_continue": "continuing",
    "contrat_professionnalisation": "professionalisation",
    "professionnalisation": "professionalisation",
    "candidature_individuelle": "individual",
}
STATUSES = ("active", "inactive", "all")
KINDS = ("cqp", "cqpi")
REGISTERS = ("RNCP", "RS")
LEVELS = tuple(range(1, 9))
_TRUE = {"1", "true", "yes", "oui", "on"}
_FALSE = {"0", "false", "no", "non", "off"}
_ROME = re.compile(r"^[A-N]\d{4}$")
_NSF = re.compile(r"^\d{3}$")
_IDCC = re.compile(r"^\d{1,4}$")
MAX_VALUES = 20  # per filter


class FilterError(ValueError):
    def __init__(self, name: str, message: str):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


@dataclass(frozen=True)
class SearchFilters:
    register: tuple[str, ...] = ()
    kind: str | None = None  # "cqp": CQP, CQPI or CQPM; "cqpi": interbranch only
    status: str = "active"  # active (default) | inactive | all
    level: tuple[int, ...] = ()
    nsf: tuple[str, ...] = ()  # NSF domain, 3 digits (311 covers 311t, 311p…)
    rome: tuple[str, ...] = ()
    idcc: tuple[str, ...] = ()  # 4 digits
    certifier: tuple[str, ...] = ()  # as published
    route: tuple[str, ...] = ()
    partial: bool | None = None  # partial validation (by blocks) possible

    NAMES = ("register", "kind", "status", "level", "nsf", "rome", "idcc", "certifier", "route", "partial")

    @classmethod
    def parse(cls, data: Mapping | Iterable[str] | None) -> SearchFilters:
        """From a QueryDict / dict (unknown keys such as `q` or `page` ignored) or `name=value` strings."""
        if data is None:
            return cls()
        values: dict[str, list[str]] = {}
        if isinstance(data, Mapping):
            for name in cls.NAMES + ("cqp",):
                if name not in data:
                    continue
                raw = data.getlist(name) if hasattr(data, "getlist") else data[name]
                raw = raw if isinstance(raw, list | tuple) else [raw]
                values[name] = [str(v) for v in raw if v is not None and str(v).strip() != ""]
        else:
            for item in data:
                name, sep, value = str(item).partition("=")
                name = name.strip().lower()
                if not sep:
                    raise FilterError(name or item, "expected NAME=VALUE")
                if name not in cls.NAMES + ("cqp",):
                    raise FilterError(name, f"unknown filter; known: {', '.join(cls.NAMES)}")
                values.setdefault(name, []).extend(v for v in value.split(",") if v.strip())
        return cls._from_values(values)

    @classmethod
    def _from_values(cls, values: dict[str, list[str]]) -> SearchFilters:
        kw: dict = {}
        for name, items in values.items():
            if len(items) > MAX_VALUES:
                raise FilterError(name, f"at most {MAX_VALUES} values")
        if items := values.get("register"):
            kw["register"] = _choices("register", [v.upper() for v in items], REGISTERS)
        kind = [v.lower() for v in values.get("kind", [])]
        if cqp := values.get("cqp"):  # `cqp=1` is `kind=cqp`, `cqp=cqpi` is `kind=cqpi`
            flag = cqp[-1].strip().lower()
            if flag in _TRUE:
                kind.append("cqp")
            elif flag in KINDS:
                kind.append(flag)
            elif flag not in _FALSE:
                raise FilterError("cqp", "expected 1/0, true/false or cqpi")
        if kind:
            kw["kind"] = _choices("kind", kind[-1:], KINDS)[0]
        if items := values.get("status"):
            kw["status"] = _choices("status", [v.lower() for v in items[-1:]], STATUSES)[0]
        if items := values.get("level"):
            levels = []
            for v in items:
                digits = v.lower().removeprefix("niveau").removeprefix("niv").strip()
                if not digits.isdigit() or int(digits) not in LEVELS:
                    raise FilterError("level", f"{v!r} is not a level from 1 to 8")
                levels.append(int(digits))
            kw["level"] = tuple(dict.fromkeys(levels))
        if items := values.get("nsf"):
            kw["nsf"] = _pattern("nsf", [v.strip()[:3] for v in items], _NSF, "3 digits, e.g. 227")
        if items := values.get("rome"):
            kw["rome"] = _pattern("rome", [v.strip().upper() for v in items], _ROME, "e.g. H2913")
        if items := values.get("idcc"):
            checked = _pattern("idcc", [v.strip() for v in items], _IDCC, "up to 4 digits, e.g. 1486")
            kw["idcc"] = tuple(v.zfill(4) for v in checked)
        if items := values.get("certifier"):
            kw["certifier"] = tuple(dict.fromkeys(v.strip() for v in items))
        if items := values.get("route"):
            routes = [ROUTE_ALIASES.get(v.strip().lower(), v.strip().lower()) for v in items]
            kw["route"] = _choices("route", routes, ROUTES)
        if items := values.get("partial"):
            flag = items[-1].strip().lower()
            if flag in _TRUE:
                kw["partial"] = True
            elif flag in _FALSE:
                kw["partial"] = False
            else:
                raise FilterError("partial", "expected 1/0 or true/false")
        return cls(**kw)

    def active_filters(self) -> dict[str, object]:
        """The filters that restrict something (status=active, the default, is not listed)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "status":
                if value != "active":
                    out["status"] = value
            elif value not in ((), None):
                out[f.name] = value
        return out

    def as_query(self) -> list[tuple[str, str]]:
        """Back to query-string pairs (for links that keep the filters)."""
        pairs: list[tuple[str, str]] = []
        for name, value in self.active_filters().items():
            if isinstance(value, tuple):
                pairs.extend((name, str(v)) for v in value)
            elif isinstance(value, bool):
                pairs.append((name, "1" if value else "0"))
            else:
                pairs.append((name, str(value)))
        return pairs


def _choices(name: str, items: list[str], allowed: tuple) -> tuple:
    for v in items:
        if v not in allowed:
            raise FilterError(name, f"{v!r} is not one of {', '.join(map(str, allowed))}")
    return tuple(dict.fromkeys(items))


def _pattern(name: str, items: list[str], pattern: re.Pattern, hint: str) -> tuple[str, ...]:
    for v in items:
        if not pattern.match(v):
            raise FilterError(name, f"{v!r} is not valid ({hint})")
    return tuple(dict.fromkeys(items))
