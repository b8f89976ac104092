"""Assessor independence rules (pure): trained candidates, same company, panels per block."""

from cqphub.assessment.independence import (
    NO_PROFESSIONAL,
    SAME_COMPANY,
    TOO_FEW,
    TRAINED,
    Assessor,
    Candidate,
    Policy,
    check_session,
    conflicts,
    panel_problems,
)

ALICE = Assessor(key=1, companies=frozenset({"44306184100047"}), from_profession=True, name="Alice")
BRUNO = Assessor(key=2, companies=frozenset(), from_profession=False, name="Bruno")


def test_an_assessor_may_not_assess_a_candidate_they_trained():
    candidate = Candidate(key=10, trainers=frozenset({2}))
    assert [c.code for c in conflicts(BRUNO, candidate, Policy())] == [TRAINED]
    assert conflicts(ALICE, candidate, Policy()) == []


def test_same_company_is_compared_by_siren_so_another_establishment_counts():
    candidate = Candidate(key=11, employer="44306184100013")  # same SIREN 443061841, other establishment
    assert [c.code for c in conflicts(ALICE, candidate, Policy())] == [SAME_COMPANY]
    assert conflicts(ALICE, Candidate(key=12, employer="73282932000074"), Policy()) == []


def test_rules_are_switched_per_qualification():
    candidate = Candidate(key=10, employer="44306184100047", trainers=frozenset({1}))
    assert len(conflicts(ALICE, candidate, Policy())) == 2
    assert conflicts(ALICE, candidate, Policy(no_own_trainees=False, no_own_company=False)) == []


def test_two_assessors_one_from_the_profession():
    strict = Policy(two_assessors=True, one_from_profession=True)
    assert [p.code for p in panel_problems([BRUNO], strict)] == [TOO_FEW, NO_PROFESSIONAL]
    assert [p.code for p in panel_problems([ALICE], strict)] == [TOO_FEW]
    assert panel_problems([ALICE, BRUNO], strict) == []
    assert panel_problems([BRUNO], Policy()) == []


def test_a_session_check_names_block_assessor_and_candidate():
    candidate = Candidate(key=10, trainers=frozenset({2}))
    found = check_session({"BC01": [ALICE, BRUNO]}, {"BC01": [candidate]}, Policy())
    assert [(c.code, c.block, c.assessor, c.candidate) for c in found] == [(TRAINED, "BC01", 2, 10)]
