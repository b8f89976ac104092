"""Orientation use cases: explain one certification for one person, orient a person towards CQPs.

Thin glue between the registry / reference tables and the pure engine (`cqphub.rules`): the OPCO
names are looked up here and handed to the engine as plain values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from cqphub.orientation import selectors
from cqphub.registry.models import Certification
from cqphub.rules import CertificationFacts, Finding, PersonSituation, evaluate


class OrientationError(ValueError):
    """Bad input: the message names the key and what was expected."""


class UnknownCertification(LookupError):
    def __init__(self, code: str):
        self.code = code
        super().__init__(f"certification {code!r} is not in the registry")


def parse_on(value: Any) -> date:
    if value in (None, ""):
        return date.today()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise OrientationError(f"on: expected a date as YYYY-MM-DD, got {value!r}")


def person_from(data: Mapping[str, Any] | PersonSituation) -> PersonSituation:
    """Parse the person and fill in the employer's OPCO from the IDCC → OPCO reference table."""
    try:
        person = data if isinstance(data, PersonSituation) else PersonSituation.from_dict(data)
    except ValueError as exc:
        raise OrientationError(str(exc))
    if person.employer_idcc and not person.employer_opco:
        name = selectors.opco_name_for_idcc(person.employer_idcc)
        if name:
            person = replace(person, employer_opco=name)
    return person


@dataclass
class Explanation:
    certification: str | None
    on: date
    facts: CertificationFacts
    person: PersonSituation | None
    findings: list[Finding]
    record: Certification | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "certification": self.certification,
            "on": self.on.isoformat(),
            "findings": [f.to_dict() for f in self.findings],
        }


def explain(
    *,
    certification: str | None = None,
    facts: Mapping[str, Any] | None = None,
    person: Mapping[str, Any] | PersonSituation | None = None,
    on: Any = None,
) -> Explanation:
    """The findings for a registry certification (by code) or for facts given directly."""
    day = parse_on(on)
    if (certification is None) == (facts is None):
        raise OrientationError("give either certification (a registry code) or facts (an object), not both")
    record = None
    if certification is not None:
        if not isinstance(certification, str) or not certification.strip():
            raise OrientationError(f"certification: expected a code such as RNCP12345, got {certification!r}")
        try:
            record = selectors.get_certification(certification)
        except Certification.DoesNotExist:
            raise UnknownCertification(certification.strip().upper())
        cert_facts = selectors.certification_facts(record)
    else:
        try:
            cert_facts = CertificationFacts.from_dict(facts)
        except ValueError as exc:
            raise OrientationError(str(exc))
        if cert_facts.idcc and not cert_facts.branch_opco:
            cert_facts = replace(cert_facts, branch_opco=selectors.branch_opco_for(cert_facts.idcc))
    who = person_from(person) if person is not None else None
    try:
        findings = evaluate(cert_facts, who, day)
    except ValueError as exc:  # a date before the rule book
        raise OrientationError(str(exc))
    code = record.code if record else cert_facts.code
    return Explanation(code, day, cert_facts, who, findings, record)


@dataclass
class Orientation:
    """The journey's answer: for each certification considered, its findings for this person."""

    person: PersonSituation
    on: date
    results: list[Explanation]


def orient(
    *,
    person: PersonSituation,
    on: date | None = None,
    code: str | None = None,
    trade: str = "",
    limit: int = 10,
) -> Orientation:
    day = on or date.today()
    if code:
        return Orientation(person, day, [explain(certification=code, person=person, on=day)])
    results = []
    for record in selectors.find_certifications(trade, cqp_only=True, limit=limit):
        cert_facts = selectors.certification_facts(record)
        results.append(
            Explanation(record.code, day, cert_facts, person, evaluate(cert_facts, person, day), record)
        )
    return Orientation(person, day, results)
