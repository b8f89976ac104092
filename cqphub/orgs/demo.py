"""Demo organisations and one account per role, loaded by `cqphub demo load` (idempotent: objects
are found by their natural keys, created through the services, so the audit trail shows them).

Every demo account shares the password DEMO_PASSWORD. All names, SIRETs and addresses are made up
(the SIRETs pass the Luhn check but start with 999, which INSEE does not allocate).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cqphub.orgs import services
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

DEMO_PASSWORD = "cqphub-demo-2026"  # noqa: S105 — documented demo password
SUPERUSER_EMAIL = "admin@demo.cqphub.fr"

BRANCHES = [
    # slug, name, IDCC
    ("boulangerie-patisserie", "Boulangerie-pâtisserie artisanale", ["0843"]),
    ("patisserie", "Pâtisserie", ["1267"]),
    ("metallurgie", "Métallurgie", ["3248"]),
]
COMMITTEES = [
    # name, short name, branch slugs
    (
        "Commission paritaire nationale de l'emploi et de la formation professionnelle de la boulangerie-pâtisserie artisanale",
        "CPNEFP Boulangerie",
        ["boulangerie-patisserie"],
    ),
    ("Commission paritaire nationale de l'emploi de la pâtisserie", "CPNE Pâtisserie", ["patisserie"]),
    (
        "Commission paritaire interbranches boulangerie et pâtisserie (démo)",
        "CPI Boulangerie-Pâtisserie",
        ["boulangerie-patisserie", "patisserie"],
    ),
    (
        "Commission paritaire nationale de l'emploi et de la formation professionnelle de la métallurgie",
        "CPNEFP Métallurgie",
        ["metallurgie"],
    ),
]
CERTIFIERS = [
    # name, SIRET prefix (13 digits), branch slug
    (
        "Association pour les CQP de la boulangerie artisanale (démo)",
        "9990010000001",
        "boulangerie-patisserie",
    ),
    ("Association paritaire de la pâtisserie (démo)", "9990020000001", "patisserie"),
    ("Association nationale des qualifications de la métallurgie (démo)", "9990030000001", "metallurgie"),
]
CENTRES = [
    # name, SIRET prefix, kind, address, postcode, city, Qualiopi date
    (
        "Fournil École Lyon (démo)",
        "9990110000001",
        CentreKind.TRAINING,
        "12 rue des Meuniers",
        "69007",
        "Lyon",
        dt.date(2022, 3, 14),
    ),
    (
        "Centre d'évaluation Atelier Sud (démo)",
        "9990120000001",
        CentreKind.ASSESSMENT,
        "4 allée des Forges",
        "31200",
        "Toulouse",
        dt.date(2023, 6, 1),
    ),
    (
        "Campus des métiers Nord (démo)",
        "9990130000001",
        CentreKind.BOTH,
        "30 boulevard de l'Industrie",
        "59000",
        "Lille",
        dt.date(2021, 11, 22),
    ),
]
# e-mail, first name, last name, role, branch slug, centre index, organisation
ACCOUNTS = [
    (
        "admin.branche@demo.cqphub.fr",
        "Claire",
        "Martin",
        Role.BRANCH_ADMIN,
        "boulangerie-patisserie",
        None,
        "",
    ),
    (
        "certification@demo.cqphub.fr",
        "Karim",
        "Benali",
        Role.CERTIFICATION_OFFICER,
        "boulangerie-patisserie",
        None,
        "",
    ),
    ("jury@demo.cqphub.fr", "Sophie", "Leroy", Role.JURY_MEMBER, "boulangerie-patisserie", None, ""),
    ("admin.patisserie@demo.cqphub.fr", "Hugo", "Fabre", Role.BRANCH_ADMIN, "patisserie", None, ""),
    ("admin.metallurgie@demo.cqphub.fr", "Nadia", "Roussel", Role.BRANCH_ADMIN, "metallurgie", None, ""),
    ("centre@demo.cqphub.fr", "Julien", "Moreau", Role.CENTRE_MANAGER, None, 2, ""),
    ("formateur@demo.cqphub.fr", "Lucie", "Garnier", Role.TRAINER, None, 0, ""),
    ("evaluateur@demo.cqphub.fr", "Thomas", "Petit", Role.ASSESSOR, None, 1, ""),
    (
        "conseiller@demo.cqphub.fr",
        "Amina",
        "Diallo",
        Role.ADVISOR,
        "boulangerie-patisserie",
        None,
        "OPCO entreprises de proximité (démo)",
    ),
    (
        "employeur@demo.cqphub.fr",
        "Marc",
        "Lefèvre",
        Role.EMPLOYER_CONTACT,
        "boulangerie-patisserie",
        None,
        "Boulangerie du Marché (démo)",
    ),
]


def _user(email: str, first_name: str = "", last_name: str = "", **extra) -> tuple[User, bool]:
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    return User.objects.create_user(
        email, DEMO_PASSWORD, first_name=first_name, last_name=last_name, **extra
    ), True


@transaction.atomic
def load_demo_orgs() -> dict[str, int]:
    """Create what is missing of the demo organisations and accounts; returns counts created."""
    created = {"branches": 0, "committees": 0, "certifiers": 0, "centres": 0, "users": 0, "memberships": 0}
    root, is_new = _user(SUPERUSER_EMAIL, "Admin", "Démo", is_staff=True, is_superuser=True)
    created["users"] += is_new

    branches: dict[str, Branch] = {}
    for slug, name, idcc in BRANCHES:
        branch = Branch.objects.filter(slug=slug).first()
        if branch is None:
            branch = services.create_branch(actor=root, name=name, slug=slug, idcc_codes=idcc)
            created["branches"] += 1
        branches[slug] = branch

    for name, short_name, slugs in COMMITTEES:
        if not Committee.objects.filter(name=name).exists():
            services.create_committee(
                actor=root, name=name, short_name=short_name, branches=[branches[s] for s in slugs]
            )
            created["committees"] += 1

    for name, prefix, slug in CERTIFIERS:
        siret = complete_siret(prefix)
        if not CertifierEntity.objects.filter(siret=siret).exists():
            services.create_certifier_entity(actor=root, name=name, siret=siret, branch=branches[slug])
            created["certifiers"] += 1

    centres: list[Centre] = []
    for name, prefix, kind, address, postcode, city, qualiopi in CENTRES:
        siret = complete_siret(prefix)
        centre = Centre.objects.filter(siret=siret).first()
        if centre is None:
            centre = services.create_centre(
                actor=root,
                name=name,
                siret=siret,
                kind=kind,
                address=address,
                postcode=postcode,
                city=city,
                qualiopi_certified_on=qualiopi,
            )
            created["centres"] += 1
        centres.append(centre)

    for email, first_name, last_name, role, slug, centre_index, organisation in ACCOUNTS:
        user, is_new = _user(email, first_name, last_name)
        created["users"] += is_new
        branch = branches[slug] if slug else None
        centre = centres[centre_index] if centre_index is not None else None
        if not Membership.objects.filter(user=user, role=role, branch=branch, centre=centre).exists():
            services.add_membership(
                actor=root, user=user, role=role, branch=branch, centre=centre, organisation=organisation
            )
            created["memberships"] += 1
    return created
