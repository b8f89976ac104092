"""Write use cases of the journeys app: one function per use case, keyword arguments, one transaction
each, every write recorded in the audit trail (`cqphub.orgs.audit`).

The status of a candidacy changes only through `transition()`: the assessment and juries apps call

    transition(candidacy, Status.ASSESSED, by=assessor, reason="…", actor=Actor.SYSTEM)

(ready_for_assessment → assessed → awaiting_jury → decided are "system" steps of the workflow).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqphub.journeys import legal, workflow
from cqphub.journeys.enums import (
    TRAINING_FUNDINGS,
    VAE_FUNDINGS,
    AdmissibilityDecision,
    ExemptionRule,
    GrantRole,
    PositioningOutcome,
    Route,
    Status,
    Target,
)
from cqphub.journeys.models import (
    AccessGrant,
    Admissibility,
    Candidacy,
    CandidacyDocument,
    CandidacyTransition,
    Candidate,
    DeclaredExperience,
    Positioning,
    RulesSnapshot,
)
from cqphub.journeys.workflow import Actor, TransitionError
from cqphub.orgs import audit
from cqphub.qualifications.models import QualificationVersion, SkillBlock

IDENTITY_FIELDS = (
    "birth_name",
    "usage_name",
    "first_names",
    "sex",
    "birth_year",
    "birth_month",
    "birth_day",
    "birth_commune",
    "birth_country",
    "email",
    "phone",
)  # what describes the person (and how to reach them): the enrolment form asks for these
CANDIDATE_FIELDS = (
    *IDENTITY_FIELDS,
    "address",
    "postcode",
    "city",
    "consent_at",
)


class DuplicateCandidate(ValidationError):
    """A record with the same birth name, first name and date of birth exists: confirm or merge."""

    def __init__(self, duplicates: list[Candidate]):
        self.duplicates = duplicates
        names = ", ".join(f"{c.display_name} (n° {c.pk}, {c.birth_date_display})" for c in duplicates)
        super().__init__(
            _(
                "Cette personne semble déjà enregistrée : %(names)s. Ouvrez la fiche existante, ou confirmez "
                "qu'il s'agit d'une autre personne."
            )
            % {"names": names},
            code="duplicate",
        )


class RouteRefused(ValidationError):
    """The law does not open this route or funding, on this date, for this person (the finding says why)."""

    def __init__(self, finding: dict):
        self.finding = finding
        super().__init__(
            _("Voie refusée : %(why)s (%(sources)s ; règle %(rule)s)")
            % {
                "why": legal.explanation(finding),
                "sources": legal.citations_text(finding),
                "rule": finding.get("rule", ""),
            },
            code="route_refused",
        )


def _branch_of(candidacy: Candidacy):
    return candidacy.qualification.owning_branches().order_by("pk").first()


def _record(actor, action: str, obj, candidacy: Candidacy | None = None, changes=None, centre=None) -> None:
    branch = _branch_of(candidacy) if candidacy is not None else None
    if centre is None and candidacy is not None:
        centre = candidacy.centre
    audit.record(actor, action, obj, branch=branch, centre=centre, changes=changes)


# ---------------------------------------------------------------------------------------------
# Candidates
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def create_candidate(
    *, actor, centre=None, user=None, confirm_not_duplicate: bool = False, **fields
) -> Candidate:
    """A new candidate; DuplicateCandidate when the same person seems recorded already, unless the
    caller confirms it is another person (the confirmation is audited)."""
    unknown = set(fields) - set(CANDIDATE_FIELDS)
    if unknown:
        raise TypeError(f"unknown candidate field(s): {', '.join(sorted(unknown))}")
    candidate = Candidate(created_by_centre=centre, user=user, **fields)
    candidate.full_clean(exclude=["identity_key"])
    from cqphub.journeys.selectors import possible_duplicates

    duplicates = list(
        possible_duplicates(
            birth_name=candidate.birth_name,
            first_names=candidate.first_names,
            birth_year=candidate.birth_year,
            birth_month=candidate.birth_month,
            birth_day=candidate.birth_day,
        )
    )
    if duplicates and not confirm_not_duplicate:
        raise DuplicateCandidate(duplicates)
    candidate.save()
    changes = {"confirmed_not_duplicate_of": [None, [d.pk for d in duplicates]]} if duplicates else None
    audit.record(actor, "create", candidate, centre=centre, changes=changes)
    return candidate


@transaction.atomic
def update_candidate(*, actor, candidate: Candidate, **fields) -> Candidate:
    unknown = set(fields) - set(CANDIDATE_FIELDS)
    if unknown:
        raise TypeError(f"unknown candidate field(s): {', '.join(sorted(unknown))}")
    before = audit.snapshot(candidate)
    for name, value in fields.items():
        setattr(candidate, name, value)
    candidate.full_clean(exclude=["identity_key"])
    candidate.save()
    audit.record(actor, "update", candidate, changes=audit.diff(before, audit.snapshot(candidate)))
    return candidate


@transaction.atomic
def merge_candidates(*, actor, keep: Candidate, duplicate: Candidate, reason: str) -> Candidate:
    """Move the duplicate's candidacies (and account, when `keep` has none) onto `keep`; the duplicate
    stays, marked merged into `keep`, so that the merge can be read and contested later."""
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Une fiche ne se fusionne pas avec elle-même."), code="merge_self")
    # read under a row lock: two people merging the same pair at once must not both succeed
    locked = Candidate.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])
    already = any(merged for merged in locked.values_list("merged_into_id", flat=True))
    if already or duplicate.merged_into_id or keep.merged_into_id:
        raise ValidationError(_("Une des deux fiches a déjà été fusionnée."), code="merge_twice")
    if not (reason or "").strip():
        raise ValidationError(
            _("Indiquez pourquoi ces deux fiches sont la même personne."), code="reason_required"
        )
    moved = list(duplicate.candidacies.values_list("pk", flat=True))
    Candidacy.objects.filter(pk__in=moved).update(candidate=keep)
    if keep.user_id is None and duplicate.user_id is not None:
        user = duplicate.user
        Candidate.objects.filter(pk=duplicate.pk).update(user=None)
        keep.user = user
        keep.save(update_fields=["user", "updated"])
    for name in ("email", "phone", "address", "postcode", "city", "usage_name", "birth_month", "birth_day"):
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
    keep.save()
    Candidate.objects.filter(pk=duplicate.pk).update(merged_into=keep)
    audit.record(
        actor,
        "merge",
        keep,
        centre=keep.created_by_centre,
        changes={
            "merged": [None, duplicate.pk],
            "candidacies_moved": [None, moved],
            "reason": [None, reason],
        },
    )
    return keep


@transaction.atomic
def open_candidate_account(*, actor, candidate: Candidate, base_url: str):
    """Give the candidate a login account on their e-mail address, at their request (consent, see
    `Candidate`): an account with no usable password and, once committed, an e-mail to choose one.
    With it the candidate follows their file and, once a holder, downloads their documents."""
    from cqphub.orgs.models import User
    from cqphub.orgs.services import send_invitation_email

    if candidate.user_id is not None:
        raise ValidationError(_("Ce candidat a déjà un compte."), code="account_exists")
    email = User.objects.normalize_email(candidate.email or "").strip().lower()
    if not email:
        raise ValidationError(_("Saisissez d'abord l'adresse e-mail du candidat."), code="email_required")
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            _("Cette adresse e-mail est déjà celle d'un compte : le candidat peut s'y connecter."),
            code="email_taken",
        )
    first = (candidate.first_names or "").split()
    user = User(email=email, first_name=first[0] if first else "", last_name=candidate.birth_name)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    candidate.user = user
    candidate.save(update_fields=["user", "updated"])
    audit.record(actor, "invite", candidate, centre=candidate.created_by_centre,
                 changes={"user": [None, email]})  # fmt: skip
    transaction.on_commit(lambda: send_invitation_email(user=user, base_url=base_url, inviter=actor))
    return user


# ---------------------------------------------------------------------------------------------
# Candidacies
# ---------------------------------------------------------------------------------------------


def _check_funding(route: str, funding: str) -> None:
    allowed = TRAINING_FUNDINGS if route == Route.TRAINING else VAE_FUNDINGS
    if funding not in allowed:
        raise ValidationError(
            {
                "funding": _("« %(funding)s » ne finance pas la voie « %(route)s ».")
                % {"funding": funding, "route": Route(route).label}
            },
            code="funding_route",
        )


def _check_vae_yearly_limit(
    candidate: Candidate, version: QualificationVersion, on: date, target: str
) -> None:
    """R. 6412-3: one admissibility file per certification and three certifications per calendar year
    (block requests excepted)."""
    if target != Target.WHOLE:
        return
    same_year = candidate.candidacies.filter(
        route=Route.VAE, target=Target.WHOLE, rules_on__year=on.year
    ).exclude(status__in=[Status.WITHDRAWN])
    if same_year.filter(qualification_id=version.qualification_id).exists():
        raise ValidationError(
            _("Une seule demande de recevabilité par certification et par année civile (art. R. 6412-3)."),
            code="vae_one_per_year",
        )
    if same_year.values("qualification_id").distinct().count() >= 3:
        raise ValidationError(
            _("Au plus trois certifications différentes par année civile en VAE (art. R. 6412-3)."),
            code="vae_three_per_year",
        )


def _check_habilitation(centre, version: QualificationVersion, blocks: list[SkillBlock], on: date) -> None:
    from cqphub.qualifications.services import require_habilitation

    for block in blocks or [None]:
        require_habilitation(
            centre=centre, qualification=version.qualification, action="train", on=on, block=block
        )


@transaction.atomic
def create_candidacy(
    *,
    actor,
    candidate: Candidate,
    version: QualificationVersion,
    route: str,
    funding: str,
    centre=None,
    target_blocks: Iterable[SkillBlock] = (),
    situation: dict[str, Any] | None = None,
    on: date | None = None,
    employer_name: str = "",
    employer_siret: str = "",
    employer_contact=None,
    planned_start: date | None = None,
    planned_end: date | None = None,
    planned_hours: int | None = None,
    accompanist: str = "",
    accompaniment_hours: int | None = None,
    experiences: Iterable[dict] = (),
    submit: bool = False,
) -> Candidacy:
    """Enrol a candidate on a published CQP version by one route.

    The rules engine runs for this person, this CQP and the date (`on`, default: the planned start,
    else today); its findings are stored on the candidacy, and a route or funding the law does not
    open is refused with the finding's explanation (RouteRefused). On the training route the centre
    must hold a "train" habilitation valid on that date for every target block."""
    route = _check_enrolment(candidate, version, route, funding)
    on = on or planned_start or timezone.localdate()
    blocks = list(target_blocks)
    version_blocks = version.ordered_blocks()
    target = _target_of(version_blocks, blocks)
    if route == Route.TRAINING:
        if centre is None:
            raise ValidationError(
                {"centre": _("La voie de la formation exige un centre.")}, code="centre_required"
            )
        _check_habilitation(centre, version, blocks or version_blocks, on)
    else:
        _check_vae_yearly_limit(candidate, version, on, target)
    if candidate.candidacies.open().filter(version=version, route=route).exists():
        raise ValidationError(
            _("Ce candidat a déjà une candidature en cours sur cette version par cette voie."),
            code="already_open",
        )
    findings = _findings_opening(candidate, version, situation, on, route, funding)
    candidacy = Candidacy(
        candidate=candidate,
        version=version,
        target=target,
        route=route,
        funding=funding,
        centre=centre,
        employer_name=employer_name,
        employer_siret=employer_siret,
        planned_start=planned_start,
        planned_end=planned_end,
        planned_hours=planned_hours,
        accompanist=accompanist,
        accompaniment_hours=accompaniment_hours,
        situation=dict(situation or {}),
        rules_on=on,
        rules_snapshot=RulesSnapshot.for_findings(findings),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    candidacy.full_clean(
        exclude=["candidate", "version", "qualification", "centre", "created_by", "rules_snapshot"],
        validate_constraints=False,
    )
    candidacy.save()
    _save_parts(candidacy, blocks, experiences)
    _log(candidacy, "", Status.DRAFT, actor, "", "")
    _record(
        actor,
        "create",
        candidacy,
        candidacy,
        changes={"route": [None, route], "funding": [None, funding], "rules_on": [None, on.isoformat()]},
    )
    if employer_contact is not None:
        grant_access(actor=actor, candidacy=candidacy, user=employer_contact, role=GrantRole.EMPLOYER)
    if submit:
        transition(candidacy, Status.SUBMITTED, by=actor, actor=Actor.CENTRE if centre else None)
    return candidacy


def _check_enrolment(candidate: Candidate, version: QualificationVersion, route: str, funding: str) -> Route:
    """A live candidate record, a published version, a known route and a funding that finances it."""
    if candidate.merged_into_id:
        raise ValidationError(
            _("Cette fiche a été fusionnée dans une autre : utilisez celle-ci."), code="merged"
        )
    if not version.is_published:
        raise ValidationError(
            _("Une candidature vise une version publiée du CQP, jamais un brouillon."), code="version_draft"
        )
    try:
        route = Route(route)
    except ValueError:
        raise ValidationError({"route": _("Voie inconnue : %(route)s.") % {"route": route}}, code="route")
    _check_funding(route, funding)
    return route


def _target_of(version_blocks: list[SkillBlock], blocks: list[SkillBlock]) -> str:
    """Whole CQP, or some of its blocks (every chosen block must belong to the version)."""
    stray = [b.code for b in blocks if b.pk not in {vb.pk for vb in version_blocks}]
    if stray:
        raise ValidationError(
            {"target_blocks": _("Blocs absents de cette version : %(codes)s.") % {"codes": ", ".join(stray)}},
            code="stray_blocks",
        )
    return Target.BLOCKS if blocks and len(blocks) < len(version_blocks) else Target.WHOLE


def _findings_opening(
    candidate: Candidate, version: QualificationVersion, situation, on: date, route: str, funding: str
) -> list[dict]:
    """The rules engine's findings for this person, CQP and date; RouteRefused when they close the
    route or the funding."""
    try:
        findings = legal.evaluate(version.qualification, situation, on, age=candidate.age_on(on))
    except ValueError as exc:
        raise ValidationError({"situation": str(exc)}, code="situation")
    refused = legal.refusal(findings, route, funding)
    if refused is not None:
        raise RouteRefused(refused)
    return findings


def _save_parts(candidacy: Candidacy, blocks: list[SkillBlock], experiences: Iterable[dict]) -> None:
    """The chosen blocks, and for VAE the admissibility file with the declared experience."""
    if candidacy.target == Target.BLOCKS:
        candidacy.target_blocks.set(blocks)
    if candidacy.route == Route.VAE:
        Admissibility.objects.create(candidacy=candidacy)
        for row in experiences:
            experience = DeclaredExperience(candidacy=candidacy, **row)
            experience.full_clean()
            experience.save()


def actor_kinds(user, candidacy: Candidacy) -> set[Actor]:
    """In which capacities `user` may act on this candidacy (None: the system)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {Actor.SYSTEM}
    if user.is_superuser:
        return {Actor.CENTRE, Actor.BRANCH}
    from cqphub.journeys.rules import is_candidacy_branch_staff, is_holding_centre_writer

    kinds = set()
    if candidacy.candidate.user_id == user.pk:
        kinds.add(Actor.CANDIDATE)
    if is_holding_centre_writer(user, candidacy):
        kinds.add(Actor.CENTRE)
    if is_candidacy_branch_staff(user, candidacy):
        kinds.add(Actor.BRANCH)
    return kinds


