"""Every back-office URL of `orgs`, with every role (see permission_matrix.py)."""

import pytest

from cqphub.orgs.models import Membership, Role
from tests.factories.orgs import CentreFactory
from tests.orgs.permission_matrix import Case, assert_matrix

EVERYONE = dict.fromkeys(
    [
        "superuser",
        "branch_admin",
        "certification_officer",
        "jury_member",
        "centre_manager",
        "trainer",
        "assessor",
        "advisor",
        "employer_contact",
        "outsider",
        "no_role",
    ],
    200,
)


def branch(world):
    return {"slug": world.branch.slug}


def isolated_centre(world):
    return {"pk": world.extra["isolated_centre"].pk}


CASES = [
    Case("orgs:dashboard", lambda w: {}, EVERYONE),
    Case("orgs:account", lambda w: {}, EVERYONE),
    Case("orgs:otp_setup", lambda w: {}, EVERYONE),
    Case("orgs:password_change", lambda w: {}, EVERYONE),
    Case(
        "orgs:branch",
        branch,
        {"superuser": 200, "branch_admin": 200, "certification_officer": 200, "jury_member": 200},
    ),
    Case("orgs:branch", lambda w: {"slug": w.other_branch.slug}, {"superuser": 200, "outsider": 200}),
    Case(
        "orgs:branch_members", branch, {"superuser": 200, "branch_admin": 200, "certification_officer": 200}
    ),
    Case("orgs:branch_member_invite", branch, {"superuser": 200, "branch_admin": 200}),
    Case(
        "orgs:branch_centres", branch, {"superuser": 200, "branch_admin": 200, "certification_officer": 200}
    ),
    Case("orgs:branch_audit", branch, {"superuser": 200, "branch_admin": 200}),
    Case("orgs:centre", isolated_centre, {"superuser": 200, "centre_manager": 200, "trainer": 200}),
    Case("orgs:centre_edit", isolated_centre, {"superuser": 200, "centre_manager": 200}),
    Case("orgs:centre_member_invite", isolated_centre, {"superuser": 200, "centre_manager": 200}),
    Case(
        "orgs:branch_membership_deactivate",
        lambda w: {"slug": w.branch.slug, "pk": w.extra["jury_membership"].pk},
        {"superuser": 302, "branch_admin": 302},
        method="post",
    ),
    Case(
        "orgs:centre_membership_deactivate",
        lambda w: {"pk": w.extra["isolated_centre"].pk, "membership_pk": w.extra["trainer_membership"].pk},
        {"superuser": 302, "centre_manager": 302},
        method="post",
    ),
]


@pytest.mark.django_db
def test_orgs_permission_matrix(client, demo):
    # A centre that no branch works with (whatever links other apps register), staffed by the demo
    # centre manager and trainer: branch staff must not see it.
    centre = CentreFactory(name="Centre isolé")
    Membership.objects.create(user=demo.users["centre_manager"], role=Role.CENTRE_MANAGER, centre=centre)
    demo.extra["isolated_centre"] = centre
    demo.extra["trainer_membership"] = Membership.objects.create(
        user=demo.users["trainer"], role=Role.TRAINER, centre=centre
    )
    demo.extra["jury_membership"] = Membership.objects.get(user=demo.users["jury_member"], branch=demo.branch)
    assert_matrix(client, demo, CASES)


@pytest.mark.django_db
def test_outsider_gets_404_not_403_on_every_branch_page(client, demo):
    client.force_login(demo.users["outsider"])
    for name in ("orgs:branch", "orgs:branch_members", "orgs:branch_centres", "orgs:branch_audit"):
        from django.urls import reverse

        response = client.get(reverse(name, kwargs={"slug": demo.branch.slug}))
        assert response.status_code == 404, name
    # a branch that does not exist answers the same
    assert client.get("/espace/branches/nexiste-pas/").status_code == 404
