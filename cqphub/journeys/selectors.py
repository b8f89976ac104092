"""Read queries of the journeys app.

`blocks_already_held(candidate)` is the one answer to "which blocks does this person hold already"
(positioning, proposals and the assessment app all read it). Journeys knows only the validations a
centre recorded at positioning (an attestation from before the platform); apps further down the
award chain add theirs by registering a provider, since they may import journeys but not the
reverse:

    # cqphub/juries/apps.py, in ready():
    from cqphub.journeys.selectors import register_held_blocks_provider
    register_held_blocks_provider(awarded_blocks)   # candidate -> iterable of HeldBlock
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from cqphub.journeys.enums import ExemptionRule, GrantRole, PositioningOutcome, Target
from cqphub.journeys.models import AccessGrant, Candidacy, Candidate, Positioning
from cqphub.orgs.models import BRANCH_STAFF_ROLES, CENTRE_ROLES, Membership, Role
from cqphub.qualifications.models import Qualification, SkillBlock


@dataclass(frozen=True)
class HeldBlock:
    """A block the candidate holds: which block, since when, and where it comes from."""

    block: SkillBlock
    on: date | None
    source: str  # "positioning" (attestation recorded by a centre), "jury" (award), …
    candidacy_id: int | None = None
    note: str = ""


HeldBlocksProvider = Callable[[Candidate], Iterable[HeldBlock]]
_PROVIDERS: list[HeldBlocksProvider] = []


def register_held_blocks_provider(provider: HeldBlocksProvider) -> None:
    """Add a source of validated blocks (idempotent: registering twice keeps one)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def unregister_held_blocks_provider(provider: HeldBlocksProvider) -> None:
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


def _positioning_provider(
    candidate: Candidate, rows: Iterable[Positioning] | None = None
) -> Iterable[HeldBlock]:
    """The blocks a centre recorded as validated earlier, on any of the candidate's candidacies
    (`rows`: those positionings read already, with their block, in recorded order)."""
    if rows is None:
        rows = (
            Positioning.objects.filter(
                candidacy__candidate=candidate,
                outcome=PositioningOutcome.EXEMPT,
                exemption_rule=ExemptionRule.EARLIER_VALIDATION,
            )
            .select_related("block")
            .order_by("recorded_at", "pk")
        )
    for row in rows:
        if (
            row.outcome == PositioningOutcome.EXEMPT
            and row.exemption_rule == ExemptionRule.EARLIER_VALIDATION
        ):
            yield HeldBlock(row.block, row.recorded_at.date(), "positioning", row.candidacy_id, row.evidence)


def blocks_already_held(
    candidate: Candidate, positionings: Iterable[Positioning] | None = None
) -> list[HeldBlock]:
    """Every block the candidate holds, one entry per block (the earliest), from every provider.

    A block validated once counts for every qualification that references the same `SkillBlock`
    (CQPI shared blocks, DESIGN.md §8). `positionings`: every positioning of the candidate, when the
    caller has read them already (with their block, by recorded date)."""
    held: dict[int, HeldBlock] = {}
    for item in _positioning_provider(candidate, positionings):
        _keep_earliest(held, item)
    for provider in _PROVIDERS:
        for item in provider(candidate):
            _keep_earliest(held, item)
    return sorted(held.values(), key=lambda h: (h.block.code, h.block.pk))


def _keep_earliest(held: dict[int, HeldBlock], item: HeldBlock) -> None:
    current = held.get(item.block.pk)
    if current is None or (item.on and current.on and item.on < current.on):
        held[item.block.pk] = item


def target_blocks(candidacy: Candidacy) -> list[SkillBlock]:
    """The blocks the candidacy aims at: all of the version's blocks, or the chosen ones (in order)."""
    blocks = candidacy.version.ordered_blocks()
    if candidacy.target == Target.BLOCKS:
        chosen = set(candidacy.target_blocks.values_list("pk", flat=True))
        blocks = [b for b in blocks if b.pk in chosen]
    return blocks


