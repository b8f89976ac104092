"""Object permissions of the qualifications app (django-rules, autodiscovered).

- A qualification is seen by the members of its owning branches (`Qualification.owning_branches()`:
  the branches of its committee) and by the staff of a centre holding a habilitation in force for it
  (they train and assess against its frameworks; a suspended or expired one no longer opens it); it is changed by the staff of its branches only.
- A habilitation is seen by its centre's staff and its qualification's branch members; it is changed
  by the staff of the qualification's branches.
- `qualifications.add_qualification` (no object): the user staffs at least one branch.
"""

from __future__ import annotations

import rules
from django.utils import timezone

from cqphub.orgs.models import CENTRE_ROLES, Membership
from cqphub.orgs.rules import (
    can_change_habilitation,
    can_view_habilitation,
    is_branch_member,
    is_branch_staff,
)
from cqphub.orgs.selectors import staff_branches_of


def _qualification_of(obj):
    return getattr(obj, "qualification", obj)


@rules.predicate
def is_habilitated_centre_staff(user, obj) -> bool:
    qualification = _qualification_of(obj)
    if qualification is None or not getattr(user, "is_authenticated", False):
        return False
    centres = Membership.objects.active().filter(user=user, role__in=[str(r) for r in CENTRE_ROLES])
    habilitations = qualification.habilitations.filter(centre__in=centres.values("centre"))
    return habilitations.valid_on(timezone.localdate()).exists()


@rules.predicate
def is_qualification_branch_member(user, obj) -> bool:
    return is_branch_member(user, _qualification_of(obj))


@rules.predicate
def is_qualification_branch_staff(user, obj) -> bool:
    return is_branch_staff(user, _qualification_of(obj))


@rules.predicate
def staffs_a_branch(user) -> bool:
    return staff_branches_of(user).exists()


can_view_qualification = is_qualification_branch_member | is_habilitated_centre_staff

rules.add_perm("qualifications.add_qualification", staffs_a_branch)
rules.add_perm("qualifications.view_qualification", can_view_qualification)
rules.add_perm("qualifications.change_qualification", is_qualification_branch_staff)
rules.add_perm("qualifications.view_lifecycle", is_qualification_branch_member)
rules.add_perm("qualifications.manage_habilitations", is_qualification_branch_staff)
rules.add_perm("qualifications.view_habilitations", is_qualification_branch_member)
rules.add_perm("qualifications.view_habilitation", can_view_habilitation)
rules.add_perm("qualifications.change_habilitation", can_change_habilitation)
