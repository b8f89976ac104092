"""Write use cases of the juries app: one function each, keyword arguments, one transaction.

Life of a session: `create_session` → `add_member` / `add_candidate` / `record_excusal` →
`open_session` (composition checked, `composition.check`) → `record_decisions` (one submit; a
re-decision revokes the previous row) → `close_session` (the president re-authenticates: password
or TOTP code) which writes the `Award`s, moves the candidacies to *decided*, and after commit
queues the minutes and sends `award_recorded`. After closing, `revoke_decision` (correction, fraud
withdrawal under R. 6412-7, appeal outcome) records a new row revoking the old one and re-writes the
award, in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqphub.assessment import services as assessment_services
from cqphub.assessment.selectors import current_outcomes
from cqphub.journeys.enums import Status
from cqphub.journeys.models import Candidacy
from cqphub.journeys.services import transition
from cqphub.journeys.workflow import Actor
from cqphub.juries import composition, deliberation
from cqphub.juries.enums import (
    AppealOutcome,
    Attendance,
    AwardKind,
    BlockProposal,
    College,
    DecisionKind,
    ExcusalReason,
    Overall,
    SessionStatus,
)
from cqphub.juries.models import (
    Appeal,
    Award,
    AwardBlock,
    Decision,
    Excusal,
    JuryCandidate,
    JuryMember,
    JuryRules,
    JurySession,
)
from cqphub.juries.selectors import held_blocks_by_candidate
from cqphub.juries.signals import award_recorded, award_revoked
from cqphub.orgs.audit import record
from cqphub.qualifications.models import SkillBlock
from cqphub.registry.bulk import BulkWriter
from cqphub.text import fold_alnum

# ---------------------------------------------------------------------------------------------
# Sessions, members, candidates
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def set_rules(*, actor, qualification, valid_from: date, **fields) -> JuryRules:
    """A new dated version of the CQP's own jury rules (earlier versions stay: a session is checked
    against the version in force on its date)."""
    if JuryRules.objects.filter(qualification=qualification, valid_from=valid_from).exists():
        raise ValidationError(
            {"valid_from": _("Ce CQP a déjà des règles de jury à partir de cette date.")}, code="same_date"
        )
    if fields.get("quorum", 2) > fields.get("min_size", 2):
        raise ValidationError(
            {"quorum": _("Le quorum ne peut dépasser le nombre minimal de membres.")}, code="quorum"
        )
    rules = JuryRules.objects.create(qualification=qualification, valid_from=valid_from, **fields)
    record(actor, "create", rules, changes={"valid_from": valid_from, **fields})
    return rules


@transaction.atomic
def create_session(
    *, actor, qualification, on: date, place: str = "", remote: bool = False, title: str = ""
) -> JurySession:
    if qualification.current_version() is None:
        raise ValidationError(_("Ce CQP n'a pas de version publiée."), code="no_version")
    if not remote and not place.strip():
        raise ValidationError({"place": _("Indiquez le lieu du jury, ou cochez « à distance ».")})
    session = JurySession.objects.create(
        qualification=qualification, on=on, place=place, remote=remote, title=title, created_by=actor
    )
    record(actor, "create", session)
    return session


def _assert_planned(session: JurySession) -> None:
    session.assert_editable()


@transaction.atomic
def add_member(
    *,
    actor,
    session: JurySession,
    name: str,
    college: str,
    gender: str = "",
    president: bool = False,
    user=None,
    qualified: bool | None = None,
    organisation: str = "",
) -> JuryMember:
    _assert_planned(session)
    if session.status != SessionStatus.PLANNED:
        raise ValidationError(
            _("La composition se fixe avant l'ouverture de la session."), code="already_open"
        )
    if president and session.members.filter(president=True).exists():
        raise ValidationError(_("Cette session a déjà un président."), code="one_president")
    member = JuryMember.objects.create(
        session=session,
        name=name,
        college=college,
        gender=gender,
        president=president,
        user=user,
        qualified=qualified,
        organisation=organisation,
    )
    if user is not None and session.assessment_id:
        for block in session.assessment.blocks.all():
            assessment_services.assign_assessor(
                actor=actor,
                session=session.assessment,
                block=block,
                assessor=user,
                from_profession=college != College.QUALIFIED,
            )
    record(actor, "add_member", session, changes={"member": name, "college": college, "president": president})
    return member


@transaction.atomic
def set_presence(*, actor, member: JuryMember, present: bool) -> JuryMember:
    _assert_planned(member.session)
    if member.session.status != SessionStatus.PLANNED:
        raise ValidationError(
            _("La présence des membres se constate avant l'ouverture."), code="already_open"
        )
    member.present = present
    member.save(update_fields=["present"])
    record(actor, "presence", member.session, changes={"member": member.name, "present": present})
    return member


@transaction.atomic
def add_candidate(*, actor, session: JurySession, candidacy: Candidacy) -> JuryCandidate:
    """Present an assessed candidacy to the jury (it moves to *awaiting jury*)."""
    _assert_planned(session)
    if session.status != SessionStatus.PLANNED:
        raise ValidationError(_("La liste des candidats se fixe avant l'ouverture."), code="already_open")
    if candidacy.qualification_id != session.qualification_id:
        raise ValidationError(_("Cette candidature vise un autre CQP que celui du jury."), code="other_cqp")
    candidacy = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    if candidacy.status == Status.ASSESSED:
        transition(candidacy, Status.AWAITING_JURY, by=actor, reason=str(session), actor=Actor.SYSTEM)
    elif candidacy.route == "vae" and candidacy.status == Status.READY_FOR_ASSESSMENT:
        # VAE: the jury assesses the validation file and the interview itself, on the same grids.
        assessment_services.add_candidate(
            actor=actor, session=_jury_assessment(actor, session), candidacy=candidacy
        )
    elif candidacy.status != Status.AWAITING_JURY:
        raise ValidationError(
            _("La candidature de %(candidate)s n'est pas évaluée (état : %(status)s).")
            % {"candidate": candidacy.candidate, "status": candidacy.get_status_display()},
            code="not_assessed",
        )
    if JuryCandidate.objects.filter(session=session, candidacy=candidacy).exists():
        raise ValidationError(_("Ce candidat est déjà inscrit à cette session."), code="already_listed")
    entry = JuryCandidate.objects.create(session=session, candidacy=candidacy)
    record(actor, "add_candidate", session, changes={"candidacy": candidacy.pk})
    return entry


def _jury_assessment(actor, session: JurySession):
    """The jury's own assessment session (VAE), created with the members holding an account."""
    if session.assessment_id:
        return session.assessment
    members = session.members.filter(user__isnull=False)
    assessors = [(m.user, m.college != College.QUALIFIED) for m in members]
    created = assessment_services.open_jury_assessment(
        actor=actor,
        qualification=session.qualification,
        on=session.on,
        place=session.place_display or str(session),
        assessors=assessors,
    )
    JurySession.objects.filter(pk=session.pk).update(assessment=created)
    session.assessment = created
    return created