@dataclass
class BlockPlan:
    block: SkillBlock
    positioning: Positioning | None
    held: HeldBlock | None

    @property
    def to_assess(self) -> bool:
        """Blocks held or exempt are never re-assessed."""
        if self.held is not None:
            return False
        return not (self.positioning and self.positioning.outcome == PositioningOutcome.EXEMPT)

    @property
    def to_train(self) -> bool:
        return self.to_assess and not (
            self.positioning and self.positioning.outcome == PositioningOutcome.ACQUIRED
        )


def block_plan(candidacy: Candidacy) -> list[BlockPlan]:
    """Per target block: its positioning, whether it is already held, whether it remains to assess."""
    # the candidate's positionings in one query: this candidacy's, and the earlier validations
    # recorded on any of theirs
    rows = list(
        Positioning.objects.filter(candidacy__candidate_id=candidacy.candidate_id)
        .select_related("block")
        .order_by("recorded_at", "pk")
    )
    positions = {p.block_id: p for p in rows if p.candidacy_id == candidacy.pk}
    held = {h.block.pk: h for h in blocks_already_held(candidacy.candidate, rows)}
    return [BlockPlan(b, positions.get(b.pk), held.get(b.pk)) for b in target_blocks(candidacy)]


def blocks_to_assess(candidacy: Candidacy) -> list[SkillBlock]:
    """What remains: the target blocks neither held nor exempt (the assessment app builds grids for these)."""
    return [plan.block for plan in block_plan(candidacy) if plan.to_assess]


# ---------------------------------------------------------------------------------------------
# Duplicates
# ---------------------------------------------------------------------------------------------


def possible_duplicates(
    *,
    birth_name: str,
    first_names: str,
    birth_year: int,
    birth_month: int | None = None,
    birth_day: int | None = None,
    exclude_pk: int | None = None,
) -> QuerySet[Candidate]:
    """Records with the same birth name, first first-name (accents and case ignored) and date of
    birth; an unknown month or day matches any."""
    from cqphub.journeys.models import identity_key

    qs = Candidate.objects.active().filter(
        identity_key=identity_key(birth_name, first_names), birth_year=birth_year
    )
    if birth_month:
        qs = qs.filter(Q(birth_month__isnull=True) | Q(birth_month=birth_month))
        if birth_day:
            qs = qs.filter(Q(birth_day__isnull=True) | Q(birth_day=birth_day))
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("pk")


def mergeable_duplicates(user, candidate: Candidate) -> list[Candidate]:
    """The other records that look like the same person and that `user` may merge into `candidate`."""
    found = possible_duplicates(
        birth_name=candidate.birth_name,
        first_names=candidate.first_names,
        birth_year=candidate.birth_year,
        birth_month=candidate.birth_month,
        birth_day=candidate.birth_day,
        exclude_pk=candidate.pk,
    ).select_related("created_by_centre")
    return [other for other in found if user.has_perm("journeys.merge_candidates", other)]


# ---------------------------------------------------------------------------------------------
# Who sees what (the list counterpart of the object permissions in rules.py)
# ---------------------------------------------------------------------------------------------


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


@dataclass(frozen=True)
class Scope:
    """A user's organisations, as the journeys lists need them, read in one query."""

    centre_ids: tuple[int, ...]  # centres where the user is manager, trainer or assessor
    writer_centre_ids: tuple[int, ...]  # … manager or trainer (may enrol)
    branch_ids: tuple[int, ...]  # branches where the user is administrator or certification officer


def scope_of(user) -> Scope:
    centre_roles = {str(r) for r in CENTRE_ROLES}
    branch_roles = {str(r) for r in BRANCH_STAFF_ROLES}
    writers = {str(Role.CENTRE_MANAGER), str(Role.TRAINER)}
    centres, writer_centres, branches = set(), set(), set()
    for role, centre_id, branch_id in (
        Membership.objects.active().filter(user=user).values_list("role", "centre_id", "branch_id")
    ):
        if centre_id is not None and role in centre_roles:
            centres.add(centre_id)
            if role in writers:
                writer_centres.add(centre_id)
        if branch_id is not None and role in branch_roles:
            branches.add(branch_id)
    return Scope(tuple(sorted(centres)), tuple(sorted(writer_centres)), tuple(sorted(branches)))


