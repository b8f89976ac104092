"""Write use cases of the assessment app: one function each, keyword arguments, one transaction.

Independence conflicts and habilitation problems are refused (ValidationError with a message naming
who and what), never only shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqphub.assessment import independence, pass_rules
from cqphub.assessment.enums import Attendance, SessionKind, SessionStatus
from cqphub.assessment.models import (
    AssessmentSession,
    AssessorAssignment,
    BlockResult,
    CriterionResult,
    Grid,
    GridEntry,
    SessionCandidate,
    policy_for,
    rule_for,
)
from cqphub.journeys.enums import Status
from cqphub.journeys.models import Candidacy
from cqphub.journeys.selectors import blocks_to_assess
from cqphub.journeys.services import transition
from cqphub.journeys.workflow import Actor
from cqphub.orgs.audit import record
from cqphub.orgs.models import Membership, Role
from cqphub.qualifications.enums import HabilitationScope
from cqphub.qualifications.models import Qualification, SkillBlock
from cqphub.qualifications.services import require_habilitation

# ---------------------------------------------------------------------------------------------
# Independence messages (the pure module returns codes)
# ---------------------------------------------------------------------------------------------


def conflict_message(conflict: independence.Conflict) -> str:
    block = f" ({conflict.block})" if conflict.block is not None else ""
    params = {**conflict.params}
    if conflict.code == independence.TRAINED:
        return (
            _("%(assessor)s a formé %(candidate)s : il ou elle ne peut pas l'évaluer") % params + block + "."
        )
    if conflict.code == independence.SAME_COMPANY:
        return (
            _(
                "%(assessor)s travaille dans l'entreprise qui emploie %(candidate)s : il ou elle ne peut pas l'évaluer"
            )
            % params
            + block
            + "."
        )
    if conflict.code == independence.TOO_FEW:
        return _("Deux évaluateurs au moins sont requis par bloc (%(count)s affecté)") % params + block + "."
    if conflict.code == independence.NO_PROFESSIONAL:
        return _("Un des évaluateurs du bloc doit être un professionnel du métier") + block + "."
    return conflict.code


def _refuse(conflicts: list[independence.Conflict]) -> None:
    if conflicts:
        raise ValidationError([conflict_message(c) for c in conflicts], code="independence")


def _trainers_of(candidacy: Candidacy) -> frozenset:
    """People who trained the candidate: the trainers of the candidacy's training centre."""
    if not candidacy.centre_id or candidacy.route != "training":
        return frozenset()
    return frozenset(
        Membership.objects.active()
        .filter(centre_id=candidacy.centre_id, role=Role.TRAINER)
        .values_list("user_id", flat=True)
    )


def as_candidate(candidacy: Candidacy) -> independence.Candidate:
    return independence.Candidate(
        key=candidacy.pk,
        employer=candidacy.employer_siret or None,
        trainers=_trainers_of(candidacy),
        name=str(candidacy.candidate),
    )


def as_assessor(assignment: AssessorAssignment) -> independence.Assessor:
    return independence.Assessor(
        key=assignment.assessor_id,
        companies=frozenset({assignment.employer_siret} if assignment.employer_siret else ()),
        from_profession=assignment.from_profession,
        name=str(assignment.assessor),
    )


def _same_block(a: SkillBlock, b: SkillBlock) -> bool:
    """Two revisions of one block are the same block for a session (same code, or one's origin)."""
    if a.pk == b.pk or a.code == b.code:
        return True
    lineage = a
    while lineage is not None:
        if lineage.pk == b.pk:
            return True
        lineage = lineage.origin
    return False


def session_block_for(session: AssessmentSession, block: SkillBlock) -> SkillBlock | None:
    for candidate in session.blocks.all():
        if _same_block(block, candidate) or _same_block(candidate, block):
            return candidate
    return None


def session_conflicts(session: AssessmentSession) -> list[independence.Conflict]:
    policy = policy_for(session.qualification).as_independence()
    panels: dict = {}
    for assignment in session.assignments.select_related("assessor", "block"):
        panels.setdefault(assignment.block.code, []).append(as_assessor(assignment))
    candidates: dict = {}
    for grid in session.grids.select_related("candidacy__candidate", "block"):
        candidates.setdefault(grid.block.code, []).append(as_candidate(grid.candidacy))
    conflicts = []
    for code, panel in panels.items():
        for candidate in candidates.get(code, []):
            for assessor in panel:
                conflicts += independence.conflicts(assessor, candidate, policy, code)
    return conflicts