@transaction.atomic
def record_excusal(
    *, actor, entry: JuryCandidate, member: JuryMember, reason: str, note: str = ""
) -> Excusal:
    """A member linked to a candidate (or who accompanied their VAE) is excused for that candidate."""
    if member.session_id != entry.session_id:
        raise ValidationError(_("Ce membre ne siège pas à cette session."))
    entry.session.assert_editable()
    excusal = Excusal.objects.create(
        session=entry.session,
        entry=entry,
        member=member,
        reason=ExcusalReason(reason),
        note=note,
        recorded_by=actor,
    )
    record(
        actor,
        "excusal",
        entry.session,
        changes={"member": member.name, "candidacy": entry.candidacy_id, "reason": reason},
    )
    return excusal


@transaction.atomic
def set_attendance(*, actor, entry: JuryCandidate, attendance: str) -> JuryCandidate:
    entry.session.assert_editable()
    entry.attendance = Attendance(attendance)
    entry.save(update_fields=["attendance"])
    record(
        actor,
        "attendance",
        entry.session,
        changes={"candidacy": entry.candidacy_id, "attendance": attendance},
    )
    return entry


# ---------------------------------------------------------------------------------------------
# Composition
# ---------------------------------------------------------------------------------------------


def _vae_started_on(candidacy: Candidacy) -> date | None:
    """When the VAE path started: the first transition out of draft (registration), else creation."""
    first = candidacy.transitions.filter(from_status=Status.DRAFT).order_by("at").first()
    moment = first.at if first else candidacy.created
    return timezone.localtime(moment).date() if moment else None


