"""The one place the journeys app talks to the rules engine (`cqphub.rules`).

`evaluate(qualification, situation, on)` builds the engine's facts (from the registry fiche when the
CQP is linked to one, through orientation's bridge, else from the branch's own lifecycle record) and
the person's situation, and returns the findings as plain dicts (`Finding.to_dict()`: id, outcome,
explanation fr/en, citations, certainty, rule version). `refusal(findings, route, funding)` names the
finding that closes a route, if any. When the engine changes, only this module follows.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from django.utils.translation import get_language

# funding / route → the finding that says whether the law opens it (RULES.md §9.4–9.6)
FUNDING_FINDINGS = {
    "plan": "route.plan",
    "cpf": "cpf.eligible",
    "professionalisation": "route.professionalisation",
    "pro_a": "route.pro_a",
    "reconversion": "route.reconversion",
    "ptp": "route.ptp",
    "poe": "route.poe",
}
ROUTE_FINDINGS = {"vae": "vae.access"}
CLOSED = "no"


def _facts(qualification):
    from cqphub.qualifications.selectors import certification_facts

    facts = certification_facts(qualification)
    certification = qualification.certification
    if certification is None and qualification.fiche_code:
        from cqphub.registry.models import Certification

        certification = Certification.objects.filter(code=qualification.fiche_code).first()
    if certification is not None:
        from cqphub.orientation.selectors import certification_facts as registry_facts

        from_registry = registry_facts(certification)
        # the registry publishes registration; the branch knows transmission (L. 6113-4)
        transmitted = facts.transmitted if facts is not None else None
        facts = replace(from_registry, kind=facts.kind if facts is not None else from_registry.kind)
        facts = replace(facts, transmitted=transmitted)
    return facts


def person(situation: dict[str, Any] | None, age: int | None):
    from cqphub.rules import PersonSituation

    data = dict(situation or {})
    if age is not None:
        data["age"] = age
    data.setdefault("status", "employee")
    return PersonSituation.from_dict(data, where="situation")


def evaluate(
    qualification, situation: dict[str, Any] | None, on: date, *, age: int | None = None
) -> list[dict]:
    """The engine's findings for this CQP, this person and this date, as JSON-safe dicts.

    Raises ValueError (with the key named) for a situation the engine cannot read."""
    from cqphub.rules import evaluate as engine_evaluate

    facts = _facts(qualification)
    if facts is None:
        return []
    return [finding.to_dict() for finding in engine_evaluate(facts, person(situation, age), on)]


def finding_for(route: str, funding: str) -> list[str]:
    ids = []
    if route in ROUTE_FINDINGS:
        ids.append(ROUTE_FINDINGS[route])
    if funding in FUNDING_FINDINGS:
        ids.append(FUNDING_FINDINGS[funding])
    return ids


def refusal(findings: list[dict], route: str, funding: str) -> dict | None:
    """The first finding that closes this route or funding (outcome "no"), or None."""
    by_id = {f["id"]: f for f in findings}
    for finding_id in finding_for(route, funding):
        finding = by_id.get(finding_id)
        if finding is not None and finding.get("outcome") == CLOSED:
            return finding
    return None


def explanation(finding: dict, language: str | None = None) -> str:
    language = (language or get_language() or "fr")[:2]
    texts = finding.get("explanation") or {}
    return texts.get(language) or texts.get("fr") or ""


def citations_text(finding: dict) -> str:
    return ", ".join(c.get("ref") or c.get("key") or "" for c in finding.get("citations") or [])