def panel_problems(session: AssessmentSession) -> list[independence.Conflict]:
    policy = policy_for(session.qualification).as_independence()
    problems = []
    for block in session.blocks.all():
        panel = [as_assessor(a) for a in session.assignments.filter(block=block).select_related("assessor")]
        problems += independence.panel_problems(panel, policy, block.code)
    return problems


# ---------------------------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def schedule_session(
    *,
    actor,
    centre,
    qualification: Qualification,
    on: date,
    place: str,
    blocks: Iterable[SkillBlock] | None = None,
    starts_at=None,
    notes: str = "",
) -> AssessmentSession:
    """A centre schedules a session: it must hold an "assess" habilitation on `on` for each block."""
    version = qualification.current_version()
    if version is None:
        raise ValidationError(_("Ce CQP n'a pas de version publiée : rien à évaluer."), code="no_version")
    blocks = list(blocks) if blocks is not None else version.ordered_blocks()
    if not blocks:
        raise ValidationError(_("Choisissez au moins un bloc à évaluer."), code="no_blocks")
    habilitation = None
    for block in blocks:
        habilitation = require_habilitation(
            centre=centre, qualification=qualification, action=HabilitationScope.ASSESS, on=on, block=block
        )
    session = AssessmentSession.objects.create(
        centre=centre,
        qualification=qualification,
        habilitation=habilitation,
        on=on,
        starts_at=starts_at,
        place=place,
        notes=notes,
        created_by=actor,
    )
    session.blocks.set(blocks)
    record(actor, "create", session, centre=centre)
    return session


@transaction.atomic
def open_jury_assessment(
    *, actor, qualification: Qualification, on: date, place: str, assessors: Iterable[tuple]
) -> AssessmentSession:
    """VAE: the jury itself assesses the validation file and the interview on the same grids
    (R. 6412-7). A session of kind "jury" (no centre, no habilitation), its members the assessors of
    every block; `assessors` are (user, from_profession) pairs. Called by the juries app."""
    version = qualification.current_version()
    if version is None:
        raise ValidationError(_("Ce CQP n'a pas de version publiée : rien à évaluer."), code="no_version")
    session = AssessmentSession.objects.create(
        kind=SessionKind.JURY, qualification=qualification, on=on, place=place, created_by=actor
    )
    blocks = version.ordered_blocks()
    session.blocks.set(blocks)
    AssessorAssignment.objects.bulk_create(
        AssessorAssignment(
            session=session, block=block, assessor=user, from_profession=professional, assigned_by=actor
        )
        for block in blocks
        for user, professional in assessors
    )
    record(actor, "create", session, changes={"kind": "jury"})
    return session


def _assert_open(session: AssessmentSession) -> None:
    if session.status in (SessionStatus.CANCELLED, SessionStatus.COMPLETED):
        raise ValidationError(
            _("Cette session est %(status)s : elle n'est plus modifiable.")
            % {"status": session.get_status_display().lower()},
            code="session_closed",
        )


def grid_content(block: SkillBlock) -> tuple[dict, list[dict]]:
    """The block's tests, methods, skills and criteria, as copied into a grid."""
    skills = []
    criteria = []
    for skill in block.skills.prefetch_related("criteria").order_by("order", "pk"):
        rows = [{"id": c.pk, "statement": c.statement} for c in skill.criteria.all()]
        skills.append({"code": skill.code, "statement": skill.statement, "criteria": rows})
        criteria += [{"id": c["id"], "skill": skill.code, "statement": c["statement"]} for c in rows]
    content = {
        "block": {"code": block.code, "title": block.title, "revision": block.revision},
        "tests": [
            {
                "title": t.title,
                "method": t.method,
                "method_label": str(t.get_method_display()),
                "duration_minutes": t.duration_minutes,
                "description": t.description,
            }
            for t in block.tests.order_by("order", "pk")
        ],
        "methods": [
            {"kind": m.kind, "label": str(m.get_kind_display()), "description": m.description}
            for m in block.methods.order_by("order", "pk")
        ],
        "skills": skills,
    }
    return content, criteria