def _log(candidacy, source, target, by, reason, actor_kind) -> CandidacyTransition:
    user = by if getattr(by, "is_authenticated", False) else None
    return CandidacyTransition.objects.create(
        candidacy=candidacy,
        from_status=source,
        to_status=target,
        by=user,
        by_repr=(user.email if user else "")[:254],
        actor_kind=actor_kind,
        reason=reason or "",
    )


def available_transitions(candidacy: Candidacy, user) -> list[Status]:
    kinds = actor_kinds(user, candidacy)
    return [
        Status(s)
        for s in workflow.targets(
            candidacy.status, candidacy.route, kinds, resume_to=candidacy.resume_to or None
        )
    ]


@transaction.atomic
def transition(
    candidacy: Candidacy,
    to: str,
    by=None,
    reason: str = "",
    *,
    actor: Actor | None = None,
    notify: bool = True,
) -> Candidacy:
    """Move the candidacy to `to`, or ValidationError (code: not_allowed, wrong_route, not_your_step,
    reason_required, resume_elsewhere). Logs who, when, from, to and why, and audits it.

    `actor` forces the capacity (the assessment and juries apps pass Actor.SYSTEM); otherwise it is
    derived from `by` (None = the system). `notify=False` sends the candidate no e-mail (demo data)."""
    locked = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    kinds = {actor} if actor is not None else actor_kinds(by, locked)
    try:
        workflow.check(
            source=locked.status,
            target=to,
            route=locked.route,
            actors=kinds,
            reason=reason,
            resume_to=locked.resume_to or None,
        )
    except TransitionError as exc:
        raise ValidationError(
            _("Passage de « %(source)s » à « %(target)s » impossible : %(why)s")
            % {"source": Status(locked.status).label, "target": _label(to), "why": _why(exc.code)},
            code=exc.code,
        )
    source = locked.status
    if Status(to) == Status.SUSPENDED:
        locked.resume_to = source
    elif source == Status.SUSPENDED:
        locked.resume_to = ""
    locked.status = to
    locked.status_changed_at = timezone.now()
    locked._status_change_allowed = True
    locked.save(update_fields=["status", "status_changed_at", "resume_to", "updated"])
    kind = sorted(kinds)[0] if len(kinds) == 1 else ",".join(sorted(k.value for k in kinds))
    _log(locked, source, to, by, reason, str(kind))
    _record(
        by,
        "transition",
        locked,
        locked,
        changes={"status": [source, str(to)], "reason": [None, reason or ""]},
    )
    if notify:
        from cqphub.journeys import tasks

        tasks.enqueue_status_notice(locked.pk, str(to))
    # keep the caller's object in step
    candidacy.status, candidacy.status_changed_at, candidacy.resume_to = (
        locked.status,
        locked.status_changed_at,
        locked.resume_to,
    )
    candidacy.updated = locked.updated
    return locked


