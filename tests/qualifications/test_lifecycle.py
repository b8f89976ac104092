"""The legal life state machine (pure: no database)."""

from datetime import date

import pytest

from cqphub.qualifications import lifecycle as lc

CREATED = lc.Event(lc.E_CREATED, date(2022, 6, 15))


def registered(**extra):
    values = {
        "register": "RNCP",
        "fiche_code": "RNCP99001",
        "level": 3,
        "start": date(2023, 4, 1),
        "end": date(2028, 4, 1),
    }
    return lc.Event(lc.E_REGISTERED, extra.pop("on", date(2023, 3, 15)), **(values | extra))


def up_to_request():
    return [
        CREATED,
        lc.Event(lc.E_TRANSMITTED_FC, date(2022, 7, 1)),
        lc.Event(lc.E_TRANSMITTED_CDC, date(2022, 7, 5)),
        lc.Event(lc.E_REQUESTED, date(2022, 9, 12), register="RNCP"),
    ]


def test_full_life_with_dates():
    snap = lc.replay([*up_to_request(), registered()])
    assert snap.state == lc.REGISTERED
    assert (snap.transmitted_fc_on, snap.transmitted_cdc_on) == (date(2022, 7, 1), date(2022, 7, 5))
    assert (snap.fiche_code, snap.level, snap.registered_until) == ("RNCP99001", 3, date(2028, 4, 1))
    snap = lc.apply(snap, lc.Event(lc.E_RENEWAL_REQUESTED, date(2027, 8, 1)))
    assert snap.state == lc.RENEWAL_REQUESTED
    snap = lc.apply(
        snap,
        registered(on=date(2028, 2, 1), fiche_code="RNCP99101", start=date(2028, 4, 2), end=date(2033, 4, 1)),
    )
    assert snap.state == lc.REGISTERED and snap.fiche_code == "RNCP99101"


def test_transmitted_only_after_both_transmissions():
    snap = lc.replay([CREATED, lc.Event(lc.E_TRANSMITTED_FC, date(2022, 7, 1))])
    assert snap.state == lc.CREATED
    with pytest.raises(lc.TransitionError):
        lc.apply(snap, lc.Event(lc.E_REQUESTED, date(2022, 8, 1), register="RNCP"))
    snap = lc.apply(snap, lc.Event(lc.E_TRANSMITTED_CDC, date(2022, 7, 2)))
    assert snap.state == lc.TRANSMITTED


@pytest.mark.parametrize(
    ("event", "field"),
    [
        (registered(fiche_code="RS1234"), "fiche_code"),
        (registered(end=date(2028, 4, 2)), "end"),  # more than 5 years (L. 6113-5 II)
        (registered(end=date(2023, 3, 1)), "end"),
        (registered(level=None), "level"),
        (registered(level=9), "level"),
        (registered(on=date(2022, 1, 1)), "on"),  # before the last event
    ],
)
def test_registration_refused_with_the_faulty_field(event, field):
    with pytest.raises(lc.TransitionError) as error:
        lc.replay([*up_to_request(), event])
    assert error.value.field == field


def test_rs_registration_has_no_level():
    events = up_to_request()[:-1] + [lc.Event(lc.E_REQUESTED, date(2022, 9, 12), register="RS")]
    snap = lc.replay([*events, registered(register="RS", fiche_code="RS5719", level=None)])
    assert snap.register == "RS" and snap.level is None
    with pytest.raises(lc.TransitionError):
        lc.replay([*events, registered(register="RS", fiche_code="RS5719", level=3)])


def test_impossible_transitions():
    with pytest.raises(lc.TransitionError):
        lc.replay([CREATED, registered()])
    with pytest.raises(lc.TransitionError):
        lc.replay([lc.Event(lc.E_TRANSMITTED_FC, date(2022, 1, 1))])
    withdrawn = lc.replay([CREATED, lc.Event(lc.E_WITHDRAWN, date(2023, 1, 1))])
    assert lc.allowed_events(withdrawn.state) == frozenset()
    with pytest.raises(lc.TransitionError):
        lc.apply(withdrawn, lc.Event(lc.E_TRANSMITTED_FC, date(2023, 2, 1)))


def test_expiry_not_before_end_of_registration():
    snap = lc.replay([*up_to_request(), registered()])
    with pytest.raises(lc.TransitionError):
        lc.apply(snap, lc.Event(lc.E_EXPIRED, date(2028, 4, 1)))
    assert lc.apply(snap, lc.Event(lc.E_EXPIRED, date(2028, 4, 2))).state == lc.EXPIRED


def test_renewal_is_due_seven_months_before_the_end():
    snap = lc.replay([*up_to_request(), registered()])
    due = {d.key: d for d in lc.next_due(snap, date(2026, 11, 27))}
    assert due["renewal_request"].due_on == date(2027, 9, 1)  # 1 April 2028 minus 7 months
    assert "7 mois" in due["renewal_request"].citation
    assert due["registration_end"].due_on == date(2028, 4, 1)
    assert lc.display_state(snap, date(2026, 8, 31)) == lc.REGISTERED
    assert lc.display_state(snap, date(2026, 9, 1)) == "renewal_due"
    assert lc.display_state(snap, date(2028, 4, 2)) == lc.EXPIRED


def test_transmission_due_as_soon_as_possible():
    due = lc.next_due(lc.replay([CREATED]), date(2024, 1, 1))
    assert [d.key for d in due] == ["transmit_fc", "transmit_cdc"] and due[0].due_on is None


def test_add_months_clamps_the_day():
    assert lc.add_months(date(2028, 3, 31), -7) == date(2027, 8, 31)
    assert lc.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_the_labelled_choices_are_exactly_the_machine_s_states_and_events():
    from cqphub.qualifications import lifecycle as lc
    from cqphub.qualifications.enums import LifecycleEventKind, LifecycleState

    assert list(LifecycleState.values) == list(lc.STATES)
    assert list(LifecycleEventKind.values) == list(lc.EVENTS)
    assert set(lc.TRANSITIONS) == set(lc.STATES)
    assert set().union(*lc.TRANSITIONS.values()) <= set(lc.EVENTS)
    assert all(str(label) for label in LifecycleState.labels + LifecycleEventKind.labels)