def composition_report(session: JurySession) -> composition.Report:
    members = list(session.members.all())
    entries = list(session.candidates.select_related("candidacy__candidate").prefetch_related("excusals"))
    as_members = [
        composition.Member(
            key=m.pk,
            college=composition.College(m.college),
            gender=m.gender,
            president=m.president,
            present=m.present,
            qualified=m.qualified,
            name=m.name,
        )
        for m in members
    ]
    links = []
    for entry in entries:
        if entry.attendance != Attendance.PRESENT:
            continue
        excusals = list(entry.excusals.all())
        accompanists = {e.member_id for e in excusals if e.reason == ExcusalReason.ACCOMPANIST}
        # The VAE accompanist named on the candidacy sits on the jury: excused (D. 6412-6), even unrecorded.
        named = fold_alnum(entry.candidacy.accompanist)
        accompanists |= {m.pk for m in members if named and fold_alnum(m.name) == named}
        links.append(
            composition.CandidateLinks(
                key=entry.candidacy_id,
                route=composition.Route(entry.candidacy.route),
                vae_started_on=_vae_started_on(entry.candidacy) if entry.candidacy.route == "vae" else None,
                linked=frozenset(e.member_id for e in excusals if e.reason == ExcusalReason.LINK),
                accompanists=frozenset(accompanists),
                name=str(entry.candidacy.candidate),
            )
        )
    versions = [
        composition.BranchRules(
            valid_from=r.valid_from,
            min_size=r.min_size,
            quorum=r.quorum,
            parity=r.parity,
            min_qualified=r.min_qualified,
            reference=r.reference,
        )
        for r in session.qualification.jury_rules.all()
    ]
    return composition.check(session.on, as_members, links, versions)


def finding_message(finding: composition.Finding, names: dict | None = None) -> str:
    """The finding in words (French first; English through the catalogue)."""
    p = dict(finding.params)
    messages = {
        "branch.min_size": _(
            "Le règlement du CQP exige %(required)s membres au moins ; le jury en compte %(count)s."
        ),
        "branch.quorum": _("Quorum non atteint : %(count)s membre(s) présent(s) pour %(required)s exigé(s)."),
        "branch.parity": _(
            "Parité non respectée : %(employers)s représentant(s) des employeurs pour %(employees)s des salariés."
        ),
        "branch.min_qualified": _("%(required)s personne(s) qualifiée(s) exigée(s) ; %(count)s présente(s)."),
        "branch.no_rules": _("Aucune règle de jury n'est enregistrée pour ce CQP à cette date."),
        "president.missing": _("Désignez un président parmi les membres du jury."),
        "president.many": _("Un seul président par jury (%(count)s désignés)."),
        "president.absent": _("Le président est absent : désignez-en un autre parmi les présents."),
        "president.excused": _("Le président est déporté pour ce candidat : désignez un autre président."),
        "vae.too_few": _("VAE : le jury réunit au moins deux personnes (%(count)s après déports)."),
        "vae.no_qualified": _("VAE : au moins une personne qualifiée au titre du CQP doit siéger."),
        "vae.no_president": _("VAE : un président est désigné parmi les membres qui siègent."),
        "vae.gender_unbalanced": _(
            "VAE : la composition doit concourir à une représentation équilibrée des femmes et des hommes "
            "(%(count)s membres du même sexe)."
        ),
        "vae.gender_unknown": _(
            "VAE : le sexe de %(unknown)s membre(s) n'est pas renseigné (représentation équilibrée)."
        ),
        "vae.before_d6412_6": _(
            "VAE engagée avant le 13 avril 2024 : D. 6412-6 ne s'applique pas ; le jury suit les règles du CQP."
        ),
    }
    text = messages.get(finding.code, finding.code) % p if finding.code in messages else finding.code
    if finding.candidate is not None and names:
        text = f"{names.get(finding.candidate, finding.candidate)} — {text}"
    return text


