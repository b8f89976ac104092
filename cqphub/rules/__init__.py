"""The legal rules engine: pure Python, dated rules with citations (no Django, no ORM).

    from cqphub.rules import CertificationFacts, PersonSituation, evaluate
    findings = evaluate(CertificationFacts.from_dict({...}), PersonSituation.from_dict({...}), on)

See docs/rules.md for how the engine is built and how to add a rule when the law changes.
"""

from cqphub.rules.book import BOOK_START, FINDING_IDS, GENERAL_IDS, RULES, rules_on, valid_until, versions
from cqphub.rules.citations import CATALOGUE, Citation, cite
from cqphub.rules.context import RegStatus
from cqphub.rules.engine import evaluate, evaluate_many, general_findings
from cqphub.rules.facts import Benefit, CertificationFacts, Kind, PersonSituation, Register, Status
from cqphub.rules.model import Certainty, Finding, Outcome, Rule

__all__ = [
    "BOOK_START",
    "CATALOGUE",
    "FINDING_IDS",
    "GENERAL_IDS",
    "RULES",
    "Benefit",
    "Certainty",
    "CertificationFacts",
    "Citation",
    "Finding",
    "Kind",
    "Outcome",
    "PersonSituation",
    "RegStatus",
    "Register",
    "Rule",
    "Status",
    "cite",
    "evaluate",
    "evaluate_many",
    "general_findings",
    "rules_on",
    "valid_until",
    "versions",
]
