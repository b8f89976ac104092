"""The rule book: every rule as dated data (citations, certainty, parameters) plus a small function.

One module per legal section — `status` (legal status and recognition), `cpf`, `vae`, `routes`,
`funding`, `contacts` — and in each, every decision function is followed by its dated versions.

How to read it: each `Rule(finding=…, valid_from=…, …)` is one version of the rule that decides the
finding `finding`, in force from `valid_from` until the day before the next version of the same
finding. Every finding has a version from `BOOK_START`, so every date the engine accepts is covered.

How to change it when the law changes: add a new version with the date the change takes effect, its
citations and certainty, and a test of a date on each side. Never edit the date, parameters or
citations of a version already in force: that would rewrite what the engine answers for the past.
See docs/rules.md.

Sources: RULES.md (the brief) §§2–9; article numbers refer to the Code du travail unless stated.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from cqphub.rules.book import contacts, cpf, funding, routes, status, vae
from cqphub.rules.book.common import BOOK_START, FRANCE_TRAVAIL_FROM, VAE_REFORM, employment_body
from cqphub.rules.model import Rule

SECTIONS = (status, cpf, vae, routes, funding, contacts)

RULES: tuple[Rule, ...] = tuple(rule for section in SECTIONS for rule in section.RULES)

FINDING_IDS: tuple[str, ...] = tuple(dict.fromkeys(rule.finding for rule in RULES))
GENERAL_IDS: frozenset[str] = frozenset(rule.finding for rule in RULES if rule.general)

__all__ = [
    "BOOK_START",
    "FINDING_IDS",
    "FRANCE_TRAVAIL_FROM",
    "GENERAL_IDS",
    "RULES",
    "SECTIONS",
    "VAE_REFORM",
    "employment_body",
    "rules_on",
    "valid_until",
    "versions",
]


def versions(finding: str) -> list[Rule]:
    return sorted((r for r in RULES if r.finding == finding), key=lambda r: r.valid_from)


def valid_until(rule: Rule) -> date | None:
    """The last day a version applies: the day before the next version of the same finding."""
    later = [r.valid_from for r in RULES if r.finding == rule.finding and r.valid_from > rule.valid_from]
    return min(later) - timedelta(days=1) if later else None


@lru_cache(maxsize=512)
def rules_on(on: date) -> tuple[Rule, ...]:
    """One rule per finding, in the book's order: the version in force on `on`."""
    if on < BOOK_START:
        raise ValueError(f"on: the rule book starts on {BOOK_START.isoformat()}, got {on.isoformat()}")
    chosen = []
    for finding in FINDING_IDS:
        current = None
        for rule in versions(finding):
            if rule.valid_from <= on:
                current = rule
        assert current is not None  # every finding has a version from BOOK_START (tested)
        chosen.append(current)
    return tuple(chosen)