def visibility_filter(user, scope: Scope | None = None) -> Q | None:
    """A Q on Candidacy selecting what `user` may read; None for a superuser (everything)."""
    if user.is_superuser:
        return None
    scope = scope or scope_of(user)
    # the user's own files by candidate id (0 or 1 row), not a join on every candidacy's candidate:
    # an OR across a join keeps the lists below from using their indexes
    own = list(Candidate.objects.filter(user=user).values_list("pk", flat=True))
    q = Q(candidate_id__in=own) if own else Q(pk__in=[])
    if scope.centre_ids:
        q |= Q(centre_id__in=scope.centre_ids)
    if scope.branch_ids:
        qualification_ids = Qualification.objects.filter(
            committee__branches__in=scope.branch_ids
        ).values_list("pk", flat=True)
        q |= Q(qualification_id__in=sorted(set(qualification_ids)))
    granted = list(AccessGrant.objects.current().filter(user=user).values_list("candidacy_id", flat=True))
    if granted:
        q |= Q(pk__in=granted)
    return q


def visible_candidacies(user, scope: Scope | None = None) -> QuerySet[Candidacy]:
    if not _active(user):
        return Candidacy.objects.none()
    q = visibility_filter(user, scope)
    return Candidacy.objects.all() if q is None else Candidacy.objects.filter(q)


def visible_candidates(user) -> QuerySet[Candidate]:
    """Candidates behind the visible candidacies, and those a centre entered itself."""
    if not _active(user):
        return Candidate.objects.none()
    if user.is_superuser:
        return Candidate.objects.all()
    centre_ids = (
        Membership.objects.active()
        .filter(user=user, role__in=[str(r) for r in CENTRE_ROLES])
        .values_list("centre_id", flat=True)
    )
    return Candidate.objects.filter(
        Q(pk__in=visible_candidacies(user).values("candidate_id"))
        | Q(created_by_centre_id__in=list(centre_ids))
        | Q(user=user)
    )


def filter_choices(user, scope: Scope | None = None):
    """(qualifications, centres) offered by the list's filters, from the user's roles rather than from
    a scan of every visible candidacy."""
    from cqphub.orgs.models import Centre

    if user.is_superuser:
        return Qualification.objects.all(), Centre.objects.all()
    scope = scope or scope_of(user)
    branch_ids, centre_ids = list(scope.branch_ids), list(scope.centre_ids)
    qualifications = Qualification.objects.filter(
        Q(committee__branches__in=branch_ids) | Q(habilitations__centre__in=centre_ids)
    )
    centres = Centre.objects.filter(Q(pk__in=centre_ids) | Q(habilitations__qualification__in=qualifications))
    own = Candidacy.objects.filter(
        Q(candidate__user=user) | Q(grants__user=user, grants__revoked_at__isnull=True)
    )
    if not branch_ids and not centre_ids:
        qualifications = Qualification.objects.filter(pk__in=own.values("qualification_id"))
        centres = Centre.objects.filter(pk__in=own.values("centre_id"))
    return (
        Qualification.objects.filter(pk__in=qualifications.values("pk")).order_by("title"),
        Centre.objects.filter(pk__in=centres.values("pk")).order_by("name"),
    )


def grants_of(candidacy: Candidacy, role: str | None = None) -> QuerySet[AccessGrant]:
    qs = candidacy.grants.current().select_related("user")
    return qs.filter(role=role) if role else qs


__all__ = [
    "GrantRole",
    "HeldBlock",
    "block_plan",
    "blocks_already_held",
    "blocks_to_assess",
    "mergeable_duplicates",
    "possible_duplicates",
    "register_held_blocks_provider",
    "target_blocks",
    "visible_candidacies",
    "visible_candidates",
]