def report_as_json(report: composition.Report, names: dict) -> dict:
    from cqphub.rules.citations import cite

    return {
        "on": report.on.isoformat(),
        "can_open": report.can_open,
        "findings": [
            {
                "code": f.code,
                "severity": f.severity.value,
                "candidate": f.candidate,
                "message": finding_message(f, names),
                "citations": [cite(key).ref for key in f.citations],
            }
            for f in report.findings
        ],
        "excusals": [
            {"member": e.member, "candidacy": e.candidate, "reason": e.reason} for e in report.excusals
        ],
    }


@transaction.atomic
def open_session(*, actor, session: JurySession) -> JurySession:
    """Open the session once the composition holds (nothing blocking)."""
    caller, session = session, JurySession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.PLANNED:
        raise ValidationError(_("Seule une session programmée peut s'ouvrir."), code="not_planned")
    if not session.candidates.exists():
        raise ValidationError(_("Aucun candidat n'est inscrit à cette session."), code="no_candidates")
    report = composition_report(session)
    names = {
        e.candidacy_id: str(e.candidacy.candidate)
        for e in session.candidates.select_related("candidacy__candidate")
    }
    if not report.can_open:
        raise ValidationError([finding_message(f, names) for f in report.blocking], code="composition")
    session.status = SessionStatus.OPEN
    session.opened_at = timezone.now()
    session.opened_by = actor
    session.composition = report_as_json(report, names)
    session.save(update_fields=["status", "opened_at", "opened_by", "composition"])
    caller.status, caller.opened_at, caller.opened_by = session.status, session.opened_at, actor
    caller.composition = session.composition
    record(actor, "open", session)
    return session


# ---------------------------------------------------------------------------------------------
# Deliberation
# ---------------------------------------------------------------------------------------------


def framework_for(version) -> deliberation.Framework:
    """The version's blocks, and the revisions of each (an earlier revision held counts)."""
    blocks = version.ordered_blocks()
    correspondences = []
    for block in blocks:
        lineage = block
        while lineage.origin_id:
            correspondences.append(deliberation.Correspondence(frozenset({lineage.origin_id}), lineage.pk))
            lineage = lineage.origin
    return deliberation.Framework(tuple(b.pk for b in blocks), tuple(correspondences))


@dataclass
class CandidateProposal:
    entry: JuryCandidate
    proposal: deliberation.Proposal
    blocks: list[SkillBlock]


def proposals(session: JurySession) -> list[CandidateProposal]:
    """The proposal for every candidate of the session (pure `deliberation.propose` underneath)."""
    entries = list(
        session.candidates.select_related("candidacy__candidate", "candidacy__version").order_by("pk")
    )
    outcomes = current_outcomes(e.candidacy_id for e in entries)
    # Blocks this session validated are not "held before" it (its own awards list them).
    own = set(
        AwardBlock.objects.filter(award__jury_session=session, earlier=False).values_list(
            "award__candidacy_id", "block_id"
        )
    )
    held_by = held_blocks_by_candidate({e.candidacy.candidate_id for e in entries})
    frameworks: dict = {}
    out = []
    for entry in entries:
        candidacy = entry.candidacy
        if candidacy.version_id not in frameworks:
            frameworks[candidacy.version_id] = (
                framework_for(candidacy.version),
                candidacy.version.ordered_blocks(),
            )
        framework, blocks = frameworks[candidacy.version_id]
        results = {b: outcomes[(candidacy.pk, b)] for b in framework.blocks if (candidacy.pk, b) in outcomes}
        held = frozenset(b for b in held_by.get(candidacy.candidate_id, ()) if (candidacy.pk, b) not in own)
        file = deliberation.CandidateFile(
            candidacy.pk, results, held, deliberation.Attendance(entry.attendance)
        )
        out.append(CandidateProposal(entry, deliberation.propose(framework, file), blocks))
    return out


DECISION_COLUMNS = (
    "session_id",
    "candidacy_id",
    "block_id",
    "validated",
    "proposal",
    "reason",
    "kind",
    "revokes_id",
    "author_id",
    "author_repr",
    "at",
)


@dataclass(frozen=True)
class DecisionInput:
    candidacy_id: int
    block_id: int
    validated: bool
    reason: str = ""


