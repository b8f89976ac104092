"""The pure workflow: every (source, target, route) pair is either an edge of the table or refused."""

from __future__ import annotations

import itertools
import sys

import pytest

from cqphub.journeys import workflow
from cqphub.journeys.workflow import Actor, Route, Status, TransitionError, check

ALL_ACTORS = frozenset(Actor)

# The legal transitions, written out by hand from the issue (not derived from the table under test).
LEGAL = {
    ("draft", "submitted", "training"),
    ("draft", "submitted", "vae"),
    ("submitted", "admissible", "vae"),
    ("submitted", "not_admissible", "vae"),
    ("submitted", "draft", "vae"),
    ("submitted", "enrolled", "training"),
    ("enrolled", "in_training", "training"),
    ("admissible", "in_accompaniment", "vae"),
    ("admissible", "ready_for_assessment", "vae"),
    ("in_training", "ready_for_assessment", "training"),
    ("in_accompaniment", "ready_for_assessment", "vae"),
    *{
        (s, t, r)
        for s, t in [
            ("ready_for_assessment", "assessed"),
            ("assessed", "awaiting_jury"),
            ("awaiting_jury", "decided"),
            ("decided", "archived"),
            ("withdrawn", "archived"),
        ]
        for r in ("training", "vae")
    },
    ("not_admissible", "archived", "vae"),
    *{
        (s, "withdrawn", r)
        for s in (
            "draft",
            "submitted",
            "admissible",
            "enrolled",
            "in_training",
            "in_accompaniment",
            "ready_for_assessment",
            "assessed",
            "awaiting_jury",
            "suspended",
        )
        for r in ("training", "vae")
    },
    *{
        (pair[0], pair[1], r)
        for s in ("admissible", "enrolled", "in_training", "in_accompaniment", "ready_for_assessment")
        for pair in ((s, "suspended"), ("suspended", s))
        for r in ("training", "vae")
    },
}

NEEDS_REASON = (
    {("submitted", "not_admissible"), ("submitted", "draft")}
    | {(s, "withdrawn") for s in Status}
    | {(s, "suspended") for s in Status}
)


@pytest.mark.parametrize(
    "source,target,route",
    list(itertools.product([s.value for s in Status], [s.value for s in Status], ["training", "vae"])),
)
def test_every_pair(source, target, route):
    reason = "motif"
    if (source, target, route) in LEGAL:
        edge = check(source=source, target=target, route=route, actors=ALL_ACTORS, reason=reason)
        assert edge.source == source and edge.target == target
        if (source, target) in NEEDS_REASON:
            with pytest.raises(TransitionError) as exc:
                check(source=source, target=target, route=route, actors=ALL_ACTORS, reason="  ")
            assert exc.value.code == "reason_required"
    else:
        with pytest.raises(TransitionError) as exc:
            check(source=source, target=target, route=route, actors=ALL_ACTORS, reason=reason)
        assert exc.value.code in {"not_allowed", "wrong_route"}


def test_table_has_exactly_the_legal_edges():
    table = {(e.source.value, e.target.value, r.value) for e in workflow.EDGES for r in e.routes}
    assert table == LEGAL


@pytest.mark.parametrize(
    "source,target,route,actor,allowed",
    [
        ("submitted", "admissible", "vae", Actor.BRANCH, True),
        ("submitted", "admissible", "vae", Actor.CENTRE, False),
        ("submitted", "admissible", "vae", Actor.CANDIDATE, False),
        (
            "submitted",
            "not_admissible",
            "vae",
            Actor.SYSTEM,
            False,
        ),  # silence means admissible, never refused
        ("submitted", "admissible", "vae", Actor.SYSTEM, True),
        ("submitted", "enrolled", "training", Actor.CENTRE, True),
        ("enrolled", "in_training", "training", Actor.CANDIDATE, False),
        ("ready_for_assessment", "assessed", "training", Actor.CENTRE, False),
        ("ready_for_assessment", "assessed", "training", Actor.SYSTEM, True),
        ("awaiting_jury", "decided", "vae", Actor.BRANCH, False),
        ("awaiting_jury", "decided", "vae", Actor.SYSTEM, True),
        ("draft", "withdrawn", "training", Actor.CANDIDATE, True),
    ],
)
def test_who_takes_each_step(source, target, route, actor, allowed):
    if allowed:
        check(source=source, target=target, route=route, actors={actor}, reason="r")
    else:
        with pytest.raises(TransitionError) as exc:
            check(source=source, target=target, route=route, actors={actor}, reason="r")
        assert exc.value.code == "not_your_step"


def test_suspended_resumes_where_it_stopped():
    check(
        source="suspended",
        target="in_training",
        route="training",
        actors={Actor.CENTRE},
        resume_to="in_training",
    )
    with pytest.raises(TransitionError) as exc:
        check(
            source="suspended",
            target="enrolled",
            route="training",
            actors={Actor.CENTRE},
            resume_to="in_training",
        )
    assert exc.value.code == "resume_elsewhere"
    assert set(workflow.targets("suspended", Route.TRAINING, {Actor.CENTRE}, resume_to="in_training")) == {
        Status.WITHDRAWN,
        Status.IN_TRAINING,
    }


def test_archived_is_final():
    assert workflow.targets("archived", "training") == []
    assert workflow.targets("archived", "vae") == []


def test_status_values_match_the_model_choices():
    from cqphub.journeys.enums import Route as RouteChoices
    from cqphub.journeys.enums import Status as StatusChoices

    assert set(StatusChoices.values) == {s.value for s in Status}
    assert set(RouteChoices.values) == {r.value for r in Route}


def test_workflow_module_is_pure():
    import subprocess

    code = "import sys, cqphub.journeys.workflow; print(any(m.startswith('django') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
