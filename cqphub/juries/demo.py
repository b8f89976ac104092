"""Demo data of the assessment and juries apps (`cqphub demo load`, after the journeys demo).

Idempotent: nothing is done when the demo's closed jury exists. Built through the real services:
- Atelier Sud (the demo assessor's centre) gets an "assess" habilitation on the whole demo CQP;
- candidates trained at Fournil École Lyon, taken to "ready for assessment";
- assessment sessions in every state: completed (signed grids, one corrected), convened
  (convocation PDFs written), planned (a grid half-filled), cancelled;
- jury sessions: one closed (full, partial and failed candidates, one absent, a departure from a
  proposal with its reason, one decision revoked for fraud, an appeal pending, minutes written,
  results notified), one open (decisions to take), one planned whose composition breaks parity.
The candidate "candidat@demo.cqphub.fr" can log in and read their notified result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

JURY_TITLE = "Jury paritaire national — session d'octobre (démo)"
CANDIDATE_EMAIL = "candidat@demo.cqphub.fr"


def _ready(trainer, lyon, cqp, n: int, *, user=None, employer_siret: str = ""):
    from cqphub.journeys import services as journeys
    from cqphub.journeys.enums import Status
    from cqphub.journeys.workflow import Actor

    first = [
        "Léa",
        "Hugo",
        "Inès",
        "Noah",
        "Jade",
        "Malik",
        "Chloé",
        "Yanis",
        "Zoé",
        "Lucas",
        "Emma",
        "Adam",
    ][n % 12]
    candidate = journeys.create_candidate(
        actor=trainer,
        centre=lyon,
        user=user,
        birth_name=[
            "Bernard",
            "Moreau",
            "Laurent",
            "Simon",
            "Michel",
            "Garcia",
            "David",
            "Bertrand",
            "Roux",
            "Vincent",
            "Fournier",
            "Morel",
        ][n % 12],
        first_names=first,
        sex="F" if first in ("Léa", "Inès", "Jade", "Chloé", "Zoé", "Emma") else "M",
        birth_year=1996 + n % 8,
        birth_month=1 + n % 12,
        birth_day=3 + n,
        birth_commune="69123",
        email=f"demo.candidat{n}@example.org" if user is None else user.email,
        confirm_not_duplicate=True,
    )
    candidacy = journeys.create_candidacy(
        actor=trainer,
        candidate=candidate,
        version=cqp.latest_published(),
        route="training",
        funding="plan",
        centre=lyon,
        situation={"status": "employee"},
        planned_start=date(2026, 3, 2),
        on=date(2026, 3, 2),
        employer_name="Boulangerie du Marché (démo)" if employer_siret else "",
        employer_siret=employer_siret,
    )
    for status in (Status.SUBMITTED, Status.ENROLLED, Status.IN_TRAINING, Status.READY_FOR_ASSESSMENT):
        journeys.transition(candidacy, status, by=trainer, actor=Actor.CENTRE)
    candidacy.refresh_from_db()
    return candidacy


def _account_candidacy(user, cqp, trainer):
    """The candidacy of the demo candidate account on the CQP (journeys' demo), taken to "ready"."""
    from cqphub.journeys import services as journeys
    from cqphub.journeys.enums import Status
    from cqphub.journeys.models import Candidacy
    from cqphub.journeys.workflow import Actor

    if user is None:
        return None
    candidacy = (
        Candidacy.objects.filter(candidate__user=user, qualification=cqp, route="training")
        .filter(status__in=[Status.IN_TRAINING, Status.READY_FOR_ASSESSMENT])
        .first()
    )
    if candidacy is not None and candidacy.status == Status.IN_TRAINING:
        journeys.transition(candidacy, Status.READY_FOR_ASSESSMENT, by=trainer, actor=Actor.CENTRE)
        candidacy.refresh_from_db()
    return candidacy


def _score(assessor, grid, *, met: bool | None = True):
    """Score every criterion met (or not met) and sign; `met=None` fills half the grid, unsigned."""
    from cqphub.assessment import services as assessment

    ids = grid.criterion_ids()
    if met is None:
        assessment.record_results(
            actor=assessor, grid=grid, values={cid: "met" for cid in ids[: len(ids) // 2]}
        )
        return
    assessment.record_results(
        actor=assessor, grid=grid, values={cid: "met" if met else "not_met" for cid in ids}
    )
    assessment.sign_off(actor=assessor, grid=grid)


@transaction.atomic
def load_demo_juries() -> dict[str, int]:
    from cqphub.juries.models import JurySession

    created = {"assessment_sessions": 0, "jury_sessions": 0, "candidacies": 0}
    if JurySession.objects.filter(title=JURY_TITLE).exists():
        return created
    cast = _cast()
    _habilitate_sud(cast)
    assessed = _assessment_sessions(cast, created)
    _closed_jury(cast, assessed)
    created["jury_sessions"] += 1
    _open_and_planned_juries(cast, assessed)
    created["jury_sessions"] += 2
    return created


@dataclass(frozen=True)
class _Cast:
    """Who and where the demo sessions are built with (all from the earlier demos)."""

    cqp: object
    lyon: object  # the training centre
    sud: object  # the assessing centre
    trainer: object
    assessor: object
    manager: object
    officer: object
    president: object


def _cast() -> _Cast:
    from cqphub.orgs.models import Centre, User, complete_siret
    from cqphub.qualifications.demo import CQP_TITLE
    from cqphub.qualifications.models import Qualification

    def user(email):
        return User.objects.get(email=email)

    return _Cast(
        cqp=Qualification.objects.get(title=CQP_TITLE),
        lyon=Centre.objects.get(siret=complete_siret("9990110000001")),
        sud=Centre.objects.get(siret=complete_siret("9990120000001")),
        trainer=user("formateur@demo.cqphub.fr"),
        assessor=user("evaluateur@demo.cqphub.fr"),
        manager=user("centre@demo.cqphub.fr"),
        officer=user("certification@demo.cqphub.fr"),
        president=user("jury@demo.cqphub.fr"),
    )


def _habilitate_sud(cast: _Cast) -> None:
    """Atelier Sud may assess the whole CQP."""
    from cqphub.qualifications.services import create_habilitation

    whole = cast.cqp.habilitations.filter(
        centre=cast.sud, scope="assess", blocks__isnull=True, state="active"
    )
    if not whole.exists():
        create_habilitation(
            actor=cast.officer,
            centre=cast.sud,
            qualification=cast.cqp,
            scope="assess",
            valid_from=date(2025, 1, 1),
            valid_until=date(2029, 12, 31),
        )


def _assessment_sessions(cast: _Cast, created: dict[str, int]) -> list:
    """Assessment sessions in every state; the candidacies of the completed one, for the juries."""
    from cqphub.assessment import services as assessment
    from cqphub.assessment.tasks import send_convocation_task
    from cqphub.orgs.demo import DEMO_PASSWORD
    from cqphub.orgs.models import User

    trainer, lyon, cqp, manager, assessor = cast.trainer, cast.lyon, cast.cqp, cast.manager, cast.assessor
    candidate_user = User.objects.filter(email=CANDIDATE_EMAIL).first()
    own = _account_candidacy(candidate_user, cqp, trainer)
    if candidate_user is None:
        candidate_user = User.objects.create_user(
            CANDIDATE_EMAIL, DEMO_PASSWORD, first_name="Léa", last_name="Bernard"
        )

    def schedule(on, place):
        session = assessment.schedule_session(
            actor=manager, centre=cast.sud, qualification=cqp, on=on, place=place
        )
        for block in session.blocks.all():
            assessment.assign_assessor(
                actor=manager, session=session, block=block, assessor=assessor, from_profession=True
            )
        created["assessment_sessions"] += 1
        return session

    # 1. A completed session: seven candidates, every grid signed (BC02 of one corrected).
    done = schedule(date(2026, 10, 5), "Atelier Sud, 3 avenue du Four, 13001 Marseille")
    outcomes = [(), (), ("BC01",), ("BC02",), ("BC01", "BC02", "BC03"), (), ()]
    assessed = []
    for n, failing in enumerate(outcomes):
        if n == 0 and own is not None:
            candidacy = own  # the demo candidate account's own candidacy (journeys' demo), taken on
        else:
            user = candidate_user if n == 0 and not hasattr(candidate_user, "candidate") else None
            candidacy = _ready(trainer, lyon, cqp, n, user=user)
        assessment.add_candidate(actor=manager, session=done, candidacy=candidacy)
        for grid in done.grids.filter(candidacy=candidacy).select_related("block"):
            _score(assessor, grid, met=grid.block.code not in failing)
        assessed.append(candidacy)
        created["candidacies"] += 1
    corrected = done.grids.filter(candidacy=assessed[3], block__code="BC02").first()
    assessment.open_correction(actor=assessor, grid=corrected, reason="Critère reporté par erreur (démo)")
    _score(assessor, corrected, met=False)

    # 2. A convened session (convocation PDFs written), 3. a planned one with a grid half-filled,
    # 4. a cancelled one.
    convened = schedule(date(2027, 1, 12), "Atelier Sud, salle 2")
    planned = schedule(date(2027, 2, 9), "Atelier Sud, salle 1")
    for n, session in ((7, convened), (8, convened), (9, planned)):
        candidacy = _ready(trainer, lyon, cqp, n)
        entry = assessment.add_candidate(actor=manager, session=session, candidacy=candidacy)
        if session is convened:
            send_convocation_task.func(entry.pk)
        created["candidacies"] += 1
    convened.status = "convened"
    convened.save(update_fields=["status"])
    _score(assessor, planned.grids.first(), met=None)
    cancelled = schedule(date(2027, 3, 2), "Atelier Sud")
    assessment.cancel_session(actor=manager, session=cancelled, reason="Atelier indisponible (démo)")
    return assessed


def _closed_jury(cast: _Cast, assessed: list) -> None:
    """5. The closed jury: its rules and composition, six candidates (one absent, one with a member
    excused), then its deliberation."""
    from cqphub.juries import services
    from cqphub.juries.enums import College

    officer, president = cast.officer, cast.president
    services.set_rules(
        actor=officer,
        qualification=cast.cqp,
        valid_from=date(2024, 1, 1),
        min_size=3,
        quorum=3,
        parity=True,
        reference="Règlement du CQP Boulanger-tourier, art. 12 (démo)",
    )
    jury = _jury(
        officer,
        president,
        cast.cqp,
        on=date(2026, 10, 20),
        place="CPNE, 7 rue de la Boulange, 75011 Paris",
        title=JURY_TITLE,
        president_organisation="Fédération des boulangers (démo)",
        members=[
            ("Paul Girard", College.EMPLOYEE, "M", "Syndicat des salariés de l'alimentation (démo)"),
            ("Inès Robert", College.QUALIFIED, "F", "Meilleure ouvrière de France (démo)"),
            ("Anne Blanc", College.EMPLOYER, "F", ""),
            ("Luc Faure", College.EMPLOYEE, "M", ""),
        ],
    )
    entries = [services.add_candidate(actor=officer, session=jury, candidacy=c) for c in assessed[:6]]
    services.set_attendance(actor=officer, entry=entries[5], attendance="absent")
    services.record_excusal(
        actor=officer,
        entry=entries[1],
        member=jury.members.get(name="Paul Girard"),
        reason="link",
        note="Ancien maître d'apprentissage (démo)",
    )
    _deliberate(cast, jury, assessed)


def _deliberate(cast: _Cast, jury, assessed: list) -> None:
    """The closed jury's session: a departure from a proposal, the rest as proposed, closed; then a
    decision revoked for fraud, an appeal, the minutes, three results notified."""
    from cqphub.juries import minutes, services
    from cqphub.juries.enums import DecisionKind
    from cqphub.orgs.demo import DEMO_PASSWORD

    officer, president = cast.officer, cast.president
    services.open_session(actor=officer, session=jury)
    bc01 = next(b for b in assessed[2].version.ordered_blocks() if b.code == "BC01")
    services.record_decisions(
        actor=president,
        session=jury,
        decisions=[
            services.DecisionInput(
                assessed[2].pk,
                bc01.pk,
                True,
                "Épreuve pratique reprise à l'oral devant le jury : compétence démontrée (démo)",
            )
        ],
    )
    services.decide_as_proposed(actor=president, session=jury)
    services.close_session(actor=president, session=jury, password=DEMO_PASSWORD)
    fraud = jury.decisions.get(candidacy=assessed[1], block__code="BC03", revoked_by__isnull=True)
    services.revoke_decision(
        actor=officer,
        decision=fraud,
        kind=DecisionKind.FRAUD,
        reason="Dossier de preuves plagié, candidat entendu le 3 novembre 2026 (R. 6412-7, démo)",
    )
    appealed = jury.decisions.get(candidacy=assessed[4], block__code="BC01", revoked_by__isnull=True)
    services.record_appeal(
        actor=officer,
        decision=appealed,
        lodged_on=date(2026, 11, 2),
        grounds="Le candidat conteste la notation de l'épreuve pratique (démo)",
    )
    minutes.generate(jury, officer)
    for entry in jury.candidates.filter(candidacy__in=assessed[:3]):
        services.mark_notified(actor=officer, entry=entry)


def _open_and_planned_juries(cast: _Cast, assessed: list) -> None:
    """6. An open jury (decisions to take) and 7. a planned one whose composition breaks parity."""
    from cqphub.juries import services
    from cqphub.juries.enums import College

    open_jury = _jury(
        cast.officer,
        cast.president,
        cast.cqp,
        on=date(2026, 12, 8),
        remote=True,
        title="Jury paritaire — visioconférence (démo)",
        members=[
            ("Karim Haddad", College.EMPLOYEE, "M", ""),
            ("Inès Robert", College.QUALIFIED, "F", ""),
        ],
    )
    services.add_candidate(actor=cast.officer, session=open_jury, candidacy=assessed[6])
    services.open_session(actor=cast.officer, session=open_jury)
    _jury(
        cast.officer,
        cast.president,
        cast.cqp,
        on=date(2027, 3, 16),
        place="CPNE, Paris",
        title="Jury de mars (démo, composition à compléter)",
        members=[("Inès Robert", College.QUALIFIED, "F", "")],
    )


def _jury(officer, president, cqp, *, members, president_organisation: str = "", **session):
    """A jury session of the demo CQP presided by Sophie Leroy (employers' college), then `members` as
    (name, college, gender, organisation)."""
    from cqphub.juries import services
    from cqphub.juries.enums import College

    jury = services.create_session(actor=officer, qualification=cqp, **session)
    services.add_member(
        actor=officer,
        session=jury,
        name="Sophie Leroy",
        college=College.EMPLOYER,
        gender="F",
        president=True,
        user=president,
        organisation=president_organisation,
    )
    for name, college, gender, organisation in members:
        services.add_member(
            actor=officer, session=jury, name=name, college=college, gender=gender, organisation=organisation
        )
    return jury