def _president_or_staff(actor, session: JurySession) -> None:
    if actor.is_superuser:
        return
    if session.members.filter(user=actor).exists():
        return
    from cqphub.juries.selectors import staff_qualification_ids

    if session.qualification_id in staff_qualification_ids(actor):
        return
    raise ValidationError(
        _("Seuls les membres du jury et le secrétariat de la branche enregistrent les décisions.")
    )


@transaction.atomic
def record_decisions(*, actor, session: JurySession, decisions: Sequence[DecisionInput]) -> int:
    """Record the jury's decisions in one submit; returns the number of rows written.

    A decision that matches the current one is skipped; one that changes it revokes it (a new row).
    Departing from the proposal needs a reason (refused otherwise, naming the candidate and block)."""
    session = JurySession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.OPEN:
        raise ValidationError(
            _("Les décisions s'enregistrent quand la session est ouverte."), code="not_open"
        )
    _president_or_staff(actor, session)
    rows, errors = _decision_rows(actor, session, decisions)
    if errors:
        raise ValidationError(errors, code="decisions")
    # A national session writes 30,000 rows: executemany / COPY (DESIGN.md §4), not bulk_create.
    BulkWriter().insert(Decision._meta.db_table, DECISION_COLUMNS, rows)
    record(actor, "record_decisions", session, changes={"rows": len(rows)})
    return len(rows)


def _decision_rows(actor, session: JurySession, decisions: Sequence[DecisionInput]) -> tuple[list, list]:
    """The Decision rows to write and the errors that refuse the submit (skipping unchanged decisions)."""
    by_candidacy = {p.entry.candidacy_id: p for p in proposals(session)}
    current = {(d.candidacy_id, d.block_id): d for d in session.decisions.current()}
    now = timezone.now()
    rows = []
    errors = []
    for item in decisions:
        cp = by_candidacy.get(item.candidacy_id)
        if cp is None or item.block_id not in cp.proposal.blocks:
            errors.append(
                _("Candidature %(c)s, bloc %(b)s : hors de cette session.")
                % {"c": item.candidacy_id, "b": item.block_id}
            )
            continue
        if cp.entry.attendance != Attendance.PRESENT:
            errors.append(
                _("%(candidate)s est absent : pas de décision.") % {"candidate": cp.entry.candidacy.candidate}
            )
            continue
        proposal = cp.proposal.blocks[item.block_id]
        previous = current.get((item.candidacy_id, item.block_id))
        if previous is not None and previous.validated == item.validated:
            continue
        if item.block_id in cp.proposal.held:
            continue  # held earlier: validated, nothing to decide
        departs = item.validated != (proposal == BlockProposal.VALIDATED)
        reason = item.reason.strip()
        if departs and not reason:
            code = next(b.code for b in cp.blocks if b.pk == item.block_id)
            errors.append(
                _("%(candidate)s, bloc %(block)s : motivez l'écart à la proposition.")
                % {"candidate": cp.entry.candidacy.candidate, "block": code}
            )
            continue
        if previous is not None and not reason:
            reason = _("Nouvelle délibération en séance.")
        rows.append(
            (
                session.pk,
                item.candidacy_id,
                item.block_id,
                item.validated,
                proposal.value,
                reason,
                DecisionKind.DECISION.value,
                previous.pk if previous is not None else None,
                actor.pk,
                actor.email,
                now,
            )
        )
    return rows, errors


def decide_as_proposed(*, actor, session: JurySession) -> int:
    """Adopt the proposal on every block not decided yet (the common case), in one submit."""
    decided = set(session.decisions.current().values_list("candidacy_id", "block_id"))
    items = [
        DecisionInput(cp.entry.candidacy_id, block, proposal == BlockProposal.VALIDATED)
        for cp in proposals(session)
        if cp.entry.attendance == Attendance.PRESENT
        for block, proposal in cp.proposal.blocks.items()
        if proposal != BlockProposal.NOT_ASSESSED
        and block not in cp.proposal.held
        and (cp.entry.candidacy_id, block) not in decided
    ]
    return record_decisions(actor=actor, session=session, decisions=items)


# ---------------------------------------------------------------------------------------------
# Closing
# ---------------------------------------------------------------------------------------------


