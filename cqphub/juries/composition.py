"""Jury composition checks, by date. Pure Python (no Django; citations from `cqphub.rules`).

Two sources of rules:

1. **The CQP's own rules**, set by the branch (CPNE) per qualification, in dated versions
   (`BranchRules`): minimum size, quorum (members present), parity of the employer and employee
   colleges, a minimum of qualified persons. For the training route no Code article fixes the jury of a
   CQP (RULES.md §2: "set by each CQP's own rules", [SEC]).
2. **The law, for VAE candidates** (`VAE_RULES`, dated): L. 6412-3 and D. 6412-6 (décret n° 2024-332 du
   10 avril 2024, in force since 2024-04-13, applying to persons who *started* their VAE path from that
   date, per its NOTA): the jury is composed per the CQP's rules and has at least two persons, including
   at least one person qualified for the certification; a president with a casting vote is designated
   among its members; its composition contributes to a balanced representation of women and men; its
   members have or had no professional or personal relation with the candidate and did not accompany
   them in their VAE.

A member linked to a candidate, or who accompanied them, is **excused for that candidate** (an
`Excusal`, recorded): the candidate is then checked against the members who remain. Findings are codes
with parameters and the citations they rest on; the Django side words them. A session opens only when
no finding is blocking.

Balanced representation: D. 6412-6 says the composition *concourt à* a balanced representation (an
obligation of means, not a quota). We block a VAE jury whose members (of recorded gender) are all women
or all men, and warn when a gender is missing from the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from cqphub.rules.citations import Citation, cite


class College(StrEnum):
    EMPLOYER = "employer"
    EMPLOYEE = "employee"
    QUALIFIED = "qualified"


class Route(StrEnum):
    TRAINING = "training"
    VAE = "vae"


@dataclass(frozen=True, slots=True)
class Member:
    key: object
    college: College
    gender: str = ""  # "F", "M" or "" (not recorded)
    president: bool = False
    present: bool = True
    qualified: bool | None = None  # qualified for the certification; defaults to the "qualified" college
    name: str = ""

    @property
    def is_qualified(self) -> bool:
        return self.college == College.QUALIFIED if self.qualified is None else self.qualified


@dataclass(frozen=True, slots=True)
class CandidateLinks:
    key: object
    route: Route = Route.TRAINING
    vae_started_on: date | None = None  # when the VAE path started (registration on the portal)
    linked: frozenset = frozenset()  # members with a professional or personal relation
    accompanists: frozenset = frozenset()  # members who accompanied the candidate's VAE
    name: str = ""


@dataclass(frozen=True, slots=True)
class BranchRules:
    """The CQP's own jury rules, as the branch set them, from `valid_from`."""

    valid_from: date
    min_size: int = 2
    quorum: int = 2  # members present
    parity: bool = True  # as many employer as employee representatives present
    min_qualified: int = 0
    reference: str = ""  # e.g. "Règlement du CQP, art. 12"


@dataclass(frozen=True, slots=True)
class LegalRuleVersion:
    key: str
    applies_from: date  # VAE paths started on or after this date
    applies_until: date | None
    citations: tuple[str, ...]
    min_members: int
    min_qualified: int

    def cited(self) -> list[Citation]:
        return [cite(key) for key in self.citations]


VAE_RULES: tuple[LegalRuleVersion, ...] = (
    LegalRuleVersion(
        key="vae.jury.2024",
        applies_from=date(2024, 4, 13),
        applies_until=None,
        citations=("L6412-3", "D6412-6"),
        min_members=2,
        min_qualified=1,
    ),
)


def vae_rules_for(path_started: date | None) -> LegalRuleVersion | None:
    """The version of the VAE jury rules for a path started on `path_started` (None: unknown date,
    the current rules apply)."""
    for version in sorted(VAE_RULES, key=lambda v: v.applies_from, reverse=True):
        if path_started is None and version.applies_until is None:
            return version
        if (
            path_started is not None
            and version.applies_from <= path_started
            and (version.applies_until is None or path_started < version.applies_until)
        ):
            return version
    return None


def branch_rules_on(versions: Iterable[BranchRules], on: date) -> BranchRules | None:
    applicable = [v for v in versions if v.valid_from <= on]
    return max(applicable, key=lambda v: v.valid_from) if applicable else None


class Severity(StrEnum):
    BLOCKING = "blocking"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    citations: tuple[str, ...] = ()
    candidate: object = None
    member: object = None
    params: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def blocking(self) -> bool:
        return self.severity == Severity.BLOCKING


@dataclass(frozen=True, slots=True)
class Excusal:
    member: object
    candidate: object
    reason: str  # "link" | "accompanist"


@dataclass(frozen=True, slots=True)
class Report:
    on: date
    findings: tuple[Finding, ...]
    excusals: tuple[Excusal, ...]
    branch_rules: BranchRules | None

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    @property
    def can_open(self) -> bool:
        return not self.blocking

    def excused_for(self, candidate) -> frozenset:
        return frozenset(e.member for e in self.excusals if e.candidate == candidate)


BRANCH_SOURCE = ("opcoep.cqp",)  # RULES.md §2: the CQP's own rules, no Code article


