"""The legal life of a CQP, as a pure state machine (no Django import): which events may follow
which, what each event requires, and what falls due next.

Sources (../shared/RULES.md):
- L. 6113-4 al. 1–3 (§2): a CQP is established by one or more CPNE, which designate the IP holder,
  and is transmitted to France compétences **and** to the Caisse des dépôts; its legal existence is
  conditioned on the transmission (France compétences page, [OFF]).
- L. 6113-5 II / L. 6113-6 (§3.1, §3.2): registration in the RNCP or the RS on request, **for at most
  five years**, renewable on request; RNCP registrations carry a level 1–8 (D. 6113-18/-19, §3.3),
  RS registrations none ([BEL], §3.2).
- Renewal (§3.1): "file **at least 7 months** before expiry" (France compétences notice, June 2021,
  [OFF, possibly outdated]) — the deadline below is the end of registration minus 7 months.
- Commission outcomes (§3.1): favourable, unfavourable, adjournment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

# States -------------------------------------------------------------------------------------
CREATED = "created"
TRANSMITTED = "transmitted"
REQUESTED = "requested"
ADJOURNED = "adjourned"
REFUSED = "refused"
REGISTERED = "registered"
RENEWAL_REQUESTED = "renewal_requested"
EXPIRED = "expired"
WITHDRAWN = "withdrawn"

# Events -------------------------------------------------------------------------------------
E_CREATED = "created"
E_TRANSMITTED_FC = "transmitted_fc"
E_TRANSMITTED_CDC = "transmitted_cdc"
E_REQUESTED = "registration_requested"
E_REGISTERED = "registered"
E_REFUSED = "refused"
E_ADJOURNED = "adjourned"
E_RENEWAL_REQUESTED = "renewal_requested"
E_EXPIRED = "expired"
E_WITHDRAWN = "withdrawn"

# The one declaration of the vocabulary: `enums.LifecycleState` / `LifecycleEventKind` only add labels.
STATES = (
    CREATED,
    TRANSMITTED,
    REQUESTED,
    ADJOURNED,
    REFUSED,
    REGISTERED,
    RENEWAL_REQUESTED,
    EXPIRED,
    WITHDRAWN,
)
EVENTS = (
    E_CREATED,
    E_TRANSMITTED_FC,
    E_TRANSMITTED_CDC,
    E_REQUESTED,
    E_REGISTERED,
    E_REFUSED,
    E_ADJOURNED,
    E_RENEWAL_REQUESTED,
    E_EXPIRED,
    E_WITHDRAWN,
)

RENEWAL_NOTICE_MONTHS = 7  # RULES.md §3.1, France compétences notice (June 2021)
MAX_REGISTRATION_YEARS = 5  # L. 6113-5 II, L. 6113-6 al. 1
RENEWAL_CITATION = (
    "France compétences, note de juin 2021 : demande de renouvellement au moins "
    "7 mois avant la fin de l'enregistrement ; durée maximale 5 ans (L. 6113-5 II, L. 6113-6)"
)
TRANSMISSION_CITATION = "L. 6113-4 al. 3 : transmission à France compétences et à la Caisse des dépôts"

# Which events may be recorded in which state.
TRANSITIONS: dict[str, frozenset[str]] = {
    CREATED: frozenset({E_TRANSMITTED_FC, E_TRANSMITTED_CDC, E_WITHDRAWN}),
    TRANSMITTED: frozenset({E_REQUESTED, E_WITHDRAWN}),
    REQUESTED: frozenset({E_REGISTERED, E_REFUSED, E_ADJOURNED, E_WITHDRAWN}),
    ADJOURNED: frozenset({E_REQUESTED, E_REGISTERED, E_REFUSED, E_WITHDRAWN}),
    REFUSED: frozenset({E_REQUESTED, E_WITHDRAWN}),
    REGISTERED: frozenset({E_RENEWAL_REQUESTED, E_EXPIRED, E_WITHDRAWN}),
    RENEWAL_REQUESTED: frozenset({E_REGISTERED, E_REFUSED, E_ADJOURNED, E_EXPIRED, E_WITHDRAWN}),
    EXPIRED: frozenset({E_REQUESTED, E_WITHDRAWN}),
    WITHDRAWN: frozenset(),
}

FICHE_CODE_RE = {"RNCP": re.compile(r"^RNCP\d{3,6}$"), "RS": re.compile(r"^RS\d{3,6}$")}


class TransitionError(ValueError):
    """An event that may not be recorded; `field` names the faulty input when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Event:
    kind: str
    on: date
    register: str = ""  # RNCP | RS (registration_requested, registered)
    fiche_code: str = ""
    level: int | None = None
    start: date | None = None
    end: date | None = None


