"""Deliberation proposals: what the jury is proposed to decide, per candidate and block. Pure Python.

Inputs, for one qualification version:

- the version's blocks (`Framework.blocks`) and the correspondences that let blocks held elsewhere
  count for it (`Correspondence(sources → target)`: a later revision of a block, a block of an
  earlier version declared equivalent, or several old blocks that together give a new one);
- per candidate (`CandidateFile`): attendance, the blocks assessed in this candidacy with their
  results (``"passed"`` / ``"failed"`` / ``"incomplete"``, from `assessment.pass_rules`), and the
  blocks already held (validated earlier, by any candidacy, for any qualification: a CQPI's shared
  block is one block, so it counts wherever it is referenced).

Output per candidate (`Proposal`): per block of the version, *validated* / *not validated* / *not
assessed* (a block held earlier is validated, with `held`); overall *full* (every block of the
version validated or held: the whole CQP), *partial* (the blocks listed in `validated` are new this
session), *failure* (assessed, nothing new validated), *absent*, *excused*, or *not assessed* (present
but no signed result on any block: the jury cannot deliberate on them).

The jury may depart from a proposal, with a reason; the decisions, not the proposals, are recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class BlockProposal(StrEnum):
    VALIDATED = "validated"
    NOT_VALIDATED = "not_validated"
    NOT_ASSESSED = "not_assessed"


class Overall(StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    FAILURE = "failure"
    ABSENT = "absent"
    EXCUSED = "excused"
    NOT_ASSESSED = "not_assessed"


class Attendance(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


PASSED = "passed"
FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Correspondence:
    """Holding every block of `sources` gives `target` (a block of the version)."""

    sources: frozenset
    target: object


@dataclass(frozen=True, slots=True)
class Framework:
    blocks: tuple
    correspondences: tuple[Correspondence, ...] = ()
    _by_source: dict = field(default=None, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        index: dict = {}
        for correspondence in self.correspondences:
            for source in correspondence.sources:
                index.setdefault(source, []).append(correspondence)
        object.__setattr__(self, "_by_source", index)

    def held_in_version(self, held: Iterable) -> frozenset:
        """The version's blocks a person holds, from blocks held anywhere (closure of correspondences)."""
        known = set(held)
        if self._by_source:
            pending = [block for block in known if block in self._by_source]
            while pending:
                source = pending.pop()
                for correspondence in self._by_source[source]:
                    target = correspondence.target
                    if target not in known and correspondence.sources <= known:
                        known.add(target)
                        if target in self._by_source:
                            pending.append(target)
        return frozenset(block for block in self.blocks if block in known)


@dataclass(frozen=True, slots=True)
class CandidateFile:
    key: object
    results: Mapping = field(default_factory=dict)  # block → "passed" | "failed" | "incomplete"
    held: frozenset = frozenset()  # blocks validated earlier (any candidacy, any qualification)
    attendance: Attendance = Attendance.PRESENT


@dataclass(frozen=True, slots=True)
class Proposal:
    key: object
    overall: Overall
    blocks: dict  # block → BlockProposal, for every block of the version, in its order
    validated: tuple  # blocks validated by this session (new), in the version's order
    held: frozenset  # blocks of the version held before the session

    @property
    def listed(self) -> tuple:
        """The blocks a partial validation lists (R. 6412-7: "le ou les blocs de compétences acquis")."""
        return self.validated


def propose(framework: Framework, file: CandidateFile) -> Proposal:
    blocks = framework.blocks
    held = framework.held_in_version(file.held) if file.held else frozenset()
    results = file.results
    proposals: dict = {}
    validated: list = []
    assessed = False
    present = file.attendance == Attendance.PRESENT
    for block in blocks:
        if block in held:
            proposals[block] = BlockProposal.VALIDATED
            continue
        result = results.get(block) if present else None
        if result == PASSED:
            proposals[block] = BlockProposal.VALIDATED
            validated.append(block)
            assessed = True
        elif result == FAILED:
            proposals[block] = BlockProposal.NOT_VALIDATED
            assessed = True
        else:
            proposals[block] = BlockProposal.NOT_ASSESSED
    if file.attendance == Attendance.ABSENT:
        overall = Overall.ABSENT
    elif file.attendance == Attendance.EXCUSED:
        overall = Overall.EXCUSED
    elif len(held) + len(validated) == len(blocks) and blocks:
        overall = Overall.FULL
    elif validated:
        overall = Overall.PARTIAL
    elif assessed:
        overall = Overall.FAILURE
    else:
        overall = Overall.NOT_ASSESSED
    return Proposal(file.key, overall, proposals, tuple(validated), held)


def propose_all(framework: Framework, files: Iterable[CandidateFile]) -> list[Proposal]:
    return [propose(framework, file) for file in files]


def overall_from_decisions(
    framework: Framework, validated_now: Iterable, held: Iterable, attendance: Attendance, assessed: bool
) -> Overall:
    """The overall outcome the jury's own block decisions amount to (they may differ from proposals)."""
    if attendance == Attendance.ABSENT:
        return Overall.ABSENT
    if attendance == Attendance.EXCUSED:
        return Overall.EXCUSED
    held_in = framework.held_in_version(held)
    new = set(validated_now) - held_in
    if framework.blocks and all(block in held_in or block in new for block in framework.blocks):
        return Overall.FULL
    if new:
        return Overall.PARTIAL
    return Overall.FAILURE if assessed else Overall.NOT_ASSESSED
