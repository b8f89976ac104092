"""The journeys' adapter to the rules engine: the age brackets a bulk import memoises the engine by."""

from __future__ import annotations

from datetime import date

import pytest

from cqphub.journeys import legal
from cqphub.qualifications import services
from tests.factories.qualifications import QualificationFactory

pytestmark = pytest.mark.django_db

SITUATIONS = [
    {"status": "employee"},
    {"status": "job_seeker"},
    {"status": "young_in_training"},
    {"status": "self_employed"},
    {"status": "job_seeker", "disability": True},
    {"status": "employee", "disability": True},
]


def _qualification(which: str):
    """The two legal shapes of the demo: a CQP registered in the RNCP, a CQPI only transmitted."""
    if which == "cqp":
        return QualificationFactory(registered=True)
    cqpi = QualificationFactory(cqpi=True, published=True)
    for kind, on in (("transmitted_fc", date(2024, 2, 1)), ("transmitted_cdc", date(2024, 2, 5))):
        services.record_lifecycle_event(actor=None, qualification=cqpi, kind=kind, on=on)
    cqpi.refresh_from_db()
    assert legal.facts_for(cqpi).transmitted  # branch-only, as the demo's CQPI
    return cqpi


def _answer(qualification, situation, on, age, facts):
    try:
        return legal.evaluate(qualification, situation, on, age=age, facts=facts)
    except ValueError:  # outside 14–120: refused (never memoised: every such row gets its own error)
        return "refused"


@pytest.mark.parametrize("which", ["cqp", "cqpi"])
@pytest.mark.parametrize("on", [date(2026, 9, 7), date(2019, 6, 1)])
def test_findings_depend_on_the_age_only_through_its_bracket(which, on):
    """Every age from 10 to 126 gets the answer of the first age of its bracket: a rule with a new age
    limit makes this fail until the limit is added to legal.AGE_BOUNDS."""
    qualification = _qualification(which)
    facts = legal.facts_for(qualification)
    for situation in SITUATIONS:
        first: dict[int, tuple[int, object]] = {}
        for age in range(10, 127):
            answer = _answer(qualification, situation, on, age, facts)
            bracket = legal.age_bracket(age)
            if bracket not in first:
                first[bracket] = (age, answer)
                continue
            assert answer == first[bracket][1], (situation, age, "differs from", first[bracket][0])
        assert len(first) == len(legal.AGE_BOUNDS) + 1


def test_brackets_split_at_the_limits_the_rules_use():
    assert [legal.age_bracket(a) for a in (13, 14, 15, 16, 25, 26, 29, 30, 120, 121)] == [
        0,
        1,
        2,
        3,
        3,
        4,
        4,
        5,
        5,
        6,
    ]
    assert legal.age_bracket(None) is None


def test_findings_do_change_at_each_bound():
    """The bounds are real: the answers on each side of 14, 16, 26 and 30 differ for some situation (15,
    apprenticeship after the 3e, is kept as a cautious bound: these situations do not reach it)."""
    qualification = _qualification("cqp")
    facts = legal.facts_for(qualification)
    on = date(2026, 9, 7)
    for bound in (14, 16, 26, 30):
        assert any(
            _answer(qualification, s, on, bound - 1, facts) != _answer(qualification, s, on, bound, facts)
            for s in SITUATIONS
        ), bound
