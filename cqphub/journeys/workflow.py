"""The candidacy workflow as data: states, the transitions allowed on each route, who may take them.

Pure Python (no Django import): the model refuses a status change that did not go through
`cqphub.journeys.services.transition`, and that service asks `check()` here first.

    draft → submitted → admissible (VAE) ──→ in_accompaniment ──┐
                      → enrolled (training) → in_training ──────┴→ ready_for_assessment
      → assessed → awaiting_jury → decided → archived
    plus: withdrawn, suspended (resumes where it stopped), not_admissible (VAE), archived.

Who acts is one of the `Actor` kinds: the centre that holds the candidacy, the branch's
certification staff, the candidate, or the system (the assessment and juries apps, deadlines).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ADMISSIBLE = "admissible"
    NOT_ADMISSIBLE = "not_admissible"
    ENROLLED = "enrolled"
    IN_TRAINING = "in_training"
    IN_ACCOMPANIMENT = "in_accompaniment"
    READY_FOR_ASSESSMENT = "ready_for_assessment"
    ASSESSED = "assessed"
    AWAITING_JURY = "awaiting_jury"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"
    SUSPENDED = "suspended"
    ARCHIVED = "archived"


class Route(StrEnum):
    TRAINING = "training"
    VAE = "vae"


class Actor(StrEnum):
    CENTRE = "centre"  # staff of the centre that holds the candidacy
    BRANCH = "branch"  # certification staff of a branch owning the CQP
    CANDIDATE = "candidate"  # the candidate, logged in
    SYSTEM = "system"  # assessment / juries apps, scheduled tasks


class TransitionError(ValueError):
    """A transition the workflow does not allow; `code` says why (for messages and tests)."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Edge:
    source: Status
    target: Status
    routes: frozenset[Route]
    actors: frozenset[Actor]
    needs_reason: bool = False


BOTH = frozenset(Route)
TRAINING = frozenset({Route.TRAINING})
VAE = frozenset({Route.VAE})
C, B, P, S = Actor.CENTRE, Actor.BRANCH, Actor.CANDIDATE, Actor.SYSTEM

# States a candidacy can be suspended in (and resumed to), and withdrawn from.
ACTIVE = (
    Status.ADMISSIBLE,
    Status.ENROLLED,
    Status.IN_TRAINING,
    Status.IN_ACCOMPANIMENT,
    Status.READY_FOR_ASSESSMENT,
)
WITHDRAWABLE = (
    Status.DRAFT,
    Status.SUBMITTED,
    *ACTIVE,
    Status.ASSESSED,
    Status.AWAITING_JURY,
    Status.SUSPENDED,
)
FINAL = frozenset({Status.ARCHIVED})
CLOSED = frozenset({Status.DECIDED, Status.WITHDRAWN, Status.NOT_ADMISSIBLE, Status.ARCHIVED})


def _edges() -> tuple[Edge, ...]:
    e = Edge
    edges = [
        e(Status.DRAFT, Status.SUBMITTED, BOTH, frozenset({C, B, P})),
        # VAE admissibility ("recevabilité", R. 6412-4): the certifier's staff decide; "incomplete"
        # sends the file back to draft with the missing pieces as the reason.
        e(Status.SUBMITTED, Status.ADMISSIBLE, VAE, frozenset({B, S})),  # S: silence for 2 months
        e(Status.SUBMITTED, Status.NOT_ADMISSIBLE, VAE, frozenset({B}), needs_reason=True),
        e(Status.SUBMITTED, Status.DRAFT, VAE, frozenset({B}), needs_reason=True),
        e(Status.SUBMITTED, Status.ENROLLED, TRAINING, frozenset({C, B})),
        e(Status.ENROLLED, Status.IN_TRAINING, TRAINING, frozenset({C})),
        e(Status.ADMISSIBLE, Status.IN_ACCOMPANIMENT, VAE, frozenset({C, B, P})),
        e(Status.ADMISSIBLE, Status.READY_FOR_ASSESSMENT, VAE, frozenset({C, B, P})),  # file without AAP
        e(Status.IN_TRAINING, Status.READY_FOR_ASSESSMENT, TRAINING, frozenset({C})),
        e(Status.IN_ACCOMPANIMENT, Status.READY_FOR_ASSESSMENT, VAE, frozenset({C, B, P})),
        # the assessment and juries apps drive the end of the chain
        e(Status.READY_FOR_ASSESSMENT, Status.ASSESSED, BOTH, frozenset({S})),
        e(Status.ASSESSED, Status.AWAITING_JURY, BOTH, frozenset({S, B})),
        e(Status.AWAITING_JURY, Status.DECIDED, BOTH, frozenset({S})),
        e(Status.DECIDED, Status.ARCHIVED, BOTH, frozenset({B, S})),
        e(Status.WITHDRAWN, Status.ARCHIVED, BOTH, frozenset({B, S})),
        e(Status.NOT_ADMISSIBLE, Status.ARCHIVED, VAE, frozenset({B, S})),
    ]
    for state in WITHDRAWABLE:
        edges.append(e(state, Status.WITHDRAWN, BOTH, frozenset({C, B, P}), needs_reason=True))
    for state in ACTIVE:
        edges.append(e(state, Status.SUSPENDED, BOTH, frozenset({C, B}), needs_reason=True))
        # resuming goes back exactly where the candidacy stopped (checked against `resume_to`)
        edges.append(e(Status.SUSPENDED, state, BOTH, frozenset({C, B})))
    return tuple(edges)


EDGES: tuple[Edge, ...] = _edges()
_BY_PAIR: dict[tuple[Status, Status], Edge] = {(edge.source, edge.target): edge for edge in EDGES}


def edge(source: Status | str, target: Status | str) -> Edge | None:
    return _BY_PAIR.get((Status(source), Status(target)))


def targets(
    source: Status | str,
    route: Route | str,
    actors: frozenset[Actor] | set[Actor] | None = None,
    resume_to: Status | str | None = None,
) -> list[Status]:
    """The states reachable from `source` on this route (by one of `actors`, when given)."""
    out = []
    for (src, dst), e in _BY_PAIR.items():
        if src != Status(source) or Route(route) not in e.routes:
            continue
        if actors is not None and not (e.actors & set(actors)):
            continue
        if src is Status.SUSPENDED and resume_to is not None and dst in ACTIVE and dst != Status(resume_to):
            continue
        out.append(dst)
    return out


def check(
    *,
    source: Status | str,
    target: Status | str,
    route: Route | str,
    actors: frozenset[Actor] | set[Actor],
    reason: str = "",
    resume_to: Status | str | None = None,
) -> Edge:
    """The edge for this move, or TransitionError saying why it is refused."""
    try:
        src, dst, rte = Status(source), Status(target), Route(route)
    except ValueError as exc:
        raise TransitionError(str(exc), "unknown_value")
    found = _BY_PAIR.get((src, dst))
    if found is None:
        raise TransitionError(f"no transition from {src} to {dst}", "not_allowed")
    if rte not in found.routes:
        raise TransitionError(f"{src} → {dst} is not on the {rte} route", "wrong_route")
    if not (found.actors & set(actors)):
        who = ", ".join(sorted(a.value for a in found.actors))
        raise TransitionError(f"{src} → {dst} is taken by: {who}", "not_your_step")
    if found.needs_reason and not (reason or "").strip():
        raise TransitionError(f"{src} → {dst} needs a reason", "reason_required")
    if src is Status.SUSPENDED and resume_to is not None and dst in ACTIVE and dst != Status(resume_to):
        raise TransitionError(f"a suspended candidacy resumes to {resume_to}, not {dst}", "resume_elsewhere")
    return found