@dataclass
class Snapshot:
    """Where a qualification stands after a sequence of events."""

    state: str = CREATED
    created_on: date | None = None
    transmitted_fc_on: date | None = None
    transmitted_cdc_on: date | None = None
    requested_on: date | None = None
    register: str = ""
    fiche_code: str = ""
    level: int | None = None
    registered_from: date | None = None
    registered_until: date | None = None
    last_event_on: date | None = None
    history: list[str] = field(default_factory=list)

    @property
    def transmitted(self) -> bool:
        return bool(self.transmitted_fc_on and self.transmitted_cdc_on)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def allowed_events(state: str) -> frozenset[str]:
    return TRANSITIONS.get(state, frozenset())


def apply(snapshot: Snapshot, event: Event) -> Snapshot:
    """Return the snapshot after `event`, or raise TransitionError saying why it is refused."""
    if event.kind == E_CREATED:
        if snapshot.history:
            raise TransitionError("La création est déjà enregistrée.")
        return Snapshot(state=CREATED, created_on=event.on, last_event_on=event.on, history=[E_CREATED])
    _check_order(snapshot, event)
    new = Snapshot(**{**snapshot.__dict__, "history": [*snapshot.history, event.kind]})
    new.last_event_on = event.on
    _record_effect(snapshot, new, event)
    if event.kind in (E_TRANSMITTED_FC, E_TRANSMITTED_CDC) and new.transmitted:
        new.state = TRANSMITTED
    return new


def _check_order(snapshot: Snapshot, event: Event) -> None:
    """After the creation, an event the current state allows, not dated before the last one."""
    if not snapshot.history:
        raise TransitionError("Enregistrez d'abord la création de la qualification.")
    if event.kind not in allowed_events(snapshot.state):
        raise TransitionError(
            f"L'événement « {event.kind} » n'est pas possible dans l'état « {snapshot.state} »."
        )
    if snapshot.last_event_on and event.on < snapshot.last_event_on:
        raise TransitionError(
            f"La date ({event.on:%d/%m/%Y}) précède celle du dernier événement "
            f"({snapshot.last_event_on:%d/%m/%Y}).",
            field="on",
        )


def _record_effect(snapshot: Snapshot, new: Snapshot, event: Event) -> None:
    """What `event` changes in `new` (a copy of `snapshot` with the event added to its history)."""
    kind = event.kind
    if kind == E_TRANSMITTED_FC:
        if snapshot.transmitted_fc_on:
            raise TransitionError("La transmission à France compétences est déjà enregistrée.")
        new.transmitted_fc_on = event.on
    elif kind == E_TRANSMITTED_CDC:
        if snapshot.transmitted_cdc_on:
            raise TransitionError("La transmission à la Caisse des dépôts est déjà enregistrée.")
        new.transmitted_cdc_on = event.on
    elif kind == E_REQUESTED:
        if event.register not in FICHE_CODE_RE:
            raise TransitionError("Indiquez le répertoire demandé (RNCP ou RS).", field="register")
        new.state, new.requested_on, new.register = REQUESTED, event.on, event.register
    elif kind == E_RENEWAL_REQUESTED:
        new.state, new.requested_on = RENEWAL_REQUESTED, event.on
    elif kind == E_REGISTERED:
        _check_registration(snapshot, event)
        new.state = REGISTERED
        new.register = event.register or snapshot.register
        new.fiche_code, new.level = event.fiche_code, event.level
        new.registered_from, new.registered_until = event.start, event.end
    elif kind == E_REFUSED:
        new.state = REFUSED if snapshot.state != RENEWAL_REQUESTED else REGISTERED
        if (
            snapshot.state == RENEWAL_REQUESTED
            and snapshot.registered_until
            and (event.on > snapshot.registered_until)
        ):
            new.state = EXPIRED
    elif kind == E_ADJOURNED:
        new.state = ADJOURNED if snapshot.state != RENEWAL_REQUESTED else RENEWAL_REQUESTED
    elif kind == E_EXPIRED:
        if snapshot.registered_until and event.on <= snapshot.registered_until:
            raise TransitionError(
                f"L'enregistrement court jusqu'au {snapshot.registered_until:%d/%m/%Y} : "
                "il ne peut être échu avant cette date.",
                field="on",
            )
        new.state = EXPIRED
    elif kind == E_WITHDRAWN:
        new.state = WITHDRAWN


