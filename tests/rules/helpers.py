"""Builders shared by the rules tests: facts and persons from short keyword arguments."""

from __future__ import annotations

from datetime import date

from cqphub.rules import CertificationFacts, Finding, PersonSituation, evaluate

ON = date(2026, 6, 1)


def facts(**kw) -> CertificationFacts:
    base = {
        "kind": "CQP",
        "register": "RNCP",
        "code": "RNCP12345",
        "registered_from": "2021-03-01",
        "registered_until": "2027-03-01",
        "level": 3,
        "vae_route": True,
        "transmitted": True,
        "idcc": ["1486"],
    }
    base.update(kw)
    return CertificationFacts.from_dict(base)


def branch_only(**kw) -> CertificationFacts:
    return facts(register=None, code=None, registered_from=None, registered_until=None, level=None, **kw)


def person(status: str = "employee", **kw) -> PersonSituation:
    return PersonSituation.from_dict({"status": status, **kw})


def by_id(findings: list[Finding]) -> dict[str, Finding]:
    return {f.id: f for f in findings}


def find(fact: CertificationFacts, who: PersonSituation | None = None, on: date = ON) -> dict[str, Finding]:
    return by_id(evaluate(fact, who, on))
