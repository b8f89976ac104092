"""Builders for the assessment and juries tests: the demo world, candidacies taken through the real
services of journeys, assessment and juries."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from cqphub.assessment import services as assessment
from cqphub.journeys.enums import Status
from cqphub.journeys.services import transition
from cqphub.journeys.workflow import Actor
from cqphub.juries import services as juries
from cqphub.juries.enums import College
from cqphub.qualifications.enums import HabilitationScope
from cqphub.qualifications.services import create_habilitation
from tests.journeys.helpers import enrol, make_candidate

PRESIDENT_PASSWORD = "demo-cqphub-2026"  # closing a session asks for the president's password


def presiding_member(setting, password: str = PRESIDENT_PASSWORD):
    """The jury member of a setting (the demo world or the factories' scene), with a known password."""
    user = setting.users["jury_member"]
    user.set_password(password)
    user.save()
    return user


# Ahead of today: the demo habilitations are suspended "now", so a session date must follow.
SESSION_DAY = timezone.localdate() + timedelta(days=20)
JURY_DAY = SESSION_DAY + timedelta(days=15)


def sud(world):
    """The assessor's centre (Atelier Sud), given an active "assess" habilitation on the whole CQP."""
    centre = world.extra["south"]
    cqp = world.extra["cqp"]
    if not cqp.habilitations.filter(centre=centre, state="active", valid_until__gte=SESSION_DAY).exists():
        create_habilitation(
            actor=None,
            centre=centre,
            qualification=cqp,
            scope=HabilitationScope.ASSESS,
            valid_from=date(2025, 1, 1),
            valid_until=date(2029, 12, 31),
        )
    return centre


def ready_candidacy(world, n: int = 1, **extra):
    """A training candidacy on the demo CQP, taken to "ready for assessment"."""
    trainer = world.users["trainer"]
    candidacy = enrol(world, make_candidate(world, n), **extra)
    for status in (Status.SUBMITTED, Status.ENROLLED, Status.IN_TRAINING, Status.READY_FOR_ASSESSMENT):
        transition(candidacy, status, by=trainer, actor=Actor.CENTRE)
    candidacy.refresh_from_db()
    return candidacy


def assessment_session(world, *, on=SESSION_DAY, blocks=None):
    return assessment.schedule_session(
        actor=world.users["centre_manager"],
        centre=sud(world),
        qualification=world.extra["cqp"],
        on=on,
        place="Atelier Sud, 3 avenue du Four, Marseille",
        blocks=blocks,
    )


def assign_everywhere(world, session, assessor=None, **extra):
    assessor = assessor or world.users["assessor"]
    for block in session.blocks.all():
        assessment.assign_assessor(
            actor=world.users["superuser"], session=session, block=block, assessor=assessor, **extra
        )


def score(world, grid, *, met=True, fail_first: int = 0, assessor=None):
    assessor = assessor or world.users["assessor"]
    ids = grid.criterion_ids()
    values = {
        cid: ("not_met" if i < fail_first else ("met" if met else "not_met")) for i, cid in enumerate(ids)
    }
    assessment.record_results(actor=assessor, grid=grid, values=values)
    return assessment.sign_off(actor=assessor, grid=grid)


def assessed(world, n: int = 1, *, failing_blocks=(), session=None):
    """A candidacy assessed on every block (blocks in `failing_blocks` failed) → status "assessed"."""
    candidacy = ready_candidacy(world, n)
    session = session or assessment_session(world)
    if not session.assignments.exists():
        assign_everywhere(world, session)
    assessment.add_candidate(actor=world.users["centre_manager"], session=session, candidacy=candidacy)
    for grid in session.grids.filter(candidacy=candidacy).select_related("block"):
        score(world, grid, met=grid.block.code not in failing_blocks)
    candidacy.refresh_from_db()
    return candidacy


def jury_session(world, *, on=JURY_DAY, president=None):
    """A paritary jury: an employer representative (the demo jury member, president), an employee
    representative, a qualified person; the CQP's rules ask for three members and parity."""
    cqp = world.extra["cqp"]
    if not cqp.jury_rules.exists():
        juries.set_rules(
            actor=None,
            qualification=cqp,
            valid_from=date(2024, 1, 1),
            min_size=3,
            quorum=3,
            parity=True,
            reference="Règlement du CQP, art. 12 (démo)",
        )
    staff = world.users["certification_officer"]
    session = juries.create_session(actor=staff, qualification=cqp, on=on, place="CPNE, Paris")
    juries.add_member(
        actor=staff,
        session=session,
        name="Sophie Leroy",
        college=College.EMPLOYER,
        gender="F",
        president=True,
        user=president or world.users["jury_member"],
    )
    juries.add_member(actor=staff, session=session, name="Paul Girard", college=College.EMPLOYEE, gender="M")
    juries.add_member(actor=staff, session=session, name="Inès Robert", college=College.QUALIFIED, gender="F")
    return session


def closed_session(world, president, capture, *, password, failing=((), ("BC01",), ("BC01", "BC02", "BC03"))):
    """A jury session closed through the juries services: full, partial and no award by default."""
    session = assessment_session(world)
    assign_everywhere(world, session)
    candidacies = [
        assessed(world, n, failing_blocks=f, session=session) for n, f in enumerate(failing, start=1)
    ]
    jury = jury_session(world)
    staff = world.users["certification_officer"]
    for candidacy in candidacies:
        juries.add_candidate(actor=staff, session=jury, candidacy=candidacy)
    juries.open_session(actor=staff, session=jury)
    juries.decide_as_proposed(actor=president, session=jury)
    with capture(execute=True):
        juries.close_session(actor=president, session=jury, password=password)
    return jury, candidacies