def verify_reauthentication(user, *, password: str | None = None, otp_token: str | None = None) -> str:
    """The president confirms who they are: a TOTP code (when they have a device) or their password."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    if otp_token:
        for device in devices:
            if device.verify_token(otp_token):
                return "totp"
        raise ValidationError(_("Code de vérification incorrect."), code="bad_otp")
    if devices:
        raise ValidationError(
            _("Saisissez le code de votre application d'authentification."), code="otp_required"
        )
    if password and user.check_password(password):
        return "password"
    raise ValidationError(_("Mot de passe incorrect."), code="bad_password")


def _validated_now(session: JurySession) -> dict[int, set[int]]:
    validated: dict[int, set[int]] = {}
    for candidacy_id, block_id in (
        session.decisions.current().filter(validated=True).values_list("candidacy_id", "block_id")
    ):
        validated.setdefault(candidacy_id, set()).add(block_id)
    return validated


def _write_award(
    cp: CandidateProposal,
    validated_now: set[int],
    session: JurySession,
    overall: str,
    revokes: Award | None = None,
) -> Award | None:
    if overall not in (Overall.FULL, Overall.PARTIAL):
        return None
    candidacy = cp.entry.candidacy
    held = cp.proposal.held
    award = Award.objects.create(
        candidate_id=candidacy.candidate_id,
        candidacy=candidacy,
        version_id=candidacy.version_id,
        qualification_id=candidacy.qualification_id,
        kind=AwardKind.FULL if overall == Overall.FULL else AwardKind.PARTIAL,
        decision_date=session.on,
        place=session.place_display,
        jury_session=session,
        route=candidacy.route,
        revokes=revokes,
    )
    blocks = [
        AwardBlock(award=award, block=b, earlier=b.pk in held, order=i)
        for i, b in enumerate(cp.blocks)
        if b.pk in validated_now or (overall == Overall.FULL and b.pk in held)
    ]
    AwardBlock.objects.bulk_create(blocks, batch_size=2000)
    return award


@transaction.atomic
def close_session(
    *, actor, session: JurySession, password: str | None = None, otp_token: str | None = None
) -> list[Award]:
    """The president closes the session: every present candidate assessed on a block has a decision
    on it; awards written; candidacies decided; afterwards nothing in the session is editable."""
    caller, session = session, JurySession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.OPEN:
        raise ValidationError(_("Seule une session ouverte peut être close."), code="not_open")
    president = session.members.filter(president=True).first()
    if president is None or president.user_id != actor.pk:
        raise ValidationError(_("Seul le président du jury clôt la session."), code="not_president")
    method = verify_reauthentication(actor, password=password, otp_token=otp_token)
    cps = proposals(session)
    missing = _missing_decisions(session, cps)
    if missing:
        raise ValidationError(
            _("Décision manquante pour : %(list)s.")
            % {"list": ", ".join(missing[:20]) + ("…" if len(missing) > 20 else "")},
            code="missing_decisions",
        )
    validated = _validated_now(session)
    awards = []
    now = timezone.now()
    session.status = SessionStatus.CLOSED
    session.closed_at, session.closed_by, session.closing_check = now, actor, method
    session.save(update_fields=["status", "closed_at", "closed_by", "closing_check"])
    caller.status, caller.closed_at, caller.closed_by, caller.closing_check = (
        session.status,
        now,
        actor,
        method,
    )
    framework_cache: dict = {}
    for cp in cps:
        version_id = cp.entry.candidacy.version_id
        if version_id not in framework_cache:
            framework_cache[version_id] = framework_for(cp.entry.candidacy.version)
        mine = validated.get(cp.entry.candidacy_id, set())
        award = _settle(actor, session, cp, mine, framework_cache[version_id])
        if award is not None:
            awards.append(award)
    record(actor, "close", session, changes={"awards": len(awards), "check": method})
    ids = [a.pk for a in awards]
    transaction.on_commit(lambda: _after_close(session.pk, ids, actor.pk if actor else None))
    return awards


def _missing_decisions(session: JurySession, cps) -> list[str]:
    """ "Candidate (BC01)" for each block a present candidate was assessed on and has no decision on."""
    decided = {(d[0], d[1]) for d in session.decisions.current().values_list("candidacy_id", "block_id")}
    missing = []
    for cp in cps:
        if cp.entry.attendance != Attendance.PRESENT:
            continue
        for block in cp.blocks:
            proposal = cp.proposal.blocks[block.pk]
            if proposal != BlockProposal.NOT_ASSESSED and block.pk not in cp.proposal.held:
                if (cp.entry.candidacy_id, block.pk) not in decided:
                    missing.append(f"{cp.entry.candidacy.candidate} ({block.code})")
    return missing


def _settle(actor, session: JurySession, cp, mine: set, framework) -> Award | None:
    """One candidate at closing: the overall result and the notification deadline, the award (if any),
    the candidacy decided."""
    entry = cp.entry
    candidacy = entry.candidacy
    assessed = any(
        p != BlockProposal.NOT_ASSESSED for b, p in cp.proposal.blocks.items() if b not in cp.proposal.held
    )
    overall = deliberation.overall_from_decisions(
        framework, mine, cp.proposal.held, deliberation.Attendance(entry.attendance), assessed
    )
    entry.overall = overall.value
    entry.notify_by = entry.deadline_for(candidacy.route)
    JuryCandidate.objects.filter(pk=entry.pk).update(overall=overall.value, notify_by=entry.notify_by)
    award = _write_award(cp, mine, session, overall)
    if entry.attendance == Attendance.PRESENT and overall != Overall.NOT_ASSESSED:
        locked = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
        if locked.status == Status.ASSESSED:  # assessed by the jury itself during the session (VAE)
            transition(locked, Status.AWAITING_JURY, by=actor, reason=str(session), actor=Actor.SYSTEM)
        if locked.status == Status.AWAITING_JURY:
            transition(locked, Status.DECIDED, by=actor, reason=str(session), actor=Actor.SYSTEM)
    return award


def _after_close(session_id: int, award_ids: list[int], actor_id: int | None) -> None:
    from cqphub.juries.tasks import generate_minutes_task

    for award in Award.objects.filter(pk__in=award_ids):
        award_recorded.send(sender=Award, award=award)
    generate_minutes_task.enqueue(session_id, actor_id)


# ---------------------------------------------------------------------------------------------
# After closing: revocation, correction, fraud withdrawal, appeals, notification
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def revoke_decision(
    *,
    actor,
    decision: Decision,
    reason: str,
    kind: str = DecisionKind.CORRECTION,
    validated: bool | None = None,
) -> Decision:
    """A new decision row that revokes `decision` (with reason and author), and the award re-written.

    `kind` is a correction (the jury's error), a withdrawal for fraud or plagiarism (R. 6412-7: the
    block is no longer validated), or the outcome of an appeal. `validated` is the new value
    (a fraud withdrawal forces False; a correction defaults to the opposite of the revoked row)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Motivez la révocation."), code="reason_required")
    kind = DecisionKind(kind)
    if kind == DecisionKind.DECISION:
        raise ValidationError(_("Une révocation est une rectification, un retrait ou la suite d'un recours."))
    decision = Decision.objects.select_for_update(of=("self",)).select_related("session").get(pk=decision.pk)
    session = decision.session
    if session.status != SessionStatus.CLOSED:
        raise ValidationError(_("Avant la clôture, le jury délibère à nouveau en séance."), code="not_closed")
    if Decision.objects.filter(revokes=decision).exists():
        raise ValidationError(_("Cette décision a déjà été révoquée."), code="already_revoked")
    if kind == DecisionKind.FRAUD:
        validated = False
    elif validated is None:
        validated = not decision.validated
    new = Decision.objects.create(
        session=session,
        candidacy_id=decision.candidacy_id,
        block_id=decision.block_id,
        validated=validated,
        proposal=decision.proposal,
        reason=reason,
        kind=kind,
        revokes=decision,
        author=actor,
        author_repr=actor.email,
    )
    _rewrite_award(session, decision.candidacy_id, actor, reason)
    record(
        actor,
        f"revoke_{kind.value}",
        session,
        changes={"decision": decision.pk, "new": new.pk, "validated": validated, "reason": reason},
    )
    return new


