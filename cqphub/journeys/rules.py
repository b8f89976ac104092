"""Object permissions on candidates, candidacies and their documents (django-rules).

- the candidate: their own files (the candidacy's candidate is linked to their account);
- the centre that holds a candidacy (manager, trainer, assessor): read; manager and trainer: change;
- the certification staff of a branch owning the CQP (administrator, certification officer): read,
  change, admissibility decisions;
- an employer contact or an advisor: read, when given access on that candidacy (`AccessGrant`:
  the candidate grants an advisor; the centre records the employer's contact);
- everyone else: nothing (views answer 404).
Lists use `selectors.visible_candidacies`, which selects the same set.
"""

from __future__ import annotations

import rules

from cqphub.journeys.enums import DocumentKind, GrantRole
from cqphub.orgs.models import BRANCH_STAFF_ROLES, CENTRE_ROLES, Membership, Role
from cqphub.orgs.rules import is_branch_staff, is_centre_staff


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _candidacy(obj):
    return getattr(obj, "candidacy", obj)


def _memo(candidacy, user, name: str, compute) -> bool:
    """A role check remembered on the candidacy instance, for this user, centre and CQP: a page asks
    `has_perm` a dozen times about one candidacy (view, change, position, upload, each document,
    the workflow's capacities) and each answer needs the same membership queries. The instance lives
    for one request; a changed centre or CQP is a different key."""
    memo = candidacy.__dict__.setdefault("_role_memo", {})
    key = (name, user.pk, candidacy.centre_id, candidacy.qualification_id)
    if key not in memo:
        memo[key] = bool(compute())
    return memo[key]


def _centre_roles(user, candidacy) -> set[str]:
    """The user's active roles in the centre holding the candidacy, read once per request (staff and
    writer checks both need them)."""
    memo = candidacy.__dict__.setdefault("_role_memo", {})
    key = ("centre_roles", user.pk, candidacy.centre_id)
    if key not in memo:
        memo[key] = set(
            Membership.objects.active()
            .filter(user=user, centre_id=candidacy.centre_id)
            .values_list("role", flat=True)
        )
    return memo[key]


@rules.predicate
def is_own_candidacy(user, obj) -> bool:
    candidacy = _candidacy(obj)
    return _active(user) and candidacy is not None and candidacy.candidate.user_id == user.pk


@rules.predicate
def is_holding_centre_staff(user, obj) -> bool:
    candidacy = _candidacy(obj)
    if candidacy is None or candidacy.centre_id is None or not _active(user):
        return False
    return bool(_centre_roles(user, candidacy) & {str(r) for r in CENTRE_ROLES})


@rules.predicate
def is_holding_centre_writer(user, obj) -> bool:
    candidacy = _candidacy(obj)
    if candidacy is None or candidacy.centre_id is None or not _active(user):
        return False
    return bool(_centre_roles(user, candidacy) & {str(Role.CENTRE_MANAGER), str(Role.TRAINER)})


@rules.predicate
def is_candidacy_branch_staff(user, obj) -> bool:
    candidacy = _candidacy(obj)
    if candidacy is None or not _active(user):
        return False
    # one query through the CQP's committee, rather than the owning branches then the memberships
    return _memo(
        candidacy,
        user,
        "branch_staff",
        lambda: (
            Membership.objects.active()
            .filter(
                user=user,
                role__in=[str(r) for r in BRANCH_STAFF_ROLES],
                branch__committees__qualifications=candidacy.qualification_id,
            )
            .exists()
        ),
    )


def _granted(user, candidacy, role: str) -> bool:
    if not _active(user) or candidacy is None:
        return False
    return candidacy.grants.current().filter(user=user, role=role).exists()


@rules.predicate
def is_granted_advisor(user, obj) -> bool:
    return _granted(user, _candidacy(obj), GrantRole.ADVISOR)


@rules.predicate
def is_granted_employer(user, obj) -> bool:
    return _granted(user, _candidacy(obj), GrantRole.EMPLOYER)


@rules.predicate
def document_for_employer(user, document) -> bool:
    """An employer contact reads only the contracts, never identity or experience evidence."""
    return getattr(document, "kind", None) == DocumentKind.CONTRACT and is_granted_employer(user, document)


@rules.predicate
def is_candidate_self(user, candidate) -> bool:
    return _active(user) and candidate.user_id == user.pk


@rules.predicate
def entered_by_my_centre(user, candidate) -> bool:
    return candidate.created_by_centre_id is not None and is_centre_staff(user, candidate.created_by_centre)


@rules.predicate
def sees_a_candidacy_of(user, candidate) -> bool:
    if not _active(user):
        return False
    from cqphub.journeys.selectors import visible_candidacies

    return visible_candidacies(user).filter(candidate=candidate).exists()


@rules.predicate
def changes_a_candidacy_of(user, candidate) -> bool:
    if not _active(user):
        return False
    return any(
        is_holding_centre_writer(user, c) or is_candidacy_branch_staff(user, c)
        for c in candidate.candidacies.select_related("qualification", "centre")
    )


def can_create_candidacy(user, centre, qualification, branch=None) -> bool:
    """May `user` enrol someone on `qualification` for `centre` (a manager or trainer of it), or as the
    staff of a branch owning it? (The habilitation on the date is the service's check.)"""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if centre is not None:
        return (
            Membership.objects.active()
            .filter(user=user, centre=centre, role__in=[Role.CENTRE_MANAGER, Role.TRAINER])
            .exists()
        )
    owners = list(qualification.owning_branches())
    if branch is not None:
        owners = [b for b in owners if b.pk == branch.pk]
    return (
        is_branch_staff(user, owners[0])
        if len(owners) == 1
        else any(is_branch_staff(user, b) for b in owners)
    )


can_view_candidacy = (
    is_own_candidacy
    | is_holding_centre_staff
    | is_candidacy_branch_staff
    | is_granted_advisor
    | is_granted_employer
)
can_change_candidacy = is_holding_centre_writer | is_candidacy_branch_staff
can_act_on_candidacy = is_own_candidacy | is_holding_centre_writer | is_candidacy_branch_staff
can_view_document = (
    is_own_candidacy | is_holding_centre_staff | is_candidacy_branch_staff | is_granted_advisor
)
can_view_document = can_view_document | document_for_employer

rules.add_perm("journeys.view_candidacy", can_view_candidacy)
rules.add_perm("journeys.change_candidacy", can_change_candidacy)
rules.add_perm("journeys.transition_candidacy", can_act_on_candidacy)
rules.add_perm("journeys.decide_admissibility", is_candidacy_branch_staff)
rules.add_perm("journeys.position_candidacy", is_holding_centre_writer | is_candidacy_branch_staff)
rules.add_perm("journeys.upload_document", can_act_on_candidacy)
rules.add_perm("journeys.view_document", can_view_document)
rules.add_perm("journeys.grant_advisor", is_own_candidacy | is_holding_centre_writer)
rules.add_perm("journeys.grant_employer", is_holding_centre_writer | is_candidacy_branch_staff)
rules.add_perm("journeys.view_candidate", is_candidate_self | entered_by_my_centre | sees_a_candidacy_of)
rules.add_perm("journeys.change_candidate", entered_by_my_centre | changes_a_candidacy_of)
rules.add_perm("journeys.merge_candidates", entered_by_my_centre | changes_a_candidacy_of)
