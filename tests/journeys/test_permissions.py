"""Who sees and does what on candidacies, candidates and documents; the list selector agrees."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cqphub.journeys import services
from cqphub.journeys.selectors import visible_candidacies, visible_candidates
from cqphub.orgs.models import User
from tests.journeys.helpers import enrol, make_candidate

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def files(world):
    me = User.objects.create_user("lea.candidate@example.org", "x" * 16)
    candidate = make_candidate(world, 1)
    services.update_candidate(actor=None, candidate=candidate, email=me.email)
    candidate.user = me
    candidate.save()
    a = enrol(
        world,
        candidate,
        employer_name="Boulangerie du Marché",
        employer_contact=world.users["employer_contact"],
    )
    services.grant_access(actor=me, candidacy=a, user=world.users["advisor"], role="advisor")
    b = enrol(
        world,
        make_candidate(world, 2, centre=world.extra["north"]),
        qualification=world.extra["cqpi"],
        centre=world.extra["north"],
        funding="personal",
    )
    c = enrol(world, make_candidate(world, 3), route="vae", funding="france_vae")
    identity = services.add_document(
        actor=me, candidacy=a, kind="identity", uploaded=SimpleUploadedFile("id.pdf", PDF)
    )
    contract = services.add_document(
        actor=me, candidacy=a, kind="contract", uploaded=SimpleUploadedFile("c.pdf", PDF)
    )
    return {"me": me, "a": a, "b": b, "c": c, "identity": identity, "contract": contract}


VIEW_A = {
    "superuser",
    "branch_admin",
    "certification_officer",
    "trainer",
    "advisor",
    "employer_contact",
    "me",
}
VIEW_B = {"superuser", "branch_admin", "certification_officer", "centre_manager"}  # CQPI: joint committee
VIEW_C = {"superuser", "branch_admin", "certification_officer"}
ALL = (
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
    "me",
)


def _user(world, files, role):
    return files["me"] if role == "me" else world.users[role]


@pytest.mark.parametrize("role", ALL)
def test_view_candidacy(world, files, role):
    user = _user(world, files, role)
    for key, allowed in (("a", VIEW_A), ("b", VIEW_B), ("c", VIEW_C)):
        assert user.has_perm("journeys.view_candidacy", files[key]) == (role in allowed), (role, key)
    visible = set(visible_candidacies(user).values_list("pk", flat=True))
    expected = {
        files[k].pk for k, allowed in (("a", VIEW_A), ("b", VIEW_B), ("c", VIEW_C)) if role in allowed
    }
    assert visible == expected


@pytest.mark.parametrize("role", ALL)
def test_change_and_decide(world, files, role):
    user = _user(world, files, role)
    a, c = files["a"], files["c"]
    assert user.has_perm("journeys.change_candidacy", a) == (
        role in {"superuser", "branch_admin", "certification_officer", "trainer"}
    )
    assert user.has_perm("journeys.decide_admissibility", c) == (
        role in {"superuser", "branch_admin", "certification_officer"}
    )
    assert user.has_perm("journeys.transition_candidacy", a) == (
        role in {"superuser", "branch_admin", "certification_officer", "trainer", "me"}
    )


@pytest.mark.parametrize("role", ALL)
def test_who_reads_each_document(world, files, role):
    user = _user(world, files, role)
    identity_readers = {"superuser", "branch_admin", "certification_officer", "trainer", "advisor", "me"}
    assert user.has_perm("journeys.view_document", files["identity"]) == (role in identity_readers)
    assert user.has_perm("journeys.view_document", files["contract"]) == (
        role in identity_readers | {"employer_contact"}
    )


def test_grants_are_revocable_and_need_the_role(world, files):
    from django.core.exceptions import ValidationError

    a = files["a"]
    with pytest.raises(ValidationError):  # a trainer is not an advisor
        services.grant_access(actor=files["me"], candidacy=a, user=world.users["trainer"], role="advisor")
    grant = a.grants.get(user=world.users["advisor"])
    services.revoke_access(actor=files["me"], grant=grant)
    assert not world.users["advisor"].has_perm("journeys.view_candidacy", a)
    assert a not in visible_candidacies(world.users["advisor"])


def test_candidates(world, files):
    north_candidate = files["b"].candidate
    assert world.users["centre_manager"].has_perm("journeys.view_candidate", north_candidate)
    assert not world.users["trainer"].has_perm("journeys.view_candidate", north_candidate)
    assert not world.users["outsider"].has_perm("journeys.view_candidate", north_candidate)
    assert files["me"].has_perm("journeys.view_candidate", files["a"].candidate)
    assert set(visible_candidates(world.users["outsider"])) == set()
    assert north_candidate in visible_candidates(world.users["centre_manager"])