@transaction.atomic
def add_candidate(*, actor, session: AssessmentSession, candidacy: Candidacy) -> SessionCandidate:
    """Put a candidacy on the session's list and build its grids (one per block it still has to pass)."""
    _assert_open(session)
    if candidacy.qualification_id != session.qualification_id:
        raise ValidationError(
            _("Cette candidature vise un autre CQP que celui de la session."), code="other_cqp"
        )
    if session.kind == SessionKind.JURY and candidacy.route != "vae":
        raise ValidationError(_("Le jury n'évalue lui-même que les candidats à la VAE."), code="not_vae")
    if candidacy.status != Status.READY_FOR_ASSESSMENT:
        raise ValidationError(
            _("La candidature de %(candidate)s n'est pas prête pour l'évaluation (état : %(status)s).")
            % {"candidate": candidacy.candidate, "status": candidacy.get_status_display()},
            code="not_ready",
        )
    entry, created = SessionCandidate.objects.get_or_create(session=session, candidacy=candidacy)
    if not created:
        raise ValidationError(_("Ce candidat est déjà convoqué à cette session."), code="already_listed")
    policy = policy_for(session.qualification)
    built = 0
    for block in blocks_to_assess(candidacy):
        if session_block_for(session, block) is None:
            continue
        content, criteria = grid_content(block)
        Grid.objects.create(
            session=session,
            candidacy=candidacy,
            block=block,
            version=candidacy.version,
            content=content,
            criteria=criteria,
            pass_rule=rule_for(block, policy).to_dict(),
        )
        built += 1
    if not built:
        raise ValidationError(
            _("Aucun bloc de cette session ne reste à évaluer pour %(candidate)s.")
            % {"candidate": candidacy.candidate},
            code="nothing_to_assess",
        )
    _refuse(session_conflicts(session))
    record(actor, "add_candidate", session, centre=session.centre, changes={"candidacy": candidacy.pk})
    return entry


@transaction.atomic
def assign_assessor(
    *,
    actor,
    session: AssessmentSession,
    block: SkillBlock,
    assessor,
    from_profession: bool = False,
    employer_siret="",
) -> AssessorAssignment:
    """Assign an assessor to a block of the session; a conflict with a candidate is refused."""
    _assert_open(session)
    if not session.blocks.filter(pk=block.pk).exists():
        raise ValidationError(
            _("Le bloc %(code)s n'est pas évalué dans cette session.") % {"code": block.code}
        )
    is_assessor = (
        session.kind == SessionKind.JURY
        or Membership.objects.active()
        .filter(user=assessor, role=Role.ASSESSOR, centre=session.centre_id)
        .exists()
    )
    if not is_assessor:
        raise ValidationError(
            _("%(person)s n'est pas évaluateur du centre %(centre)s.")
            % {"person": assessor, "centre": session.centre},
            code="not_assessor",
        )
    assignment = AssessorAssignment.objects.create(
        session=session,
        block=block,
        assessor=assessor,
        from_profession=from_profession,
        employer_siret=employer_siret,
        assigned_by=actor,
    )
    _refuse([c for c in session_conflicts(session) if c.assessor == assessor.pk])
    record(
        actor,
        "assign_assessor",
        session,
        centre=session.centre,
        changes={"block": block.code, "assessor": assessor.pk},
    )
    return assignment


@transaction.atomic
def set_attendance(*, actor, entry: SessionCandidate, attendance: str) -> SessionCandidate:
    _assert_open(entry.session)
    entry.attendance = Attendance(attendance)
    entry.save(update_fields=["attendance"])
    record(
        actor,
        "attendance",
        entry.session,
        centre=entry.session.centre,
        changes={entry.candidacy_id: attendance},
    )
    return entry


@transaction.atomic
def cancel_session(*, actor, session: AssessmentSession, reason: str) -> AssessmentSession:
    if (
        session.status == SessionStatus.COMPLETED
        or BlockResult.objects.filter(grid__session=session).exists()
    ):
        raise ValidationError(
            _("Une session dont des grilles sont signées ne s'annule pas."), code="has_results"
        )
    if not reason.strip():
        raise ValidationError(_("Indiquez le motif de l'annulation."))
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status"])
    record(actor, "cancel", session, centre=session.centre, changes={"reason": reason})
    return session


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------

# Apps further down the chain (juries) register checks that may refuse a correction; assessment
# never imports them (dependencies point one way).
CORRECTION_GUARDS: list = []
# callable(user, grid) raising ValidationError when `user` may not score this grid (e.g. a jury
# member excused for the candidate, registered by juries).
SCORE_GUARDS: list = []


def _check_scorer(actor, grid: Grid) -> None:
    if not may_score(actor, grid):
        raise ValidationError(
            _("Vous n'êtes pas évaluateur de ce bloc dans cette session."), code="not_assigned"
        )
    for guard in SCORE_GUARDS:
        guard(actor, grid)


