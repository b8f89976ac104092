"""A reusable permission-matrix harness for back-office URLs.

Each `Case` names a URL, how to build its kwargs from the demo world, and the status expected for
each role. Roles are the keys of `DemoWorld.users` plus "anonymous". A role missing from
`expected` gets the case's `default` (404: an outsider learns nothing, not even that the object
exists). Anonymous visitors are always expected to be redirected to the login page.

Other apps extend it:

    from tests.orgs.permission_matrix import Case, assert_matrix, load_demo_world

    CASES = [Case("qualifications:list", lambda w: {}, {"branch_admin": 200, ...}, default=404)]

    @pytest.mark.django_db
    def test_matrix(client):
        assert_matrix(client, load_demo_world(), CASES)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse

from cqphub.orgs.demo import ACCOUNTS, CENTRES, SUPERUSER_EMAIL, load_demo_orgs
from cqphub.orgs.models import Branch, Centre, User, complete_siret

# role key -> demo e-mail; "outsider" is the administrator of another branch (Métallurgie),
# "no_role" an account without any membership.
ROLE_EMAILS = {
    "superuser": SUPERUSER_EMAIL,
    "branch_admin": "admin.branche@demo.cqphub.fr",
    "certification_officer": "certification@demo.cqphub.fr",
    "jury_member": "jury@demo.cqphub.fr",
    "centre_manager": "centre@demo.cqphub.fr",
    "trainer": "formateur@demo.cqphub.fr",
    "assessor": "evaluateur@demo.cqphub.fr",
    "advisor": "conseiller@demo.cqphub.fr",
    "employer_contact": "employeur@demo.cqphub.fr",
    "outsider": "admin.metallurgie@demo.cqphub.fr",
    "no_role": "sans.role@demo.cqphub.fr",
}
ROLES = ("anonymous", *ROLE_EMAILS)


@dataclass
class DemoWorld:
    users: dict[str, User]
    branch: Branch  # Boulangerie-pâtisserie artisanale: the branch of the demo branch roles
    other_branch: Branch  # Métallurgie: the outsider's branch
    centres: list[Centre]  # in the order of cqphub.orgs.demo.CENTRES
    extra: dict[str, Any] = field(default_factory=dict)  # for other apps' objects

    @property
    def manager_centre(self) -> Centre:
        """The centre of the demo centre manager."""
        return self.centres[next(a[5] for a in ACCOUNTS if a[0] == ROLE_EMAILS["centre_manager"])]


def load_demo_world() -> DemoWorld:
    load_demo_orgs()
    User.objects.get_or_create(email=ROLE_EMAILS["no_role"])
    users = {role: User.objects.get(email=email) for role, email in ROLE_EMAILS.items()}
    centres = [Centre.objects.get(siret=complete_siret(row[1])) for row in CENTRES]
    return DemoWorld(
        users=users,
        branch=Branch.objects.get(slug="boulangerie-patisserie"),
        other_branch=Branch.objects.get(slug="metallurgie"),
        centres=centres,
    )


@dataclass
class Case:
    url_name: str
    kwargs: Callable[[DemoWorld], dict[str, Any]]
    expected: dict[str, int]
    default: int = 404
    method: str = "get"
    data: Callable[[DemoWorld], dict[str, Any]] | None = None

    def status_for(self, role: str) -> int:
        if role == "anonymous":
            return 302
        return self.expected.get(role, self.default)


def assert_matrix(client, world: DemoWorld, cases: list[Case], roles: tuple[str, ...] = ROLES) -> None:
    """Walk every case with every role and report all the mismatches at once.

    Reading cases (GET) run first for every role, then the writing ones (which may change what
    later roles see, e.g. a withdrawn membership), in the order given."""
    failures = []
    login_url = reverse(settings.LOGIN_URL)
    reads = [c for c in cases if c.method in ("get", "head")]
    writes = [c for c in cases if c.method not in ("get", "head")]
    for batch, role in [(batch, role) for batch in (reads, writes) for role in roles]:
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
        for case in batch:
            url = reverse(case.url_name, kwargs=case.kwargs(world))
            data = case.data(world) if case.data else {}
            response = getattr(client, case.method)(url, data)
            wanted = case.status_for(role)
            if response.status_code != wanted:
                failures.append(
                    f"{role:22} {case.method.upper()} {url}: {response.status_code}, expected {wanted}"
                )
            elif role == "anonymous" and not response["Location"].startswith(login_url):
                failures.append(f"{role:22} {url}: redirected to {response['Location']}, not the login page")
    assert not failures, "permission matrix mismatches:\n" + "\n".join(failures)