def _branch_findings(rules: BranchRules, members: Sequence[Member], candidate=None) -> list[Finding]:
    present = [m for m in members if m.present]
    found: list[Finding] = []
    ref = {"reference": rules.reference}
    if candidate is None and len(members) < rules.min_size:
        found.append(
            Finding(
                "branch.min_size",
                Severity.BLOCKING,
                BRANCH_SOURCE,
                params={"count": len(members), "required": rules.min_size, **ref},
            )
        )
    if len(present) < rules.quorum:
        found.append(
            Finding(
                "branch.quorum",
                Severity.BLOCKING,
                BRANCH_SOURCE,
                candidate=candidate,
                params={"count": len(present), "required": rules.quorum, **ref},
            )
        )
    if rules.parity:
        employers = sum(1 for m in present if m.college == College.EMPLOYER)
        employees = sum(1 for m in present if m.college == College.EMPLOYEE)
        if employers != employees:
            found.append(
                Finding(
                    "branch.parity",
                    # A member excused for one candidate upsets parity only for that candidate.
                    Severity.BLOCKING if candidate is None else Severity.WARNING,
                    BRANCH_SOURCE,
                    candidate=candidate,
                    params={"employers": employers, "employees": employees, **ref},
                )
            )
    qualified = sum(1 for m in present if m.is_qualified)
    if qualified < rules.min_qualified:
        found.append(
            Finding(
                "branch.min_qualified",
                Severity.BLOCKING,
                BRANCH_SOURCE,
                candidate=candidate,
                params={"count": qualified, "required": rules.min_qualified, **ref},
            )
        )
    return found


def _president_findings(members: Sequence[Member]) -> list[Finding]:
    presidents = [m for m in members if m.president]
    if not presidents:
        return [Finding("president.missing", Severity.BLOCKING, ("D6412-6",))]
    if len(presidents) > 1:
        return [
            Finding(
                "president.many",
                Severity.BLOCKING,
                ("D6412-6",),
                params={"count": len(presidents)},
            )
        ]
    if not presidents[0].present:
        return [Finding("president.absent", Severity.BLOCKING, ("D6412-6",), member=presidents[0].key)]
    return []


def _vae_findings(
    version: LegalRuleVersion, members: Sequence[Member], candidate: CandidateLinks
) -> list[Finding]:
    present = [m for m in members if m.present]
    cites = version.citations
    found: list[Finding] = []
    if len(present) < version.min_members:
        found.append(
            Finding(
                "vae.too_few",
                Severity.BLOCKING,
                cites,
                candidate=candidate.key,
                params={"count": len(present), "required": version.min_members},
            )
        )
    qualified = sum(1 for m in present if m.is_qualified)
    if qualified < version.min_qualified:
        found.append(
            Finding(
                "vae.no_qualified",
                Severity.BLOCKING,
                cites,
                candidate=candidate.key,
                params={"count": qualified, "required": version.min_qualified},
            )
        )
    if not any(m.president for m in present):
        found.append(Finding("vae.no_president", Severity.BLOCKING, cites, candidate=candidate.key))
    genders = [m.gender for m in present if m.gender in ("F", "M")]
    if len(present) >= 2:
        if len(genders) < len(present):
            found.append(
                Finding(
                    "vae.gender_unknown",
                    Severity.WARNING,
                    cites,
                    candidate=candidate.key,
                    params={"unknown": len(present) - len(genders)},
                )
            )
        if len(genders) >= 2 and len(set(genders)) == 1:
            found.append(
                Finding(
                    "vae.gender_unbalanced",
                    Severity.BLOCKING,
                    cites,
                    candidate=candidate.key,
                    params={"gender": genders[0], "count": len(genders)},
                )
            )
    return found


def check(
    on: date,
    members: Sequence[Member],
    candidates: Iterable[CandidateLinks],
    branch_versions: Iterable[BranchRules] = (),
) -> Report:
    """Check a jury sitting on `on` for these candidates; excuse linked members per candidate."""
    members = list(members)
    findings: list[Finding] = []
    excusals: list[Excusal] = []
    rules = branch_rules_on(branch_versions, on)
    if rules is None:
        findings.append(Finding("branch.no_rules", Severity.WARNING, BRANCH_SOURCE, params={"on": on}))
    else:
        findings += _branch_findings(rules, members)
    findings += _president_findings(members)
    member_keys = {m.key for m in members}
    for candidate in candidates:
        excused: dict = {}
        for key in candidate.accompanists & member_keys:
            excused[key] = "accompanist"
        for key in candidate.linked & member_keys:
            excused.setdefault(key, "link")
        for key, reason in excused.items():
            excusals.append(Excusal(key, candidate.key, reason))
        if not excused and candidate.route != Route.VAE:
            continue
        sitting = [m for m in members if m.key not in excused]
        if excused and rules is not None:
            findings += _branch_findings(rules, sitting, candidate=candidate.key)
        if candidate.route == Route.VAE:
            version = vae_rules_for(candidate.vae_started_on)
            if version is None:
                findings.append(
                    Finding(
                        "vae.before_d6412_6",
                        Severity.INFO,
                        ("L6412-3",),
                        candidate=candidate.key,
                        params={"started": candidate.vae_started_on},
                    )
                )
            else:
                findings += _vae_findings(version, sitting, candidate)
        elif excused and not any(m.president and m.present for m in sitting):
            findings.append(Finding("president.excused", Severity.BLOCKING, (), candidate=candidate.key))
    return Report(on, tuple(findings), tuple(excusals), rules)
