"""Read queries of the juries app.

Awards (the hinge of the award chain): credentials and reporting read awards **only** through the
functions of the first section, never decisions or grids:

- `award(pk)`, `awards_for_candidate(candidate)`, `awards_for_candidacy(candidacy)`,
  `awards_decided_between(start, end, qualification=None)`, `awards_of_session(session)`:
  querysets of `Award` with candidate, version, qualification and session loaded;
  ``include_revoked=True`` adds the revoked ones (they stay, with `revoked_at`);
- `award_blocks(award)`: the blocks it lists, in the version's order, with `earlier` (validated
  before this session);
- `award_history(award)`: the chain of awards that replaced one another, oldest first;
- `awarded_blocks(candidate)`: the blocks a person holds from juries (registered as a provider of
  `journeys.selectors.blocks_already_held`);
- `session_president(session)`, `presides_a_jury(user)`: who signs a session's parchments.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from cqphub.juries.models import Award, AwardBlock, Decision, JuryCandidate, JuryMember, JurySession
from cqphub.orgs.models import BRANCH_STAFF_ROLES, Membership
from cqphub.qualifications.models import Qualification

# ---------------------------------------------------------------------------------------------
# Awards (for credentials and reporting)
# ---------------------------------------------------------------------------------------------


def _awards(include_revoked: bool = False) -> QuerySet[Award]:
    qs = Award.objects.select_related(
        "candidate", "candidacy", "version", "qualification", "jury_session"
    ).prefetch_related(Prefetch("award_blocks", queryset=AwardBlock.objects.select_related("block")))
    return qs if include_revoked else qs.filter(revoked_at__isnull=True)


def award(pk: int) -> Award:
    return _awards(include_revoked=True).get(pk=pk)


def awards_for_candidate(candidate, *, include_revoked: bool = False) -> QuerySet[Award]:
    return _awards(include_revoked).filter(candidate=candidate).order_by("decision_date", "pk")


def awards_for_candidacy(candidacy, *, include_revoked: bool = False) -> QuerySet[Award]:
    return _awards(include_revoked).filter(candidacy=candidacy).order_by("decision_date", "pk")


def awards_decided_between(
    start: date, end: date, *, qualification: Qualification | None = None, include_revoked: bool = False
) -> QuerySet[Award]:
    """Awards decided from `start` to `end` inclusive (the holder report's period)."""
    qs = _awards(include_revoked).filter(decision_date__gte=start, decision_date__lte=end)
    if qualification is not None:
        qs = qs.filter(qualification=qualification)
    return qs.order_by("decision_date", "pk")


def awards_revoked_between(start, end) -> QuerySet[Award]:
    """Awards revoked in a period (a holder report must correct what it sent)."""
    return _awards(include_revoked=True).filter(revoked_at__date__gte=start, revoked_at__date__lte=end)


def awards_of_session(session: JurySession, *, include_revoked: bool = False) -> QuerySet[Award]:
    return _awards(include_revoked).filter(jury_session=session).order_by("pk")


def award_blocks(award: Award) -> list[AwardBlock]:
    return list(award.award_blocks.select_related("block").order_by("order", "pk"))


def session_president(session: JurySession):
    """The session's presiding member (name, and the account it is linked to), or None."""
    return session.members.filter(president=True).order_by("pk").first()


def presides_a_jury(user) -> bool:
    """Whether this account is the president of at least one jury session (past or planned)."""
    return bool(user.is_authenticated) and JuryMember.objects.filter(user=user, president=True).exists()


def award_history(award: Award) -> list[Award]:
    """The award and the ones it replaced or that replaced it, oldest first."""
    chain = [award]
    current = award
    while current.revokes_id:
        current = Award.objects.get(pk=current.revokes_id)
        chain.insert(0, current)
    current = award
    while True:
        nxt = Award.objects.filter(revokes=current).first()
        if nxt is None:
            break
        chain.append(nxt)
        current = nxt
    return chain


def awarded_blocks(candidate):
    """Blocks the person holds from current awards (any candidacy, any qualification)."""
    from cqphub.journeys.selectors import HeldBlock

    rows = (
        AwardBlock.objects.filter(award__candidate=candidate, award__revoked_at__isnull=True)
        .select_related("block", "award")
        .order_by("award__decision_date", "pk")
    )
    for row in rows:
        yield HeldBlock(
            row.block,
            row.award.decision_date,
            "jury",
            row.award.candidacy_id,
            f"{row.award.jury_session}",
        )


def held_blocks_by_candidate(candidate_ids) -> dict[int, set[int]]:
    """{candidate id: ids of the blocks they hold}, for a whole session in two queries.

    The bulk form of `journeys.selectors.blocks_already_held` (which asks each provider per person:
    two queries a candidate, 10,000 for a national session): the same two sources — a positioning
    exemption for an earlier validation (journeys) and the blocks of current awards (juries).
    `tests/juries/test_services.py` holds it equal to the per-person selector."""
    from cqphub.journeys.enums import ExemptionRule, PositioningOutcome
    from cqphub.journeys.models import Positioning

    ids = list(candidate_ids)
    held: dict[int, set[int]] = {}
    positioned = Positioning.objects.filter(
        candidacy__candidate_id__in=ids,
        outcome=PositioningOutcome.EXEMPT,
        exemption_rule=ExemptionRule.EARLIER_VALIDATION,
    ).values_list("candidacy__candidate_id", "block_id")
    awarded = AwardBlock.objects.filter(
        award__candidate_id__in=ids, award__revoked_at__isnull=True
    ).values_list("award__candidate_id", "block_id")
    for rows in (positioned, awarded):
        for candidate_id, block_id in rows.iterator(chunk_size=5000):
            held.setdefault(candidate_id, set()).add(block_id)
    return held


# ---------------------------------------------------------------------------------------------
# Sessions and decisions
# ---------------------------------------------------------------------------------------------


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def staff_qualification_ids(user) -> list[int]:
    branch_ids = list(
        Membership.objects.active()
        .filter(user=user, role__in=[str(r) for r in BRANCH_STAFF_ROLES])
        .values_list("branch_id", flat=True)
    )
    if not branch_ids:
        return []
    return list(
        Qualification.objects.filter(committee__branches__in=branch_ids)
        .values_list("pk", flat=True)
        .distinct()
    )


def visible_sessions(user) -> QuerySet[JurySession]:
    """Branch staff: every session of their CQPs; a jury member: the sessions they sit on."""
    if not _active(user):
        return JurySession.objects.none()
    if user.is_superuser:
        return JurySession.objects.all()
    q = Q(members__user=user)
    qualification_ids = staff_qualification_ids(user)
    if qualification_ids:
        q |= Q(qualification_id__in=qualification_ids)
    return JurySession.objects.filter(q).distinct()


def current_decisions(session: JurySession) -> QuerySet[Decision]:
    return session.decisions.current().select_related("block", "candidacy__candidate")


def decision_history(candidacy) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(candidacy=candidacy)
        .select_related("block", "session", "revokes", "author")
        .order_by("at", "pk")
    )


def notified_entries(candidate) -> QuerySet[JuryCandidate]:
    """What a candidate sees: their results once notified."""
    return (
        JuryCandidate.objects.filter(candidacy__candidate=candidate, notified_at__isnull=False)
        .select_related("session", "candidacy__qualification")
        .order_by("-session__on")
    )


def pending_notifications(today: date) -> QuerySet[JuryCandidate]:
    """Results of closed sessions not yet notified, soonest deadline first (R. 6412-7: 15 days for VAE)."""
    return (
        JuryCandidate.objects.filter(session__status="closed", notified_at__isnull=True)
        .exclude(overall="")
        .select_related("session", "candidacy__candidate")
        .order_by("notify_by", "pk")
    )