def may_score(user, grid: Grid) -> bool:
    """An assessor assigned to the grid's block in its session (or, for the centre, none else)."""
    return AssessorAssignment.objects.filter(
        session_id=grid.session_id, block__code=grid.block.code, assessor=user
    ).exists()


def _draft(grid: Grid, actor) -> GridEntry:
    entry = grid.entries.filter(signed_at__isnull=True).first()
    if entry is not None:
        return entry
    if grid.entries.exists():
        raise ValidationError(
            _("Cette grille est signée : ouvrez une correction motivée pour la modifier."), code="grid_signed"
        )
    entry = GridEntry.objects.create(grid=grid, number=1, created_by=actor)
    CriterionResult.objects.bulk_create(
        CriterionResult(entry=entry, criterion_id=cid, position=i)
        for i, cid in enumerate(grid.criterion_ids())
    )
    return entry


def _parse(rule: pass_rules.PassRule, value):
    """A submitted value: "met"/"not_met"/"" (or True/False/None), or a level of the scale."""
    if value in (None, ""):
        return None
    if rule.scale is None:
        if value in (True, "met", "1", "true", "on"):
            return True
        if value in (False, "not_met", "0", "false"):
            return False
        raise ValidationError(_("« %(value)s » : satisfait ou non satisfait attendu.") % {"value": value})
    if value not in rule.scale.levels:
        raise ValidationError(
            _("« %(value)s » n'est pas un niveau de l'échelle (%(levels)s).")
            % {"value": value, "levels": ", ".join(rule.scale.levels)}
        )
    return value


@transaction.atomic
def record_results(
    *,
    actor,
    grid: Grid,
    values: Mapping[int, object],
    comments: Mapping[int, str] | None = None,
    evidence: Mapping[int, object] | None = None,
) -> GridEntry:
    """Save criterion values (by criterion id) on the grid's draft; called as the assessor goes."""
    _check_scorer(actor, grid)
    if grid.session.status == SessionStatus.CANCELLED:
        raise ValidationError(_("Cette session est annulée."), code="session_cancelled")
    entry = _draft(grid, actor)
    rule = grid.rule()
    known = set(grid.criterion_ids())
    unknown = [cid for cid in (*values.keys(), *(comments or {}).keys()) if int(cid) not in known]
    if unknown:
        raise ValidationError(_("Critère(s) inconnu(s) de cette grille : %(ids)s.") % {"ids": unknown})
    rows = {r.criterion_id: r for r in entry.criterion_results.all()}
    for cid, raw in values.items():
        value = _parse(rule, raw)
        row = rows[int(cid)]
        if rule.scale is None:
            row.met, row.level = value, ""
        else:
            row.met, row.level = (None if value is None else value in rule.scale.met_levels), value or ""
    for cid, text in (comments or {}).items():
        rows[int(cid)].comment = text
    for cid, upload in (evidence or {}).items():
        rows[int(cid)].evidence = upload
    touched = {int(c) for c in (*values.keys(), *(comments or {}).keys(), *(evidence or {}).keys())}
    for cid in touched:
        rows[cid].save()
    return entry


def entry_values(entry: GridEntry) -> list:
    by_id = {r.criterion_id: r.value for r in entry.criterion_results.all()}
    return [by_id.get(cid) for cid in entry.grid.criterion_ids()]


def preview(grid: Grid) -> pass_rules.BlockResult:
    entry = grid.current_entry()
    values = entry_values(entry) if entry else [None] * len(grid.criteria)
    return pass_rules.evaluate(grid.rule(), values)


