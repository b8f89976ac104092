"""A block's result from its criterion results: the block's pass rule. Pure Python (no Django).

Vocabulary of `qualifications` (`SkillBlock.pass_rule` / `pass_threshold`, `enums.PassRule`):

- ``"all"``: every criterion of the block is met;
- ``"threshold"``: at least ``threshold`` criteria are met (a count, `SkillBlock.pass_threshold`).

Two more kinds a branch may set on an assessment policy:

- ``"percentage"``: at least ``threshold`` % of the block's criteria are met;
- ``"level"``: the criteria are scored on the qualification's scale (e.g. *non acquis < en cours <
  acquis < maîtrisé*); the block's level is the lower median of its criteria's levels, and the block
  passes when it reaches ``required_level``.

A criterion's value is ``True`` / ``False`` (met / not met), a level of the scale, or ``None`` (not
scored yet). With a scale, a level counts as *met* from ``Scale.met_from`` up, so "all", "threshold" and
"percentage" also work on levelled grids. A block with one criterion not scored is *incomplete*: no
rule decides on a partial grid (and an assessor cannot sign one off).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

ALL = "all"
THRESHOLD = "threshold"
PERCENTAGE = "percentage"
LEVEL = "level"
KINDS = (ALL, THRESHOLD, PERCENTAGE, LEVEL)


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True, slots=True)
class Scale:
    """An ordered scale of levels, lowest first; a criterion is met from `met_from` up."""

    levels: tuple[str, ...]
    met_from: str

    def __post_init__(self) -> None:
        if len(self.levels) < 2 or len(set(self.levels)) != len(self.levels):
            raise ValueError(f"a scale needs at least two distinct levels, got {self.levels!r}")
        if self.met_from not in self.levels:
            raise ValueError(f"met_from {self.met_from!r} is not a level of {self.levels!r}")

    def rank(self, level: str) -> int:
        try:
            return self.levels.index(level)
        except ValueError:
            raise ValueError(f"{level!r} is not a level of the scale {self.levels!r}") from None

    @property
    def met_levels(self) -> frozenset[str]:
        return frozenset(self.levels[self.levels.index(self.met_from) :])

    def to_dict(self) -> dict:
        return {"levels": list(self.levels), "met_from": self.met_from}

    @classmethod
    def from_dict(cls, data: dict | None) -> Scale | None:
        if not data:
            return None
        return cls(levels=tuple(data["levels"]), met_from=data["met_from"])


@dataclass(frozen=True, slots=True)
class PassRule:
    kind: str = ALL
    threshold: int | None = None  # a count for "threshold", a percentage (1-100) for "percentage"
    scale: Scale | None = None  # criteria scored on levels
    required_level: str | None = None  # for "level"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown pass rule {self.kind!r}: one of {', '.join(KINDS)}")
        if self.kind == THRESHOLD and (self.threshold is None or self.threshold < 1):
            raise ValueError("a 'threshold' rule needs a count of at least 1")
        if self.kind == PERCENTAGE and (self.threshold is None or not 1 <= self.threshold <= 100):
            raise ValueError("a 'percentage' rule needs a threshold between 1 and 100")
        if self.kind == LEVEL:
            if self.scale is None or self.required_level is None:
                raise ValueError("a 'level' rule needs a scale and a required level")
            self.scale.rank(self.required_level)

    @classmethod
    def from_block(cls, pass_rule: str, pass_threshold: int | None, scale: Scale | None = None) -> PassRule:
        """The rule of a `qualifications.SkillBlock` (its `pass_rule` and `pass_threshold` columns)."""
        if pass_rule == THRESHOLD:
            return cls(kind=THRESHOLD, threshold=pass_threshold, scale=scale)
        return cls(kind=ALL, scale=scale)

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "threshold": self.threshold,
            "scale": self.scale.to_dict() if self.scale else None,
            "required_level": self.required_level,
        }

    @classmethod
    def from_dict(cls, data: dict) -> PassRule:
        return cls(
            kind=data.get("kind", ALL),
            threshold=data.get("threshold"),
            scale=Scale.from_dict(data.get("scale")),
            required_level=data.get("required_level"),
        )

    def describe(self) -> str:
        """A short French statement of the rule, for grids and minutes."""
        if self.kind == THRESHOLD:
            return f"au moins {self.threshold} critère(s) satisfait(s)"
        if self.kind == PERCENTAGE:
            return f"au moins {self.threshold} % des critères satisfaits"
        if self.kind == LEVEL:
            return f"niveau médian « {self.required_level} » au moins"
        return "tous les critères satisfaits"


@dataclass(frozen=True, slots=True)
class BlockResult:
    outcome: Outcome
    met: int
    total: int
    missing: int
    level: str | None = None  # the block's level, for a "level" rule

    @property
    def passed(self) -> bool:
        return self.outcome is Outcome.PASSED


def check_values(rule: PassRule, values: Sequence) -> None:
    """Refuse a value that is neither met/not met nor a level of the rule's scale (with where)."""
    for index, value in enumerate(values):
        if value is None:
            continue
        if rule.scale is None:
            if not isinstance(value, bool):
                raise ValueError(f"criterion {index + 1}: met/not met expected, got {value!r}")
        elif isinstance(value, bool) or value not in rule.scale.levels:
            raise ValueError(
                f"criterion {index + 1}: a level of {', '.join(rule.scale.levels)} expected, got {value!r}"
            )


def evaluate(rule: PassRule, values: Sequence) -> BlockResult:
    """The block's result from its criteria's values (in the grid's order).

    Values are assumed checked (`check_values`); counting runs in C (`list.count`), so a national
    session's 1.2 million criteria are evaluated in well under a second.
    """
    if not isinstance(values, list | tuple):
        values = list(values)
    total = len(values)
    missing = values.count(None)
    if rule.scale is None:
        met = values.count(True)
    else:
        met_levels = rule.scale.met_levels
        met = sum(1 for value in values if value in met_levels)
    level = None
    if missing or total == 0:
        return BlockResult(Outcome.INCOMPLETE, met, total, missing)
    if rule.kind == ALL:
        passed = met == total
    elif rule.kind == THRESHOLD:
        passed = met >= rule.threshold
    elif rule.kind == PERCENTAGE:
        passed = met * 100 >= rule.threshold * total
    else:  # LEVEL
        ranks = sorted(rule.scale.rank(value) for value in values)
        median_rank = ranks[(total - 1) // 2]
        level = rule.scale.levels[median_rank]
        passed = median_rank >= rule.scale.rank(rule.required_level)
    return BlockResult(Outcome.PASSED if passed else Outcome.FAILED, met, total, missing, level)


def missing_criteria(values: Sequence) -> list[int]:
    """Positions (0-based) of the criteria not scored yet."""
    return [index for index, value in enumerate(values) if value is None]