def _check_registration(snapshot: Snapshot, event: Event) -> None:
    register = event.register or snapshot.register
    if register not in FICHE_CODE_RE:
        raise TransitionError("Indiquez le répertoire (RNCP ou RS).", field="register")
    if not FICHE_CODE_RE[register].match(event.fiche_code or ""):
        raise TransitionError(
            f"Le numéro de fiche « {event.fiche_code} » ne correspond pas au répertoire {register} "
            f"(attendu par ex. « {register}12345 »).",
            field="fiche_code",
        )
    if not event.start or not event.end:
        raise TransitionError("Indiquez les dates de début et de fin d'enregistrement.", field="end")
    if event.end <= event.start:
        raise TransitionError("La fin d'enregistrement doit suivre son début.", field="end")
    if event.end > add_years(event.start, MAX_REGISTRATION_YEARS):
        raise TransitionError("Un enregistrement dure au plus 5 ans (L. 6113-5 II, L. 6113-6).", field="end")
    if register == "RNCP" and (event.level is None or not 1 <= event.level <= 8):
        raise TransitionError(
            "Un enregistrement au RNCP porte un niveau de 1 à 8 (D. 6113-19).", field="level"
        )
    if register == "RS" and event.level is not None:
        raise TransitionError("Une certification du répertoire spécifique n'a pas de niveau.", field="level")


def replay(events: list[Event]) -> Snapshot:
    snapshot = Snapshot()
    for event in events:
        snapshot = apply(snapshot, event)
    return snapshot


@dataclass(frozen=True)
class Due:
    """Something to do by a date (or as soon as possible when `due_on` is None)."""

    key: str
    label: str
    due_on: date | None
    citation: str

    def overdue(self, today: date) -> bool:
        return self.due_on is not None and self.due_on < today


def renewal_deadline(registered_until: date) -> date:
    return add_months(registered_until, -RENEWAL_NOTICE_MONTHS)


def is_renewal_due(snapshot: Snapshot, today: date, horizon_months: int = 12) -> bool:
    """Registered, renewal not yet requested, and the deadline within `horizon_months`."""
    if snapshot.state != REGISTERED or not snapshot.registered_until:
        return False
    return renewal_deadline(snapshot.registered_until) <= add_months(today, horizon_months)


def next_due(snapshot: Snapshot, today: date) -> list[Due]:
    """What falls due next for this qualification, earliest first."""
    items: list[Due] = []
    if snapshot.state == WITHDRAWN:
        return items
    if not snapshot.transmitted_fc_on:
        items.append(
            Due(
                "transmit_fc",
                "Transmettre la qualification à France compétences",
                None,
                TRANSMISSION_CITATION,
            )
        )
    if not snapshot.transmitted_cdc_on:
        items.append(
            Due(
                "transmit_cdc",
                "Transmettre la qualification à la Caisse des dépôts",
                None,
                TRANSMISSION_CITATION,
            )
        )
    if snapshot.state == REGISTERED and snapshot.registered_until:
        items.append(
            Due(
                "renewal_request",
                "Déposer la demande de renouvellement de l'enregistrement",
                renewal_deadline(snapshot.registered_until),
                RENEWAL_CITATION,
            )
        )
    if snapshot.state in (REGISTERED, RENEWAL_REQUESTED) and snapshot.registered_until:
        items.append(
            Due(
                "registration_end",
                f"Fin de l'enregistrement {snapshot.fiche_code}".strip(),
                snapshot.registered_until,
                "L. 6113-5 II / L. 6113-6 : enregistrement pour une durée limitée",
            )
        )
    return sorted(items, key=lambda d: (d.due_on is not None, d.due_on or date.min))


def display_state(snapshot: Snapshot, today: date) -> str:
    """The stored state, "expired" past the end of registration, "renewal_due" when the renewal
    deadline falls within 12 months."""
    if (
        snapshot.state in (REGISTERED, RENEWAL_REQUESTED)
        and snapshot.registered_until
        and (today > snapshot.registered_until)
    ):
        return EXPIRED
    if is_renewal_due(snapshot, today):
        return "renewal_due"
    return snapshot.state
