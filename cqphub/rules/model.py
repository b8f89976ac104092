"""The engine's vocabulary: outcomes, certainty levels, findings, and what a rule is.

A `Rule` is data (its finding, the first day it applies, its citations, its certainty, optional
parameters) plus one small function `decide(ctx, rule) -> Decision`. A finding's rule on a date is the
version whose `valid_from` is the latest one on or before that date: a change in the law is a new
version added to the book with its date, never an edit of an older one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from cqphub.rules.citations import SNAPSHOT, Citation, cite

if TYPE_CHECKING:  # pragma: no cover
    from cqphub.rules.context import Ctx


class Outcome(StrEnum):
    YES = "yes"
    NO = "no"
    CONDITIONAL = "conditional"
    INFO = "info"


class Certainty(StrEnum):
    """How sure the brief is of a rule (RULES.md §0 legend), strongest first."""

    CODE = "verified_in_code"  # [CdT]
    OFFICIAL = "official_page"  # [OFF]
    SECONDARY = "secondary_source"  # [SEC]
    READING = "our_reading"  # [BEL]

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def label(self) -> dict[str, str]:
        """The one place where certainty levels are named (pages, CLI and API use it)."""
        return _LABELS[self]


_RANK = {Certainty.CODE: 3, Certainty.OFFICIAL: 2, Certainty.SECONDARY: 1, Certainty.READING: 0}
_LABELS = {
    Certainty.CODE: {"fr": "vérifié dans le Code du travail", "en": "verified in the Code du travail"},
    Certainty.OFFICIAL: {"fr": "page officielle", "en": "official page"},
    Certainty.SECONDARY: {"fr": "source secondaire", "en": "secondary source"},
    Certainty.READING: {"fr": "notre lecture", "en": "our reading"},
}


def weakest(*levels: Certainty | None) -> Certainty:
    present = [level for level in levels if level is not None]
    return min(present, key=_RANK.__getitem__)


@dataclass(frozen=True, slots=True)
class Decision:
    """What a rule's function returns; the engine adds the rule's citations and certainty."""

    outcome: Outcome
    fr: str
    en: str
    value: Any = None
    certainty: Certainty | None = None  # weaker than the rule's for this branch of the decision
    cites: tuple[str, ...] = ()  # extra citations for this branch


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    outcome: Outcome
    explanation: Mapping[str, str]  # {"fr": …, "en": …}
    citations: tuple[Citation, ...]
    certainty: Certainty
    rule: str  # the rule version that decided, e.g. "cpf.participation@2026-01-01"
    value: Any = None
    checked_until: date = SNAPSHOT  # consolidation date of the texts the rule was checked against
    # Said when the date asked is after `checked_until`: later texts were not checked.
    caveat: Mapping[str, str] | None = None

    def text(self, language: str) -> str:
        return self.explanation.get(language[:2], self.explanation["fr"])

    def to_dict(self) -> dict[str, Any]:
        value = self.value
        if isinstance(value, tuple):
            value = list(value)
        return {
            "id": self.id,
            "outcome": self.outcome.value,
            "value": value,
            "explanation": dict(self.explanation),
            "citations": [c.to_dict() for c in self.citations],
            "certainty": self.certainty.value,
            "rule": self.rule,
            "checked_until": self.checked_until.isoformat(),
            "caveat": dict(self.caveat) if self.caveat else None,
        }


Decide = Callable[["Ctx", "Rule"], Decision]


@dataclass(frozen=True, slots=True)
class Rule:
    finding: str  # the finding id it decides
    valid_from: date  # first day this version applies
    summary: str  # one line, English, for `cqphub rules list`
    citations: tuple[str, ...]
    certainty: Certainty
    decide: Decide = field(repr=False, compare=False)
    params: Mapping[str, Any] = field(default_factory=dict, compare=False)
    general: bool = False  # meaningful without a person: shown on every certification page

    def __post_init__(self) -> None:
        if not self.citations:
            raise ValueError(f"rule {self.id}: a rule cites at least one source")
        for key in self.citations:
            cite(key)  # fails loudly on an unknown key

    @property
    def id(self) -> str:
        return f"{self.finding}@{self.valid_from.isoformat()}"

    @property
    def sources(self) -> tuple[Citation, ...]:
        return tuple(cite(key) for key in self.citations)