def _label(value) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return str(value)


def _why(code: str) -> str:
    return {
        "not_allowed": _("ce passage n'existe pas dans le parcours"),
        "wrong_route": _("ce passage n'appartient pas à cette voie d'accès"),
        "not_your_step": _("cette étape revient à un autre acteur"),
        "reason_required": _("un motif est obligatoire"),
        "resume_elsewhere": _("une candidature suspendue reprend là où elle s'était arrêtée"),
        "unknown_value": _("état inconnu"),
    }.get(code, code)


@transaction.atomic
def decide_admissibility(
    *,
    actor,
    candidacy: Candidacy,
    decision: str,
    reasons: str = "",
    on: date | None = None,
    notify: bool = True,
) -> Admissibility:
    """The certifier's admissibility decision on a submitted VAE candidacy (R. 6412-4): admissible,
    not admissible (with reasons), or incomplete (the file goes back to draft with what is missing)."""
    if candidacy.route != Route.VAE:
        raise ValidationError(_("La recevabilité ne concerne que la VAE."), code="not_vae")
    decision = AdmissibilityDecision(decision)
    if decision != AdmissibilityDecision.ADMISSIBLE and not (reasons or "").strip():
        raise ValidationError({"reasons": _("Motivez la décision.")}, code="reason_required")
    target = {
        AdmissibilityDecision.ADMISSIBLE: Status.ADMISSIBLE,
        AdmissibilityDecision.NOT_ADMISSIBLE: Status.NOT_ADMISSIBLE,
        AdmissibilityDecision.INCOMPLETE: Status.DRAFT,
    }[decision]
    if Actor.BRANCH not in actor_kinds(actor, candidacy):
        raise ValidationError(
            _("La recevabilité est décidée par le service certification de la branche."), code="not_your_step"
        )
    transition(candidacy, target, by=actor, reason=reasons, actor=Actor.BRANCH, notify=notify)
    admissibility, _created = Admissibility.objects.get_or_create(candidacy=candidacy)
    before = audit.snapshot(admissibility)
    admissibility.decision = decision
    admissibility.reasons = reasons or ""
    admissibility.decided_on = on or timezone.localdate()
    admissibility.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    if decision == AdmissibilityDecision.INCOMPLETE:
        admissibility.complete_on = None
    admissibility.full_clean(exclude=["candidacy", "decided_by"])
    admissibility.save()
    _record(
        actor,
        "admissibility",
        admissibility,
        candidacy,
        changes=audit.diff(before, audit.snapshot(admissibility)),
    )
    return admissibility


