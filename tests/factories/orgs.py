"""Factories for organisations and people (`cqphub.orgs`)."""

from __future__ import annotations

import factory

from cqphub.orgs.models import (
    Branch,
    Centre,
    CentreKind,
    CertifierEntity,
    Committee,
    Membership,
    Role,
    User,
    complete_siret,
)

PASSWORD = "correct-horse-battery-staple-42"


def _siret(n: int) -> str:
    return complete_siret(f"998{n:010d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(PASSWORD)


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Branche {n}")
    slug = factory.Sequence(lambda n: f"branche-{n}")
    idcc_codes = factory.Sequence(lambda n: [f"{(n % 9000) + 1000:04d}"])


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Commission paritaire {n}")
    short_name = factory.Sequence(lambda n: f"CPNE {n}")

    @factory.post_generation
    def branches(self, create, extracted, **kwargs):
        if not create:
            return
        self.branches.set(extracted if extracted is not None else [BranchFactory()])


class CertifierEntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertifierEntity

    name = factory.Sequence(lambda n: f"Association certificatrice {n}")
    siret = factory.Sequence(lambda n: _siret(500_000 + n))
    branch = factory.SubFactory(BranchFactory)


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre

    name = factory.Sequence(lambda n: f"Centre {n}")
    siret = factory.Sequence(_siret)
    kind = CentreKind.BOTH
    address = "1 rue de l'Exemple"
    postcode = "75011"
    city = "Paris"

    class Params:
        training = factory.Trait(kind=CentreKind.TRAINING)
        assessment = factory.Trait(kind=CentreKind.ASSESSMENT)


class MembershipFactory(factory.django.DjangoModelFactory):
    """A branch role by default; traits `centre_role`, `outside` switch the scope."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.BRANCH_ADMIN
    branch = factory.SubFactory(BranchFactory)
    centre = None
    organisation = ""

    class Params:
        centre_role = factory.Trait(
            role=Role.CENTRE_MANAGER, branch=None, centre=factory.SubFactory(CentreFactory)
        )
        outside = factory.Trait(role=Role.ADVISOR, organisation="OPCO Exemple")


# The staff of one CQP, keyed as the demo world's users (tests/orgs/permission_matrix.py ROLE_EMAILS):
# role key -> (role, scope) where scope is "branch" (the CQP's branch), a centre key, or "other_branch".
STAFF_ROLES = {
    "branch_admin": (Role.BRANCH_ADMIN, "branch"),
    "certification_officer": (Role.CERTIFICATION_OFFICER, "branch"),
    "jury_member": (Role.JURY_MEMBER, "branch"),
    "advisor": (Role.ADVISOR, "branch"),
    "employer_contact": (Role.EMPLOYER_CONTACT, "branch"),
    "trainer": (Role.TRAINER, "training"),
    "assessor": (Role.ASSESSOR, "assessment"),
    "centre_manager": (Role.CENTRE_MANAGER, "manager"),
    "outsider": (Role.BRANCH_ADMIN, "other_branch"),
}


def make_staff_member(key: str, *, branch=None, centres: dict | None = None):
    """The account of role `key` (a STAFF_ROLES key, or "no_role"): branch roles in `branch`, the
    trainer in `centres["training"]`, the assessor in `centres["assessment"]`, the centre manager in
    `centres["manager"]`, the "outsider" administering another branch."""
    if key == "no_role":
        return UserFactory()
    role, scope = STAFF_ROLES[key]
    if scope == "branch":
        where = {"branch": branch}
    elif scope == "other_branch":
        where = {"branch": BranchFactory()}
    else:
        where = {"branch": None, "centre": centres[scope]}
    organisation = "OPCO Exemple" if role in (Role.ADVISOR, Role.EMPLOYER_CONTACT) else ""
    return MembershipFactory(role=role, organisation=organisation, **where).user


class LazyStaff(dict):
    """{role key: User}, each account made on first use by `make(key)`: a test pays for the roles it
    names only."""

    def __init__(self, make):
        super().__init__()
        self._make = make

    def __missing__(self, key):
        self[key] = self._make(key)
        return self[key]

    def make_all(self):
        """Make every role now (e.g. to show who is *not* told of something)."""
        for key in (*STAFF_ROLES, "no_role"):
            self[key]
        return self


def make_staff(*, branch, centres: dict) -> dict:
    """One account per role as in the demo world (see make_staff_member), and "no_role" without any
    membership. Returns {role key: User}."""
    return {key: make_staff_member(key, branch=branch, centres=centres) for key in (*STAFF_ROLES, "no_role")}
