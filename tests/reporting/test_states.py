"""The reporting state machine of one award (pure)."""

from datetime import date

import pytest

from cqphub.reporting.states import Entry, State, TransitionError, Urgency, summarise

DECIDED = date(2026, 6, 30)


def test_the_happy_path_and_its_history():
    e = Entry(DECIDED).include(1, date(2026, 7, 5)).accept(date(2026, 7, 20))
    assert e.state is State.ACCEPTED and e.accepted_files == (1,)
    assert [(ev.source, ev.target, ev.file_number) for ev in e.history] == [
        (State.TO_REPORT, State.IN_FILE, 1),
        (State.IN_FILE, State.ACCEPTED, 1),
    ]


def test_rejection_needs_a_reason_then_a_correction_goes_in_a_new_file():
    e = Entry(DECIDED).include(1, date(2026, 7, 5))
    with pytest.raises(TransitionError):
        e.reject(date(2026, 7, 20), "  ")
    e = e.reject(date(2026, 7, 20), "Code INSEE inconnu")
    assert e.state is State.REJECTED and e.reason == "Code INSEE inconnu"
    assert e.due_date == date(2026, 10, 20)  # corrections: 3 months after the CDC's answer
    e = e.correct(date(2026, 7, 22), "Code INSEE corrigé")
    assert e.state is State.CORRECTED and e.to_send
    e = e.include(2, date(2026, 7, 25)).accept(date(2026, 8, 1))
    assert e.state is State.ACCEPTED and e.accepted_files == (2,)


def test_never_in_two_accepted_files():
    e = Entry(DECIDED).include(1, date(2026, 7, 5)).accept(date(2026, 7, 20))
    with pytest.raises(TransitionError):
        e.include(2, date(2026, 8, 1))  # accepted: not to send again
    # even if a stale copy is forced back into a file, a second acceptance is refused
    forced = Entry(DECIDED, state=State.IN_FILE, file_number=3, accepted_files=(1,))
    with pytest.raises(TransitionError, match="only a correction"):
        forced.accept(date(2026, 9, 1))


def test_a_correction_of_an_accepted_award_can_be_accepted():
    e = Entry(DECIDED).include(1, date(2026, 7, 5)).accept(date(2026, 7, 20))
    e = e.correct(date(2026, 9, 1), "nom d'usage corrigé")
    assert e.state is State.CORRECTED and e.is_correction
    e = e.include(2, date(2026, 9, 2)).accept(date(2026, 9, 10))
    assert e.accepted_files == (1, 2)


@pytest.mark.parametrize(
    ("state", "move"),
    [
        (State.TO_REPORT, lambda e: e.accept(date(2026, 7, 1))),
        (State.TO_REPORT, lambda e: e.reject(date(2026, 7, 1), "x")),
        (State.TO_REPORT, lambda e: e.correct(date(2026, 7, 1), "x")),
        (State.ACCEPTED, lambda e: e.include(2, date(2026, 7, 1))),
        (State.REJECTED, lambda e: e.include(2, date(2026, 7, 1))),
        (State.WITHDRAWN, lambda e: e.include(2, date(2026, 7, 1))),
        (State.CORRECTED, lambda e: e.accept(date(2026, 7, 1))),
    ],
)
def test_illegal_moves_are_refused(state, move):
    with pytest.raises(TransitionError):
        move(Entry(DECIDED, state=state, file_number=1))


def test_revocation_before_reporting_withdraws():
    e = Entry(DECIDED).revoke(date(2026, 7, 1))
    assert e.state is State.WITHDRAWN and e.urgency(date(2027, 1, 1)) is Urgency.DONE


def test_revocation_after_acceptance_is_a_correction_to_send():
    e = Entry(DECIDED).include(1, date(2026, 7, 5)).accept(date(2026, 7, 20)).revoke(date(2026, 10, 2))
    assert e.state is State.CORRECTED and e.is_correction and e.revoked
    assert e.due_date == date(2027, 1, 2)
    e = e.include(2, date(2026, 10, 3)).accept(date(2026, 10, 10))
    assert e.state is State.ACCEPTED and e.accepted_files == (1, 2)


def test_revocation_while_in_file_asks_for_a_correction_once_accepted():
    e = Entry(DECIDED).include(1, date(2026, 7, 5)).revoke(date(2026, 7, 6))
    assert e.state is State.IN_FILE
    e = e.accept(date(2026, 7, 20))
    assert e.state is State.CORRECTED and e.is_correction and e.accepted_files == (1,)


def test_revocation_while_in_file_then_rejected_withdraws_on_correction():
    e = Entry(DECIDED).include(1, date(2026, 7, 5)).revoke(date(2026, 7, 6)).reject(date(2026, 7, 20), "x")
    assert e.correct(date(2026, 7, 21), "révoqué").state is State.WITHDRAWN


def test_release_puts_it_back():
    e = Entry(DECIDED).include(1, date(2026, 7, 5)).release(date(2026, 7, 6))
    assert e.state is State.TO_REPORT


def test_due_and_overdue():
    e = Entry(DECIDED)
    assert e.due_date == date(2026, 9, 30)
    assert e.urgency(date(2026, 9, 30)) is Urgency.DUE
    assert e.urgency(date(2026, 10, 1)) is Urgency.OVERDUE
    assert e.include(1, date(2026, 10, 2)).urgency(date(2026, 10, 3)) is Urgency.WAITING
    rejected = e.include(1, date(2026, 7, 1)).reject(date(2026, 7, 10), "x")
    assert rejected.urgency(date(2026, 8, 1)) is Urgency.REJECTED
    assert rejected.urgency(date(2026, 10, 11)) is Urgency.OVERDUE


def test_summary_counts_every_entry():
    entries = [
        Entry(DECIDED),
        Entry(date(2026, 1, 1)),
        Entry(DECIDED).include(1, date(2026, 7, 1)),
        Entry(DECIDED).include(1, date(2026, 7, 1)).accept(date(2026, 7, 2)),
    ]
    counts = summarise(entries, date(2026, 8, 1))
    assert counts[Urgency.DUE] == 1 and counts[Urgency.OVERDUE] == 1
    assert counts[Urgency.WAITING] == 1 and counts[Urgency.DONE] == 1
    assert sum(counts.values()) == 4
