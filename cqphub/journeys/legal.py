"""The one place the journeys app talks to the rules engine (`cqphub.rules`).

`evaluate(qualification, situation, on)` builds the engine's facts (from the registry fiche when the
CQP is linked to one, through orientation's bridge, else from the branch's own lifecycle record) and
the person's situation, and returns the findings as plain dicts (`Finding.to_dict()`: id, outcome,
explanation fr/en, citations, certainty, rule version). `refusal(findings, route, funding)` names the
finding that closes a route, if any. When the engine changes, only this module follows.
"""

from __future__ import annotations

from bisect import bisect_right
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

# The ages at which the engine's answers change: under 14 the situation is refused (PersonSituation),
# apprenticeship from 15 (after the 3e) and 16 to 29, professionalisation contract 16–25 / 26 and over,
# CEJ and missions locales 16–25 (29 with a disability), 120 the highest age read. Two people whose
# ages fall between the same bounds get the same findings, so a bulk import asks the engine once per
# bracket (tests/journeys/test_legal.py holds every age to it: a new age limit in the rules book
# fails that test until it is added here).
AGE_BOUNDS = (14, 15, 16, 26, 30, 121)


def age_bracket(age: int | None) -> int | None:
    """The index of the bracket of `age` between AGE_BOUNDS (None for an unknown age)."""
    return None if age is None else bisect_right(AGE_BOUNDS, age)


def facts_for(qualification):
    """The engine's facts about this CQP (None when it has none); `evaluate(..., facts=…)` reuses them."""
    return _facts(qualification)


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


_UNSET = object()


def evaluate(
    qualification, situation: dict[str, Any] | None, on: date, *, age: int | None = None, facts=_UNSET
) -> list[dict]:
    """The engine's findings for this CQP, this person and this date, as JSON-safe dicts.

    Raises ValueError (with the key named) for a situation the engine cannot read."""
    from cqphub.rules import evaluate as engine_evaluate

    if facts is _UNSET:
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