@transaction.atomic
def sign_off(*, actor, grid: Grid) -> BlockResult:
    """The assessor signs the grid: refused while a criterion is missing; then read-only."""
    _check_scorer(actor, grid)
    entry = grid.entries.select_for_update().filter(signed_at__isnull=True).first()
    if entry is None:
        raise ValidationError(
            _("Rien à signer : la grille n'a pas été remplie ou est déjà signée."), code="no_draft"
        )
    values = entry_values(entry)
    missing = pass_rules.missing_criteria(values)
    if missing:
        labels = ", ".join(str(i + 1) for i in missing[:12]) + ("…" if len(missing) > 12 else "")
        raise ValidationError(
            _("Signature refusée : %(count)s critère(s) non évalué(s) (n° %(list)s).")
            % {"count": len(missing), "list": labels},
            code="missing_criteria",
        )
    result = pass_rules.evaluate(grid.rule(), values)
    now = timezone.now()
    entry.signed_by, entry.signed_by_repr, entry.signed_at = actor, actor.email, now
    entry.save(update_fields=["signed_by", "signed_by_repr", "signed_at"])
    previous = grid.results.filter(superseded_by__isnull=True).first()
    block_result = BlockResult.objects.create(
        grid=grid,
        entry=entry,
        candidacy_id=grid.candidacy_id,
        block=grid.block,
        outcome=result.outcome.value,
        met=result.met,
        total=result.total,
        level=result.level or "",
        signed_by=actor,
        signed_at=now,
        supersedes=previous,
    )
    record(
        actor,
        "sign_off" if previous is None else "sign_correction",
        grid.session,
        centre=grid.session.centre,
        changes={"grid": grid.pk, "outcome": result.outcome.value, "met": result.met, "total": result.total},
    )
    _after_sign_off(grid, actor)
    return block_result


def _after_sign_off(grid: Grid, actor) -> None:
    """When every grid of the candidacy in this session is signed, the candidacy is assessed;
    when every grid of the session is, the session is completed."""
    session = grid.session
    candidacy = Candidacy.objects.select_for_update().get(pk=grid.candidacy_id)
    pending = Grid.objects.filter(session=session, candidacy=candidacy, results__isnull=True).exists()
    if not pending and candidacy.status == Status.READY_FOR_ASSESSMENT:
        transition(candidacy, Status.ASSESSED, by=actor, reason=_("Grilles signées"), actor=Actor.SYSTEM)
    if not Grid.objects.filter(session=session, results__isnull=True).exists():
        AssessmentSession.objects.filter(pk=session.pk).update(status=SessionStatus.COMPLETED)


@transaction.atomic
def open_correction(*, actor, grid: Grid, reason: str) -> GridEntry:
    """A correction of a signed grid: a new draft carrying the signed values, to be signed in turn."""
    if not may_score(actor, grid):
        raise ValidationError(
            _("Vous n'êtes pas évaluateur de ce bloc dans cette session."), code="not_assigned"
        )
    if not reason.strip():
        raise ValidationError(_("Indiquez le motif de la correction."), code="reason_required")
    if grid.entries.filter(signed_at__isnull=True).exists():
        raise ValidationError(_("Une saisie est déjà en cours sur cette grille."), code="draft_exists")
    last = grid.entries.filter(signed_at__isnull=False).order_by("-number").first()
    if last is None:
        raise ValidationError(_("Cette grille n'est pas encore signée : corrigez-la directement."))
    for guard in CORRECTION_GUARDS:
        guard(grid)  # e.g. the juries app refuses once the jury decided on the block
    entry = GridEntry.objects.create(
        grid=grid, number=last.number + 1, corrects=last, reason=reason, created_by=actor
    )
    CriterionResult.objects.bulk_create(
        CriterionResult(
            entry=entry,
            criterion_id=r.criterion_id,
            position=r.position,
            met=r.met,
            level=r.level,
            comment=r.comment,
            evidence=r.evidence.name if r.evidence else "",
        )
        for r in last.criterion_results.all()
    )
    record(
        actor,
        "open_correction",
        grid.session,
        centre=grid.session.centre,
        changes={"grid": grid.pk, "reason": reason},
    )
    return entry


__all__ = [
    "add_candidate",
    "assign_assessor",
    "cancel_session",
    "open_correction",
    "open_jury_assessment",
    "record_results",
    "schedule_session",
    "send_convocations",
    "set_attendance",
    "sign_off",
]


@transaction.atomic
def send_convocations(*, actor, session: AssessmentSession) -> int:
    """Queue a convocation (PDF + e-mail) for each candidate not yet convened."""
    from cqphub.assessment.tasks import send_convocation_task

    _assert_open(session)
    ids = list(session.candidates.filter(convened_at__isnull=True).values_list("pk", flat=True))
    if not ids:
        raise ValidationError(
            _("Tous les candidats de cette session sont déjà convoqués."), code="nothing_to_send"
        )
    session.status = SessionStatus.CONVENED
    session.convened_at = timezone.now()
    session.save(update_fields=["status", "convened_at"])
    transaction.on_commit(lambda: [send_convocation_task.enqueue(pk) for pk in ids])
    record(actor, "convene", session, centre=session.centre, changes={"count": len(ids)})
    return len(ids)
