"""Evaluate the rule book: `evaluate(facts, person, on)` → findings, and a fast path for many facts.

Pure Python, stdlib only: the engine never imports Django (tests/rules/test_purity.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache

from cqphub.rules.book import GENERAL_IDS, rules_on
from cqphub.rules.citations import SNAPSHOT, Citation, cite_on
from cqphub.rules.context import Ctx
from cqphub.rules.facts import CertificationFacts, PersonSituation
from cqphub.rules.model import Decision, Finding, Rule, weakest


@lru_cache(maxsize=4096)
def _citations(rule: Rule, extra: tuple[str, ...], on: date) -> tuple[Citation, ...]:
    keys = dict.fromkeys((*rule.citations, *extra))
    return tuple(cite_on(key, on) for key in keys)


def caveat_for(on: date) -> dict[str, str] | None:
    """What an answer for a date after the texts' consolidation date must say (audit C3).

    Where we differ from the audit: it asks that certainty drop after 2026-03-27. We keep each
    finding's certainty (it says how the rule was established: a Code du travail article, an official
    page, a secondary source, our reading) and add `checked_until` and this caveat to every finding
    and to the pages. Lowering everything to "our reading" would erase the difference between a
    verified article and an editorial choice, which is what the reader needs to weigh an answer.
    """
    if on <= SNAPSHOT:
        return None
    day_fr, day_en = SNAPSHOT.strftime("%d/%m/%Y"), SNAPSHOT.isoformat()
    return {
        "fr": f"Vérifié dans les textes consolidés au {day_fr} ; les textes postérieurs n'ont pas été vérifiés.",
        "en": f"Checked against the texts consolidated on {day_en}; later texts were not checked.",
    }


def _finding(rule: Rule, decision: Decision, on: date, caveat: dict[str, str] | None) -> Finding:
    return Finding(
        id=rule.finding,
        outcome=decision.outcome,
        explanation={"fr": decision.fr, "en": decision.en},
        citations=_citations(rule, decision.cites, on),
        certainty=weakest(rule.certainty, decision.certainty),
        rule=rule.id,
        value=decision.value,
        checked_until=SNAPSHOT,
        caveat=caveat,
    )


def evaluate(
    facts: CertificationFacts,
    person: PersonSituation | None = None,
    on: date | None = None,
    *,
    only: Iterable[str] | None = None,
) -> list[Finding]:
    """Every finding for this certification (and person, when given) on `on` (default: today).

    Without a person, the findings answer for the certification: person-dependent ones say who they
    are open to. `only` keeps the findings whose id is listed.
    """
    on = on or date.today()
    ctx = Ctx.build(facts, person, on)
    wanted = frozenset(only) if only is not None else None
    caveat = caveat_for(on)
    return [
        _finding(rule, rule.decide(ctx, rule), on, caveat)
        for rule in rules_on(on)
        if wanted is None or rule.finding in wanted
    ]


def general_findings(facts: CertificationFacts, on: date | None = None) -> list[Finding]:
    """The findings that need no person: what a certification page shows to everyone."""
    return evaluate(facts, None, on, only=GENERAL_IDS)


def evaluate_many(
    facts_list: Iterable[CertificationFacts],
    person: PersonSituation | None = None,
    on: date | None = None,
) -> Iterator[tuple[CertificationFacts, list[Finding]]]:
    """The whole-registry question: the findings for one person against many certifications.

    Findings are immutable and do not name the certification, so certifications with the same
    profile (kind, register, dates, level, VAE route…) share one evaluation.
    """
    on = on or date.today()
    rules_on(on)  # validates the date once
    memo: dict[tuple, list[Finding]] = {}
    for facts in facts_list:
        key = facts.profile()
        findings = memo.get(key)
        if findings is None:
            findings = memo[key] = evaluate(facts, person, on)
        yield facts, findings
