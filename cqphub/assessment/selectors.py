"""Read queries of the assessment app (the juries app reads results only through these)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from cqphub.assessment.models import AssessmentSession, AssessorAssignment, BlockResult, Grid
from cqphub.orgs.models import BRANCH_STAFF_ROLES, CENTRE_ROLES, Membership, Role
from cqphub.qualifications.models import Qualification


def current_outcomes(candidacy_ids: Iterable[int]) -> dict[tuple[int, int], str]:
    """{(candidacy id, block id): "passed" | "failed"} from the latest signed result of each block
    (a correction supersedes; a later session's result replaces an earlier one). One query."""
    ids = list(candidacy_ids)
    out: dict[tuple[int, int], str] = {}
    if not ids:
        return out
    rows = (
        BlockResult.objects.current()
        .filter(candidacy_id__in=ids)
        .order_by("signed_at", "pk")
        .values_list("candidacy_id", "block_id", "outcome")
    )
    for candidacy_id, block_id, outcome in rows.iterator(chunk_size=5000):
        out[(candidacy_id, block_id)] = outcome
    return out


def results_of(candidacy) -> QuerySet[BlockResult]:
    return (
        BlockResult.objects.current()
        .filter(candidacy=candidacy)
        .select_related("block", "grid__session__centre", "signed_by")
        .order_by("block__code", "signed_at")
    )


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def visible_sessions(user) -> QuerySet[AssessmentSession]:
    """Sessions of the user's centres (managers see all of them; assessors those they assess in),
    and every session of the CQPs of the branches they are staff of."""
    if not _active(user):
        return AssessmentSession.objects.none()
    if user.is_superuser:
        return AssessmentSession.objects.all()
    memberships = Membership.objects.active().filter(user=user)
    managed = list(
        memberships.filter(role__in=[str(r) for r in CENTRE_ROLES if r != Role.ASSESSOR]).values_list(
            "centre_id", flat=True
        )
    )
    branch_ids = list(
        memberships.filter(role__in=[str(r) for r in BRANCH_STAFF_ROLES]).values_list("branch_id", flat=True)
    )
    q = Q(pk__in=AssessorAssignment.objects.filter(assessor=user).values("session_id"))
    if managed:
        q |= Q(centre_id__in=managed)
    if branch_ids:
        q |= Q(
            qualification_id__in=list(
                Qualification.objects.filter(committee__branches__in=branch_ids).values_list("pk", flat=True)
            )
        )
    return AssessmentSession.objects.filter(q).distinct()


def grids_to_score(user) -> QuerySet[Grid]:
    """The grids an assessor scores: their blocks in their sessions."""
    if not _active(user):
        return Grid.objects.none()
    assigned = AssessorAssignment.objects.filter(assessor=user).values_list("session_id", "block__code")
    q = Q(pk__in=[])
    for session_id, code in assigned:
        q |= Q(session_id=session_id, block__code=code)
    return Grid.objects.filter(q).select_related("candidacy__candidate", "block", "session")
