"""What every rule reads: the facts, the person, the date, and what derives from them once.

The registration status (RULES.md §9.1) and the legal basis a route can rest on are computed here,
once per certification and date, so that the rules stay small and agree with each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cqphub.rules.facts import CertificationFacts, PersonSituation, Register, Successor

L6113_9_FROM = date(2022, 12, 23)  # loi n° 2022-1598, art. 10


class RegStatus(StrEnum):
    RNCP_ACTIVE = "rncp_active"
    RS_ACTIVE = "rs_active"
    RNCP_EXPIRED = "rncp_expired"
    RS_EXPIRED = "rs_expired"
    BRANCH_ONLY = "branch_only"
    TRANSMISSION_UNKNOWN = "transmission_unknown"  # a CQP in no register in force, transmission not known
    NO_LEGAL_EXISTENCE = "no_legal_existence"


class Window(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    NOT_YET = "not_yet"
    NONE = "none"  # not in a register


class Basis(StrEnum):
    """What a training route towards this certification can rest on, on that date."""

    RNCP = "rncp"  # L. 6314-1 1°
    RS = "rs"  # complementary skills (L. 6113-6); a CQP stays a "CQP de branche" (3°) [BEL]
    BRANCH = "branch"  # L. 6314-1 3°: a CQP transmitted, recognised in its branch(es)
    NONE = "none"


def window(facts: CertificationFacts, on: date) -> Window:
    if facts.register is None:
        return Window.NONE
    start, end = facts.registered_from, facts.registered_until
    if start is None and end is None:
        return Window.EXPIRED if facts.active is False else Window.ACTIVE
    if start is not None and on < start:
        return Window.NOT_YET
    if end is not None and on > end:
        return Window.EXPIRED
    return Window.ACTIVE


def registration_status(facts: CertificationFacts, on: date) -> RegStatus:
    """RULES.md §9.1."""
    current = window(facts, on)
    if current is Window.ACTIVE:
        return RegStatus.RNCP_ACTIVE if facts.register is Register.RNCP else RegStatus.RS_ACTIVE
    if current is Window.EXPIRED:
        return RegStatus.RNCP_EXPIRED if facts.register is Register.RNCP else RegStatus.RS_EXPIRED
    if facts.is_cqp and facts.transmitted:
        return RegStatus.BRANCH_ONLY
    if facts.is_cqp and facts.transmitted is None:
        # Unknown is not "no" (L. 6113-4 makes transmission the CPNE's duty; the open data does not
        # say it): a CQP outside any register, or whose registration is not yet in force, is
        # never called non-existent on a missing fact.
        return RegStatus.TRANSMISSION_UNKNOWN
    return RegStatus.NO_LEGAL_EXISTENCE


def status_of_register(register: Register | None) -> RegStatus:
    return RegStatus.RNCP_ACTIVE if register is Register.RNCP else RegStatus.RS_ACTIVE


@dataclass(slots=True)
class Ctx:
    facts: CertificationFacts
    person: PersonSituation | None
    on: date
    window: Window
    status: RegStatus
    basis: Basis
    basis_uncertain: bool  # a CQP whose transmission we do not know (lapsed, or never registered)
    successor: Successor | None  # the nearest successor fiche in force on the date, if any
    registered: RegStatus  # the status the CPF and the registered routes follow (a successor's if any)

    @classmethod
    def build(cls, facts: CertificationFacts, person: PersonSituation | None, on: date) -> Ctx:
        current = window(facts, on)
        status = registration_status(facts, on)
        uncertain = False
        if status is RegStatus.RNCP_ACTIVE:
            basis = Basis.RNCP
        elif status is RegStatus.RS_ACTIVE:
            basis = Basis.RS
        elif facts.is_cqp and facts.transmitted:
            basis = Basis.BRANCH
        elif facts.is_cqp and facts.transmitted is None:
            # A CQP was established by a CPNE (L. 6113-4); whether it is (still) transmitted to
            # France compétences and the CDC is not in the open data: the routes say so.
            basis, uncertain = Basis.BRANCH, True
        else:
            basis = Basis.NONE
        successor = None
        registered = status
        if status not in (RegStatus.RNCP_ACTIVE, RegStatus.RS_ACTIVE):
            successor = facts.successor_on(on)
            if successor is not None:
                # The same certification continues under another code (A3): the CPF and the routes
                # that need a registration follow the successor in force on that date.
                registered = status_of_register(successor.register)
                basis, uncertain = (Basis.RNCP if successor.register is Register.RNCP else Basis.RS), False
        return cls(facts, person, on, current, status, basis, uncertain, successor, registered)

    # -- L. 6113-9 ------------------------------------------------------------------------------
    def _in_window(self, day: date | None) -> bool | None:
        if day is None:
            return None
        start, end = self.facts.registered_from, self.facts.registered_until
        return (start is None or day >= start) and (end is None or day <= end)

    def assertion(self) -> bool | None:
        """May this person assert the RNCP registration (RULES.md §9.3)? None when we cannot tell."""
        if self.facts.register is not Register.RNCP or self.window is Window.NOT_YET:
            return False
        if self.window is Window.ACTIVE:
            return True
        p = self.person
        if p is None:
            return None
        obtained = self._in_window(p.obtained_on)
        if obtained:
            return True
        if self.on >= L6113_9_FROM:
            if p.in_registration_cohort and p.obtained_on is not None:
                return True
            if self._in_window(p.training_started_on) or self._in_window(p.vae_admissible_on):
                return True
        known = (p.obtained_on, p.training_started_on, p.vae_admissible_on)
        return None if all(d is None for d in known) and not p.in_registration_cohort else False
