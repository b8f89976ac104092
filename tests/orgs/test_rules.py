from types import SimpleNamespace

import pytest
from django.db.models import Q
from django.http import Http404

from cqphub.orgs import rules as orgs_rules
from cqphub.orgs import selectors
from cqphub.orgs.models import Branch, Role
from cqphub.orgs.permissions import get_object_for_user_or_404
from tests.factories.orgs import (
    BranchFactory,
    CentreFactory,
    CommitteeFactory,
    MembershipFactory,
    UserFactory,
)


@pytest.mark.django_db
class TestBranchPredicates:
    def test_roles(self):
        branch = BranchFactory()
        admin = MembershipFactory(branch=branch, role=Role.BRANCH_ADMIN).user
        officer = MembershipFactory(branch=branch, role=Role.CERTIFICATION_OFFICER).user
        jury = MembershipFactory(branch=branch, role=Role.JURY_MEMBER).user
        outsider = MembershipFactory(role=Role.BRANCH_ADMIN).user  # of another branch
        advisor = MembershipFactory(branch=branch, outside=True).user
        for user, member, staff, admin_ in [
            (admin, True, True, True),
            (officer, True, True, False),
            (jury, True, False, False),
            (outsider, False, False, False),
            (advisor, False, False, False),
        ]:
            assert orgs_rules.is_branch_member(user, branch) is member
            assert orgs_rules.is_branch_staff(user, branch) is staff
            assert orgs_rules.is_branch_admin(user, branch) is admin_
            assert user.has_perm("orgs.view_audit", branch) is admin_
            assert user.has_perm("orgs.view_branch", branch) is member

    def test_inactive_membership_or_user_counts_for_nothing(self):
        membership = MembershipFactory(active=False)
        assert not orgs_rules.is_branch_member(membership.user, membership.branch)
        membership = MembershipFactory()
        membership.user.is_active = False
        membership.user.save()
        assert not orgs_rules.is_branch_member(membership.user, membership.branch)

    def test_anonymous_and_none(self):
        from django.contrib.auth.models import AnonymousUser

        branch = BranchFactory()
        assert not orgs_rules.is_branch_member(AnonymousUser(), branch)
        assert not orgs_rules.is_branch_member(UserFactory(), None)

    def test_superuser_sees_everything(self):
        root = UserFactory(is_superuser=True)
        assert root.has_perm("orgs.view_audit", BranchFactory())
        assert set(selectors.branches_of(root)) == set(Branch.objects.all())

    def test_duck_typed_objects(self):
        a, b = BranchFactory(), BranchFactory()
        committee = CommitteeFactory(branches=[a, b])
        officer_b = MembershipFactory(branch=b, role=Role.CERTIFICATION_OFFICER).user
        outsider = MembershipFactory(role=Role.CERTIFICATION_OFFICER).user
        qualification = SimpleNamespace(committee=committee)  # no owning_branches(): via .committee
        with_owning = SimpleNamespace(owning_branches=lambda: Branch.objects.filter(pk=b.pk))
        with_branch = SimpleNamespace(branch=b)
        for obj in (committee, qualification, with_owning, with_branch):
            assert orgs_rules.can_change_branch_object(officer_b, obj)
            assert not orgs_rules.can_view_branch_object(outsider, obj)

    def test_habilitation_predicates(self):
        branch = BranchFactory()
        centre = CentreFactory()
        hab = SimpleNamespace(centre=centre, qualification=SimpleNamespace(owning_branches=lambda: [branch]))
        trainer = MembershipFactory(centre_role=True, centre=centre, role=Role.TRAINER).user
        officer = MembershipFactory(branch=branch, role=Role.CERTIFICATION_OFFICER).user
        other_centre = MembershipFactory(centre_role=True).user
        assert orgs_rules.can_view_habilitation(trainer, hab)
        assert not orgs_rules.can_change_habilitation(trainer, hab)
        assert orgs_rules.can_view_habilitation(officer, hab) and orgs_rules.can_change_habilitation(
            officer, hab
        )
        assert not orgs_rules.can_view_habilitation(other_centre, hab)


@pytest.mark.django_db
class TestCentres:
    def test_centre_staff_see_their_centre_only(self):
        centre, other = CentreFactory(), CentreFactory()
        assessor = MembershipFactory(centre_role=True, centre=centre, role=Role.ASSESSOR).user
        assert assessor.has_perm("orgs.view_centre", centre)
        assert not assessor.has_perm("orgs.view_centre", other)
        assert not assessor.has_perm("orgs.change_centre", centre)
        assert list(selectors.centres_of(assessor)) == [centre]

    def test_branch_staff_see_linked_centres(self, monkeypatch):
        branch = BranchFactory()
        linked, unlinked = CentreFactory(), CentreFactory()
        officer = MembershipFactory(branch=branch, role=Role.CERTIFICATION_OFFICER).user
        assert not officer.has_perm("orgs.view_centre", linked)
        monkeypatch.setattr(
            selectors, "CENTRE_LINKS", [lambda branches: Q(pk=linked.pk) & Q(pk__isnull=False)]
        )
        assert officer.has_perm("orgs.view_centre", linked)
        assert not officer.has_perm("orgs.view_centre", unlinked)
        assert list(selectors.visible_centres(officer)) == [linked]

    def test_fallback_link_through_memberships(self, monkeypatch):
        monkeypatch.setattr(selectors, "CENTRE_LINKS", [])  # as long as no app registers a link
        branch = BranchFactory()
        centre = CentreFactory()
        person = MembershipFactory(centre_role=True, centre=centre, role=Role.ASSESSOR).user
        MembershipFactory(user=person, branch=branch, role=Role.JURY_MEMBER)
        officer = MembershipFactory(branch=branch, role=Role.CERTIFICATION_OFFICER).user
        assert list(selectors.centres_of_branches(Branch.objects.filter(pk=branch.pk))) == [centre]
        assert officer.has_perm("orgs.view_centre", centre)


@pytest.mark.django_db
def test_get_object_for_user_or_404():
    branch = BranchFactory()
    member = MembershipFactory(branch=branch).user
    assert get_object_for_user_or_404(member, Branch, "orgs.view_branch", slug=branch.slug) == branch
    with pytest.raises(Http404):
        get_object_for_user_or_404(UserFactory(), Branch, "orgs.view_branch", slug=branch.slug)
    with pytest.raises(Http404):
        get_object_for_user_or_404(member, Branch.objects.all(), "orgs.view_branch", slug="nope")
