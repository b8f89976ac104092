"""The Django choices carry the same values as the pure modules' enums."""

from cqphub.assessment import enums as assessment_enums
from cqphub.assessment import pass_rules
from cqphub.juries import composition, deliberation, enums


def test_values_match_the_pure_modules():
    assert set(enums.College.values) == {c.value for c in composition.College}
    assert set(enums.Overall.values) == {o.value for o in deliberation.Overall}
    assert set(enums.Attendance.values) == {a.value for a in deliberation.Attendance}
    assert set(enums.BlockProposal.values) == {p.value for p in deliberation.BlockProposal}
    assert set(assessment_enums.Outcome.values) == {o.value for o in pass_rules.Outcome}
    assert set(assessment_enums.Attendance.values) == set(enums.Attendance.values)