def _rewrite_award(session: JurySession, candidacy_id: int, actor, reason: str) -> None:
    """Re-derive the candidate's award from the current decisions; revoke and replace it if it differs."""
    cp = next(p for p in proposals(session) if p.entry.candidacy_id == candidacy_id)
    mine = _validated_now(session).get(candidacy_id, set())
    framework = framework_for(cp.entry.candidacy.version)
    overall = deliberation.overall_from_decisions(
        framework, mine, cp.proposal.held, deliberation.Attendance(cp.entry.attendance), True
    )
    old = (
        Award.objects.select_for_update()
        .filter(jury_session=session, candidacy_id=candidacy_id, revoked_at__isnull=True)
        .first()
    )
    old_blocks = (
        set(old.award_blocks.filter(earlier=False).values_list("block_id", flat=True)) if old else set()
    )
    old_kind = old.kind if old else None
    new_kind = {Overall.FULL: AwardKind.FULL, Overall.PARTIAL: AwardKind.PARTIAL}.get(overall)
    JuryCandidate.objects.filter(session=session, candidacy_id=candidacy_id).update(overall=overall.value)
    if old_kind == new_kind and old_blocks == mine:
        return
    if old is not None:
        old.revoked_at, old.revocation_reason = timezone.now(), reason
        old.save(update_fields=["revoked_at", "revocation_reason"])
    new = _write_award(cp, mine, session, overall, revokes=old)
    if old is not None:
        transaction.on_commit(
            lambda: award_revoked.send(sender=Award, award=old, replacement=new, reason=reason)
        )
    if new is not None:
        transaction.on_commit(lambda: award_recorded.send(sender=Award, award=new))


