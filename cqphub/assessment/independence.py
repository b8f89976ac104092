"""Assessor independence: who may assess whom, and who may sit on a block. Pure Python (no Django).

The branch switches each rule on or off per qualification (`Policy`, stored on the assessment
policy of the qualification):

- ``no_own_trainees``: an assessor may not assess a candidate they trained;
- ``no_own_company``: an assessor may not assess a candidate employed by their own company;
- ``two_assessors``: each block of a session is assessed by two assessors (at least);
- ``one_from_profession``: one of a block's assessors comes from the profession (a working
  professional of the trade, not only a trainer).

Conflicts are refused, not only shown: the services raise on any `Conflict` returned here.
Messages are codes with parameters; the Django side words them (French first, English).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

TRAINED = "trained_candidate"
SAME_COMPANY = "same_company"
TOO_FEW = "too_few_assessors"
NO_PROFESSIONAL = "no_professional"


@dataclass(frozen=True, slots=True)
class Policy:
    no_own_trainees: bool = True
    no_own_company: bool = True
    two_assessors: bool = False
    one_from_profession: bool = False


@dataclass(frozen=True, slots=True)
class Assessor:
    key: int
    companies: frozenset = frozenset()  # SIRET or SIREN of the employers the assessor works for
    from_profession: bool = False
    name: str = ""


@dataclass(frozen=True, slots=True)
class Candidate:
    key: int
    employer: str | None = None  # SIRET or SIREN of the candidate's employer
    trainers: frozenset = frozenset()  # keys of the people who trained the candidate
    name: str = ""


@dataclass(frozen=True, slots=True)
class Conflict:
    code: str
    assessor: int | None = None
    candidate: int | None = None
    block: object = None
    params: dict = field(default_factory=dict, compare=False, hash=False)


def _siren(identifier: str | None) -> str | None:
    """A SIRET's first 9 digits are the company (SIREN): two establishments are one company."""
    if not identifier:
        return None
    digits = "".join(ch for ch in identifier if ch.isdigit())
    return digits[:9] if len(digits) >= 9 else identifier


def conflicts(assessor: Assessor, candidate: Candidate, policy: Policy, block=None) -> list[Conflict]:
    """Why `assessor` may not assess `candidate` (empty list: they may)."""
    found: list[Conflict] = []
    if policy.no_own_trainees and assessor.key in candidate.trainers:
        found.append(
            Conflict(
                TRAINED,
                assessor.key,
                candidate.key,
                block,
                {"assessor": assessor.name, "candidate": candidate.name},
            )
        )
    if policy.no_own_company and candidate.employer:
        employer = _siren(candidate.employer)
        if employer in {_siren(company) for company in assessor.companies}:
            found.append(
                Conflict(
                    SAME_COMPANY,
                    assessor.key,
                    candidate.key,
                    block,
                    {"assessor": assessor.name, "candidate": candidate.name},
                )
            )
    return found


def panel_problems(assessors: Iterable[Assessor], policy: Policy, block=None) -> list[Conflict]:
    """What is wrong with the assessors of one block (two assessors, one from the profession)."""
    panel = list(assessors)
    found: list[Conflict] = []
    if policy.two_assessors and len(panel) < 2:
        found.append(Conflict(TOO_FEW, block=block, params={"count": len(panel), "required": 2}))
    if policy.one_from_profession and not any(a.from_profession for a in panel):
        found.append(Conflict(NO_PROFESSIONAL, block=block))
    return found


def check_session(panels: dict, candidates_by_block: dict, policy: Policy) -> list[Conflict]:
    """Every conflict of a session: `panels` maps block → assessors, `candidates_by_block` block →
    candidates assessed on it. Each candidate is assessed by the whole panel of the block."""
    found: list[Conflict] = []
    for block, panel in panels.items():
        found += panel_problems(panel, policy, block)
        for candidate in candidates_by_block.get(block, ()):
            for assessor in panel:
                found += conflicts(assessor, candidate, policy, block)
    return found
