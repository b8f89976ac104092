"""Read queries about organisations and people."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Q, QuerySet

from cqphub.orgs.models import (
    BRANCH_ROLES,
    BRANCH_STAFF_ROLES,
    CENTRE_ROLES,
    AuditEntry,
    Branch,
    Centre,
    Membership,
    Role,
)

# How centres are linked to branches. Apps that know (qualifications: habilitations) append a
# callable `branches QuerySet -> Q on Centre`, e.g.
#     CENTRE_LINKS.append(lambda branches: Q(habilitations__qualification__committee__branches__in=branches))
# While none is registered, a centre is linked to a branch when one of its staff also holds a role
# in that branch (e.g. an assessor who sits on the branch's jury).
CENTRE_LINKS: list[Callable[[QuerySet[Branch]], Q]] = []


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def memberships_of(user) -> QuerySet[Membership]:
    if not _active(user):
        return Membership.objects.none()
    return Membership.objects.active().filter(user=user).select_related("branch", "centre")


def branches_of(user, roles: Iterable[str] = BRANCH_ROLES) -> QuerySet[Branch]:
    """The branches in which `user` holds one of `roles` (all branches for a superuser)."""
    if not _active(user):
        return Branch.objects.none()
    if user.is_superuser:
        return Branch.objects.all()
    return Branch.objects.filter(
        memberships__user=user,
        memberships__active=True,
        memberships__role__in=[str(r) for r in roles],
    ).distinct()


def staff_branches_of(user) -> QuerySet[Branch]:
    """Branches whose back office `user` may change (administrator or certification officer)."""
    return branches_of(user, BRANCH_STAFF_ROLES)


def admin_branches_of(user) -> QuerySet[Branch]:
    return branches_of(user, (Role.BRANCH_ADMIN,))


def centres_of(user, roles: Iterable[str] = CENTRE_ROLES) -> QuerySet[Centre]:
    """The centres in which `user` holds one of `roles` (all centres for a superuser)."""
    if not _active(user):
        return Centre.objects.none()
    if user.is_superuser:
        return Centre.objects.all()
    return Centre.objects.filter(
        memberships__user=user,
        memberships__active=True,
        memberships__role__in=[str(r) for r in roles],
    ).distinct()


def centres_of_branches(branches: QuerySet[Branch]) -> QuerySet[Centre]:
    """Centres that work with any of `branches` (through the registered links)."""
    if CENTRE_LINKS:
        condition = Q(pk__in=[])
        for link in CENTRE_LINKS:
            condition |= link(branches)
    else:
        people = Membership.objects.active().filter(branch__in=branches).values("user")
        condition = Q(
            memberships__user__in=people,
            memberships__active=True,
            memberships__role__in=[str(r) for r in CENTRE_ROLES],
        )
    return Centre.objects.filter(condition).distinct()


def visible_centres(user) -> QuerySet[Centre]:
    """Centres `user` may see: their own, and those working with a branch they staff."""
    if not _active(user):
        return Centre.objects.none()
    if user.is_superuser:
        return Centre.objects.all()
    own = centres_of(user).values("pk")
    linked = centres_of_branches(staff_branches_of(user)).values("pk")
    return Centre.objects.filter(Q(pk__in=own) | Q(pk__in=linked))


def branch_members(branch: Branch) -> QuerySet[Membership]:
    return branch.memberships.select_related("user").order_by("role", "user__email")


def audit_entries_for_branch(branch: Branch) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(branch=branch).select_related("actor")


def audit_entries_for_admin(user) -> QuerySet[AuditEntry]:
    """Entries of every branch `user` administers."""
    return AuditEntry.objects.filter(branch__in=admin_branches_of(user)).select_related("actor", "branch")