@transaction.atomic
def submit_admissibility(
    *, actor, candidacy: Candidacy, on: date | None = None, complete: bool = True, notify: bool = True
) -> Candidacy:
    """Submit a VAE candidacy's admissibility file; `complete` starts the 2-month clock (R. 6412-4)."""
    on = on or timezone.localdate()
    transition(candidacy, Status.SUBMITTED, by=actor, notify=notify)
    admissibility, _created = Admissibility.objects.get_or_create(candidacy=candidacy)
    admissibility.requested_on = admissibility.requested_on or on
    if complete:
        admissibility.complete_on = on
    admissibility.decision = ""
    admissibility.reasons = ""
    admissibility.decided_on = None
    admissibility.save()
    return candidacy


# ---------------------------------------------------------------------------------------------
# Positioning
# ---------------------------------------------------------------------------------------------


def _correspondence_found(candidacy: Candidacy, block: SkillBlock, other_code: str, other_block: str) -> bool:
    """The registry's correspondence tables (fiche CORRESPONDANCES) link `other_code` (and its block)
    to this CQP's fiche."""
    qualification = candidacy.qualification
    own_code = (qualification.fiche_code or getattr(qualification.certification, "code", "") or "").upper()
    if not own_code or not other_code:
        return False
    from cqphub.registry.models import Certification

    other_code = other_code.strip().upper()
    own_block = f"{own_code}{block.code}".upper()
    for fiche in Certification.objects.filter(code__in=[own_code, other_code]).only(
        "code", "correspondences"
    ):
        for entry in fiche.correspondences or []:
            sides = [entry.get("source") or {}, entry.get("destination") or {}]
            codes = {(s.get("code") or "").upper() for s in sides}
            if {own_code, other_code} <= codes:
                blocks = {b.upper() for s in sides for b in s.get("blocks") or []}
                if not blocks:
                    return True
                if (not other_block or other_block.upper() in blocks) and (
                    own_block in blocks or block.code.upper() in blocks or not other_block
                ):
                    return True
    return False


