"""The pure pass rule: a block's result from its criteria (no database)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cqphub.assessment.pass_rules import (
    ALL,
    LEVEL,
    PERCENTAGE,
    THRESHOLD,
    Outcome,
    PassRule,
    Scale,
    check_values,
    evaluate,
    missing_criteria,
)

SCALE = Scale(levels=("non acquis", "en cours", "acquis", "maîtrisé"), met_from="acquis")
bools = st.lists(st.booleans(), min_size=1, max_size=60)


def test_all_criteria_met_passes_one_missed_fails():
    rule = PassRule()
    assert evaluate(rule, [True] * 40).outcome is Outcome.PASSED
    result = evaluate(rule, [True] * 39 + [False])
    assert (result.outcome, result.met, result.total) == (Outcome.FAILED, 39, 40)


def test_a_criterion_not_scored_makes_the_block_incomplete_whatever_the_rule():
    for rule in (PassRule(), PassRule(kind=THRESHOLD, threshold=1), PassRule(kind=PERCENTAGE, threshold=50)):
        result = evaluate(rule, [True, True, None])
        assert result.outcome is Outcome.INCOMPLETE and result.missing == 1
    assert missing_criteria([True, None, False, None]) == [1, 3]


def test_an_empty_block_never_passes():
    assert evaluate(PassRule(), []).outcome is Outcome.INCOMPLETE


def test_threshold_is_a_count_as_in_qualifications():
    rule = PassRule.from_block("threshold", 30)
    assert rule.kind == THRESHOLD and rule.threshold == 30
    assert evaluate(rule, [True] * 30 + [False] * 10).passed
    assert not evaluate(rule, [True] * 29 + [False] * 11).passed
    assert PassRule.from_block("all", None).kind == ALL


def test_percentage_passes_at_the_threshold_not_below():
    rule = PassRule(kind=PERCENTAGE, threshold=75)
    assert evaluate(rule, [True] * 3 + [False]).passed  # exactly 75 %
    assert not evaluate(rule, [True] * 74 + [False] * 26).passed  # 74 %
    assert not evaluate(rule, [True] * 2 + [False]).passed  # 66.7 %


def test_levels_count_as_met_from_the_scales_met_level():
    rule = PassRule(kind=ALL, scale=SCALE)
    assert evaluate(rule, ["acquis", "maîtrisé"]).passed
    assert not evaluate(rule, ["acquis", "en cours"]).passed


def test_level_rule_uses_the_lower_median_level():
    rule = PassRule(kind=LEVEL, scale=SCALE, required_level="acquis")
    result = evaluate(rule, ["non acquis", "acquis", "maîtrisé", "maîtrisé"])
    assert result.level == "acquis" and result.passed
    result = evaluate(rule, ["non acquis", "en cours", "maîtrisé", "maîtrisé"])
    assert result.level == "en cours" and not result.passed


def test_bad_rules_and_values_are_refused_with_where():
    with pytest.raises(ValueError, match="threshold"):
        PassRule(kind=THRESHOLD)
    with pytest.raises(ValueError, match="between 1 and 100"):
        PassRule(kind=PERCENTAGE, threshold=120)
    with pytest.raises(ValueError, match="scale"):
        PassRule(kind=LEVEL)
    with pytest.raises(ValueError, match="criterion 2"):
        check_values(PassRule(), [True, "acquis"])
    with pytest.raises(ValueError, match="criterion 1"):
        check_values(PassRule(scale=SCALE), ["excellent"])
    with pytest.raises(ValueError, match="not a level"):
        Scale(levels=("a", "b"), met_from="c")


def test_rules_round_trip_through_their_dict():
    for rule in (
        PassRule(),
        PassRule(kind=THRESHOLD, threshold=3),
        PassRule(kind=LEVEL, scale=SCALE, required_level="acquis"),
    ):
        assert PassRule.from_dict(rule.to_dict()) == rule
        assert rule.describe()


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # shared machine
@given(bools)
def test_all_passes_exactly_when_nothing_is_missed(values):
    assert evaluate(PassRule(), values).passed == all(values)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # shared machine
@given(bools, st.integers(min_value=1, max_value=60))
def test_threshold_passes_exactly_when_enough_are_met(values, threshold):
    result = evaluate(PassRule(kind=THRESHOLD, threshold=threshold), values)
    assert result.passed == (sum(values) >= threshold)
    assert result.met == sum(values) and result.total == len(values)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # shared machine
@given(bools, st.integers(min_value=1, max_value=100))
def test_one_more_criterion_met_never_turns_a_pass_into_a_fail(values, percent):
    rule = PassRule(kind=PERCENTAGE, threshold=percent)
    before = evaluate(rule, values).passed
    if False in values:
        better = list(values)
        better[better.index(False)] = True
        assert evaluate(rule, better).passed >= before


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # shared machine
@given(st.lists(st.sampled_from(SCALE.levels), min_size=1, max_size=40), st.sampled_from(SCALE.levels))
def test_level_rule_is_monotonic_in_the_required_level(values, required):
    result = evaluate(PassRule(kind=LEVEL, scale=SCALE, required_level=required), values)
    lowest = PassRule(kind=LEVEL, scale=SCALE, required_level=SCALE.levels[0])
    assert evaluate(lowest, values).passed
    assert result.passed == (SCALE.rank(result.level) >= SCALE.rank(required))
