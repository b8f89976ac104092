"""Reporting state of one award (pure: no Django import).

    to_report ──include(N, date)──▶ in_file N ──accept──▶ accepted ──correct(reason)──▶ corrected
        │                              │   └──reject(reason)──▶ rejected ──correct(reason)──▶ corrected
        │                              └──release (file N never deposited)──▶ back where it was
        └──revoke (never sent)──▶ withdrawn                    corrected ──include(M, date)──▶ in_file M

- The same award is never in two accepted files as a first report: `include` takes only awards that
  are to report or corrected, and `accept` refuses a first report of an award that already has an
  accepted file. A later accepted file can only carry a correction (same idTechnique, see
  holder_report's docstring).
- Deadline: the decision date + 3 months (R. 6113-17-2, "dans un délai de trois mois"); after a
  rejection, the correction is due 3 months after the CDC's answer (corrections "within 3 months of a
  CDC request", same article).
- A revocation of an award the CDC never accepted needs no report (withdrawn if it was never sent);
  a revocation of an accepted award makes it `corrected` (to send again with dateFinValidite).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from cqphub.reporting.holder_report import deadline


class State(StrEnum):
    TO_REPORT = "to_report"
    IN_FILE = "in_file"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CORRECTED = "corrected"
    WITHDRAWN = "withdrawn"


class Urgency(StrEnum):
    DONE = "done"  # accepted, or nothing to send
    WAITING = "waiting"  # in a file, waiting for the CDC's answer
    DUE = "due"  # to send, deadline not passed
    OVERDUE = "overdue"  # to send, deadline passed
    REJECTED = "rejected"  # rejected, to correct


class TransitionError(ValueError):
    """An illegal move: the entry is left unchanged."""


@dataclass(frozen=True, slots=True)
class Event:
    on: date
    source: State
    target: State
    file_number: int | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Entry:
    decision_date: date
    state: State = State.TO_REPORT
    file_number: int | None = None  # the file it is in (in_file), or was last accepted/rejected in
    sent_on: date | None = None
    answered_on: date | None = None
    reason: str = ""  # rejection or correction reason
    accepted_files: tuple[int, ...] = ()
    is_correction: bool = False  # the pending or in-file report is a correction
    revoked: bool = False
    changed_while_sent: bool = False  # revoked while in a file: the file's content is out of date
    due: date | None = None  # set when a correction is due (after a rejection or a change)
    history: tuple[Event, ...] = field(default=())

    def _move(self, target: State, on: date, *, file_number=None, reason="", **changes) -> Entry:
        event = Event(on, self.state, target, file_number, reason)
        if file_number is not None:
            changes["file_number"] = file_number
        return replace(self, state=target, reason=reason, history=(*self.history, event), **changes)

    # --- transitions ---

    def include(self, file_number: int, on: date) -> Entry:
        if self.state not in (State.TO_REPORT, State.CORRECTED):
            raise TransitionError(f"cannot put an award that is {self.state} in a file")
        return self._move(State.IN_FILE, on, file_number=file_number, sent_on=on)

    def release(self, on: date) -> Entry:
        """File N was discarded before being deposited: the award goes back to be reported."""
        if self.state is not State.IN_FILE:
            raise TransitionError(f"cannot release an award that is {self.state}")
        target = State.CORRECTED if self.is_correction else State.TO_REPORT
        return self._move(target, on, file_number=self.file_number, sent_on=None)

    def accept(self, on: date) -> Entry:
        if self.state is not State.IN_FILE:
            raise TransitionError(f"cannot accept an award that is {self.state}")
        if self.accepted_files and not self.is_correction:
            raise TransitionError(
                f"already accepted in file {self.accepted_files[-1]}: only a correction can be accepted again"
            )
        assert self.file_number is not None
        accepted = self._move(
            State.ACCEPTED,
            on,
            file_number=self.file_number,
            answered_on=on,
            accepted_files=(*self.accepted_files, self.file_number),
            is_correction=False,
            reason="",
            due=None,
        )
        if self.changed_while_sent:
            # Revoked while the report was on its way: the CDC now holds a valid award.
            return accepted._move(
                State.CORRECTED,
                on,
                reason="revoked while in file",
                is_correction=True,
                sent_on=None,
                due=deadline(on),
                changed_while_sent=False,
            )
        return accepted

    def reject(self, on: date, reason: str) -> Entry:
        if self.state is not State.IN_FILE:
            raise TransitionError(f"cannot reject an award that is {self.state}")
        if not reason.strip():
            raise TransitionError("a rejection needs the reason the CDC gave")
        return self._move(
            State.REJECTED,
            on,
            file_number=self.file_number,
            reason=reason.strip(),
            answered_on=on,
            due=deadline(on),
            changed_while_sent=False,
        )

    def correct(self, on: date, reason: str) -> Entry:
        """The data were fixed (after a rejection) or changed (an accepted award): send it again."""
        if self.state not in (State.REJECTED, State.ACCEPTED):
            raise TransitionError(f"cannot correct an award that is {self.state}")
        if not reason.strip():
            raise TransitionError("a correction needs a reason")
        if self.state is State.REJECTED and self.revoked and not self.accepted_files:
            return self._move(State.WITHDRAWN, on, reason=reason.strip())
        due = self.due if self.state is State.REJECTED else deadline(on)
        return self._move(
            State.CORRECTED,
            on,
            reason=reason.strip(),
            is_correction=bool(self.accepted_files),
            sent_on=None,
            due=due,
        )

    def revoke(self, on: date) -> Entry:
        """The jury decision behind the award was revoked."""
        if self.revoked:
            raise TransitionError("already revoked")
        if self.state in (State.TO_REPORT,) or (self.state is State.CORRECTED and not self.accepted_files):
            return self._move(State.WITHDRAWN, on, reason="revoked before it was reported", revoked=True)
        if self.state is State.ACCEPTED:
            return self._move(
                State.CORRECTED,
                on,
                reason="decision revoked",
                revoked=True,
                is_correction=True,
                sent_on=None,
                due=deadline(on),
            )
        if self.state is State.CORRECTED:
            return replace(self, revoked=True, is_correction=True)
        if self.state is State.REJECTED and not self.accepted_files:
            return self._move(State.WITHDRAWN, on, reason="revoked after a rejection", revoked=True)
        if self.state is State.IN_FILE:
            return replace(self, revoked=True, changed_while_sent=True)
        # rejected after an earlier accepted report: the next correction carries the revocation
        return replace(self, revoked=True)

    # --- reading ---

    @property
    def due_date(self) -> date:
        return self.due or deadline(self.decision_date)

    def urgency(self, today: date) -> Urgency:
        if self.state in (State.ACCEPTED, State.WITHDRAWN):
            return Urgency.DONE
        if self.state is State.IN_FILE:
            return Urgency.WAITING
        if self.state is State.REJECTED:
            return Urgency.OVERDUE if today > self.due_date else Urgency.REJECTED
        return Urgency.OVERDUE if today > self.due_date else Urgency.DUE

    @property
    def to_send(self) -> bool:
        return self.state in (State.TO_REPORT, State.CORRECTED)


def summarise(entries, today: date) -> dict[Urgency, int]:
    """How many entries are done, waiting, due, overdue, rejected (for the dashboard)."""
    counts = dict.fromkeys(Urgency, 0)
    for entry in entries:
        counts[entry.urgency(today)] += 1
    return counts