@transaction.atomic
def record_positioning(
    *,
    actor,
    candidacy: Candidacy,
    block: SkillBlock,
    outcome: str,
    evidence: str = "",
    exemption_rule: str = "",
    corresponding_certification: str = "",
    corresponding_block: str = "",
) -> Positioning:
    """Record (or replace) the positioning of one target block: acquired / to train / exempt.

    An exemption names its rule: a block validated earlier (held per `blocks_already_held`, or an
    attestation described in the evidence) or a corresponding block of another certification per the
    registry's correspondences (checked against the fiches)."""
    from cqphub.journeys.selectors import blocks_already_held, target_blocks

    if block.pk not in {b.pk for b in target_blocks(candidacy)}:
        raise ValidationError(
            {"block": _("Le bloc %(code)s n'est pas visé par cette candidature.") % {"code": block.code}},
            code="stray_block",
        )
    outcome = PositioningOutcome(outcome)
    if outcome != PositioningOutcome.EXEMPT:
        exemption_rule = ""
    elif exemption_rule == ExemptionRule.EARLIER_VALIDATION:
        held = {h.block.pk for h in blocks_already_held(candidacy.candidate)}
        if block.pk not in held and not evidence.strip():
            raise ValidationError(
                {
                    "evidence": _(
                        "Décrivez l'attestation du bloc validé antérieurement (date, jury, certificateur)."
                    )
                },
                code="evidence_required",
            )
    elif exemption_rule == ExemptionRule.CORRESPONDENCE:
        if not _correspondence_found(candidacy, block, corresponding_certification, corresponding_block):
            raise ValidationError(
                {
                    "corresponding_certification": _(
                        "Aucune correspondance publiée au répertoire ne relie %(other)s à ce bloc."
                    )
                    % {"other": corresponding_certification or "—"}
                },
                code="no_correspondence",
            )
    else:
        raise ValidationError(
            {"exemption_rule": _("Une dispense indique sa règle.")}, code="exemption_rule_required"
        )
    existing = Positioning.objects.filter(candidacy=candidacy, block=block).first()
    before = audit.snapshot(existing) if existing else {}
    positioning = existing or Positioning(candidacy=candidacy, block=block)
    positioning.outcome = outcome
    positioning.evidence = evidence
    positioning.exemption_rule = exemption_rule
    positioning.corresponding_certification = (
        corresponding_certification if exemption_rule == ExemptionRule.CORRESPONDENCE else ""
    )
    positioning.corresponding_block = (
        corresponding_block if exemption_rule == ExemptionRule.CORRESPONDENCE else ""
    )
    positioning.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    positioning.recorded_at = timezone.now()
    positioning.save()
    _record(
        actor,
        "update" if existing else "create",
        positioning,
        candidacy,
        changes=audit.diff(before, audit.snapshot(positioning)),
    )
    return positioning