@transaction.atomic
def record_appeal(*, actor, decision: Decision, lodged_on: date, grounds: str) -> Appeal:
    if not grounds.strip():
        raise ValidationError(_("Indiquez les motifs du recours."))
    appeal = Appeal.objects.create(
        decision=decision,
        candidacy_id=decision.candidacy_id,
        lodged_on=lodged_on,
        grounds=grounds,
        recorded_by=actor,
    )
    record(actor, "appeal", decision.session, changes={"decision": decision.pk})
    return appeal


@transaction.atomic
def decide_appeal(*, actor, appeal: Appeal, outcome: str, note: str, on: date | None = None) -> Appeal:
    """The appeal's outcome; a changed decision is a new decision row revoking the contested one."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.outcome != AppealOutcome.PENDING:
        raise ValidationError(_("Ce recours a déjà été tranché."))
    outcome = AppealOutcome(outcome)
    if outcome == AppealOutcome.PENDING or not note.strip():
        raise ValidationError(_("Indiquez l'issue du recours et sa motivation."))
    if outcome == AppealOutcome.CHANGED:
        appeal.outcome_decision = revoke_decision(
            actor=actor, decision=appeal.decision, reason=note, kind=DecisionKind.APPEAL
        )
    appeal.outcome, appeal.outcome_note, appeal.outcome_on = outcome, note, on or timezone.localdate()
    appeal.save()
    record(
        actor, "appeal_outcome", appeal.decision.session, changes={"appeal": appeal.pk, "outcome": outcome}
    )
    return appeal


@transaction.atomic
def notify_results(*, actor, session: JurySession, entries: Iterable[JuryCandidate] | None = None) -> int:
    """Queue the e-mail notifying each candidate of their result (R. 6412-7: within 15 days for VAE)."""
    from cqphub.juries.tasks import notify_result_task

    session.refresh_from_db(fields=["status"])
    if session.status != SessionStatus.CLOSED:
        raise ValidationError(_("Les résultats se notifient après la clôture."), code="not_closed")
    todo = list(entries) if entries is not None else list(session.candidates.filter(notified_at__isnull=True))
    ids = [e.pk for e in todo if e.overall]
    transaction.on_commit(lambda: [notify_result_task.enqueue(pk) for pk in ids])
    record(actor, "notify", session, changes={"count": len(ids)})
    return len(ids)


@transaction.atomic
def mark_notified(*, actor, entry: JuryCandidate, on=None) -> JuryCandidate:
    """Record a notification made outside the platform (e.g. a registered letter)."""
    if entry.session.status != SessionStatus.CLOSED or not entry.overall:
        raise ValidationError(_("Rien à notifier avant la clôture."))
    entry.notified_at = on or timezone.now()
    entry.save(update_fields=["notified_at"])
    record(actor, "mark_notified", entry.session, changes={"candidacy": entry.candidacy_id})
    return entry
