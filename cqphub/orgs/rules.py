"""Object-level permissions (django-rules), autodiscovered at start-up.

Predicates take `(user, obj)`. Branch-side objects are resolved to their branches by
`branches_for(obj)`: a `Branch` itself; anything with `owning_branches()` (a qualification: the
branches of its committee); a `.branches` manager; a `.branch`; or a `.committee`.
Centre-side objects by `centre_for(obj)`: a `Centre` or anything with `.centre`.

Roles: branch administrators and certification officers are the branch's staff (view + change);
jury members view; centre managers, trainers and assessors see their own centre only.
Superusers pass every check (Django's `has_perm` short-circuits for them).
"""

from __future__ import annotations

import rules

from cqphub.orgs.models import (
    BRANCH_ROLES,
    BRANCH_STAFF_ROLES,
    CENTRE_ROLES,
    Branch,
    Centre,
    Membership,
    Role,
)
from cqphub.orgs.selectors import visible_centres


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def branches_for(obj) -> list[Branch]:
    """The branches that own `obj` (duck-typed), [] when none can be found."""
    if obj is None:
        return []
    if isinstance(obj, Branch):
        return [obj]
    owning = getattr(obj, "owning_branches", None)
    if callable(owning):
        return list(owning())
    branches = getattr(obj, "branches", None)
    if branches is not None and hasattr(branches, "all"):
        return list(branches.all())
    branch = getattr(obj, "branch", None)
    if isinstance(branch, Branch):
        return [branch]
    committee = getattr(obj, "committee", None)
    if committee is not None and hasattr(committee, "branches"):
        return list(committee.branches.all())
    return []


def centre_for(obj) -> Centre | None:
    if isinstance(obj, Centre):
        return obj
    centre = getattr(obj, "centre", None)
    return centre if isinstance(centre, Centre) else None


def _has_branch_role(user, branches: list[Branch], roles) -> bool:
    if not _active(user) or not branches:
        return False
    return (
        Membership.objects.active()
        .filter(user=user, role__in=[str(r) for r in roles], branch__in=[b.pk for b in branches])
        .exists()
    )


def _has_centre_role(user, centre: Centre | None, roles) -> bool:
    if not _active(user) or centre is None:
        return False
    return (
        Membership.objects.active()
        .filter(user=user, role__in=[str(r) for r in roles], centre_id=centre.pk)
        .exists()
    )


# --- predicates on a branch (or any branch-owned object) ------------------------------------


@rules.predicate
def is_branch_member(user, obj) -> bool:
    """Any branch role (administrator, certification officer, jury member) in a branch of obj."""
    return _has_branch_role(user, branches_for(obj), BRANCH_ROLES)


@rules.predicate
def is_branch_staff(user, obj) -> bool:
    """Administrator or certification officer of a branch of obj."""
    return _has_branch_role(user, branches_for(obj), BRANCH_STAFF_ROLES)


@rules.predicate
def is_branch_admin(user, obj) -> bool:
    return _has_branch_role(user, branches_for(obj), (Role.BRANCH_ADMIN,))


# --- predicates on a centre (or any centre-owned object) ------------------------------------


@rules.predicate
def is_centre_staff(user, obj) -> bool:
    """Centre manager, trainer or assessor of obj's centre."""
    return _has_centre_role(user, centre_for(obj), CENTRE_ROLES)


@rules.predicate
def is_centre_manager(user, obj) -> bool:
    return _has_centre_role(user, centre_for(obj), (Role.CENTRE_MANAGER,))


@rules.predicate
def is_linked_branch_staff(user, obj) -> bool:
    """Staff of a branch that works with obj's centre."""
    centre = centre_for(obj)
    if centre is None or not _active(user):
        return False
    return visible_centres(user).filter(pk=centre.pk).exists()


# --- generic helpers the other apps reuse ---------------------------------------------------

can_view_branch_object = is_branch_member
can_change_branch_object = is_branch_staff
can_admin_branch_object = is_branch_admin
can_view_centre_object = is_centre_staff | is_linked_branch_staff
can_change_centre_object = is_centre_manager


@rules.predicate
def can_view_habilitation(user, habilitation) -> bool:
    """A habilitation (duck-typed: `.centre` and branches via `owning_branches()` or its
    `.qualification`) is seen by its centre's staff and by the staff of its branches."""
    if is_centre_staff(user, habilitation):
        return True
    owner = (
        habilitation
        if hasattr(habilitation, "owning_branches")
        else getattr(habilitation, "qualification", None)
    )
    return is_branch_member(user, owner)


@rules.predicate
def can_change_habilitation(user, habilitation) -> bool:
    owner = (
        habilitation
        if hasattr(habilitation, "owning_branches")
        else getattr(habilitation, "qualification", None)
    )
    return is_branch_staff(user, owner)


# --- permissions ----------------------------------------------------------------------------

rules.add_perm("orgs.view_branch", is_branch_member)
rules.add_perm("orgs.change_branch", is_branch_admin)
rules.add_perm("orgs.manage_members", is_branch_admin)
rules.add_perm("orgs.view_members", is_branch_staff)
rules.add_perm("orgs.view_audit", is_branch_admin)
rules.add_perm("orgs.view_centre", can_view_centre_object)
rules.add_perm("orgs.change_centre", is_centre_manager)
rules.add_perm("orgs.view_committee", is_branch_member)
rules.add_perm("orgs.view_certifierentity", is_branch_member)
rules.add_perm("orgs.view_branch_centres", is_branch_staff)