# ---------------------------------------------------------------------------------------------
# Documents, access grants
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def add_document(*, actor, candidacy: Candidacy, kind: str, uploaded) -> CandidacyDocument:
    from cqphub.journeys.documents import check_upload

    checked = check_upload(uploaded)
    document = CandidacyDocument(
        candidacy=candidacy,
        kind=kind,
        original_name=checked.safe_name,
        content_type=checked.kind.mime,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.full_clean(exclude=["file", "candidacy", "uploaded_by"])
    document.file.save(f"{checked.kind.extension}", uploaded, save=False)
    document.save()
    _record(
        actor, "upload", document, candidacy, changes={"kind": [None, kind], "sha256": [None, checked.sha256]}
    )
    return document


@transaction.atomic
def grant_access(*, actor, candidacy: Candidacy, user, role: str) -> AccessGrant:
    """Let an advisor (granted by the candidate) or an employer contact read this candidacy."""
    from cqphub.orgs.models import Membership, Role

    role = GrantRole(role)
    needed = Role.ADVISOR if role == GrantRole.ADVISOR else Role.EMPLOYER_CONTACT
    if not Membership.objects.active().filter(user=user, role=needed).exists():
        raise ValidationError(
            _("%(user)s n'a pas de rôle « %(role)s ».") % {"user": user, "role": needed.label},
            code="grant_role",
        )
    grant = AccessGrant.objects.current().filter(candidacy=candidacy, user=user, role=role).first()
    if grant is not None:
        return grant
    grant = AccessGrant.objects.create(
        candidacy=candidacy,
        user=user,
        role=role,
        granted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _record(actor, "grant", grant, candidacy, changes={"user": [None, user.pk], "role": [None, role]})
    return grant


@transaction.atomic
def revoke_access(*, actor, grant: AccessGrant) -> AccessGrant:
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        _record(actor, "revoke", grant, grant.candidacy, changes={"user": [grant.user_id, None]})
    return grant


# ---------------------------------------------------------------------------------------------
# API tokens
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def create_api_token(*, actor, name: str, user, centre=None, branch=None):
    """A new key for `/api/v1/candidacies`, scoped to one organisation; returns (token, key). The key
    is shown once: only its SHA-256 is stored."""
    import secrets

    from cqphub.journeys.api import hash_key
    from cqphub.journeys.models import ApiToken
    from cqphub.orgs.models import BRANCH_STAFF_ROLES, Membership, Role

    if (centre is None) == (branch is None):
        raise ValidationError(_("Un jeton vaut pour une seule organisation : un centre ou une branche."))
    roles = (
        [Role.CENTRE_MANAGER, Role.TRAINER] if centre is not None else [str(r) for r in BRANCH_STAFF_ROLES]
    )
    scope = {"centre": centre} if centre is not None else {"branch": branch}
    if (
        not user.is_superuser
        and not Membership.objects.active().filter(user=user, role__in=roles, **scope).exists()
    ):
        raise ValidationError(
            _("%(user)s n'a pas de rôle dans cette organisation.") % {"user": user}, code="token_scope"
        )
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name, user=user, centre=centre, branch=branch, key_hash=hash_key(key), prefix=key[:8]
    )
    audit.record(actor, "create", token, branch=branch, centre=centre, changes={"user": [None, user.pk]})
    return token, key


@transaction.atomic
def revoke_api_token(*, actor, token):
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor, "revoke", token, branch=token.branch, centre=token.centre)
    return token
