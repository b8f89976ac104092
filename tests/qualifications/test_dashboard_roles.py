"""Each role lands on what it has to do: counts and next actions, nothing that is not its job."""

import pytest

pytestmark = pytest.mark.django_db


def dashboard(client, world, role):
    client.force_login(world.users[role])
    return client.get("/espace/").content.decode()


def test_branch_admin_sees_counts_deadlines_and_the_next_step(client, world):
    html = dashboard(client, world, "branch_admin")
    assert "À faire" in html and "cq-card" in html and "Habilitations actives" in html
    assert "Échéances des 12 prochains mois" in html
    assert "Prochaine étape" in html and "Reprendre le brouillon" in html  # the demo CQP has a draft v2
    assert "RULES.md" not in html  # no internal file reference on screen


def test_jury_member_sees_no_renewal_deadlines(client, world):
    html = dashboard(client, world, "jury_member")
    assert "Échéances des 12 prochains mois" not in html and "Reprendre le brouillon" not in html


def test_centre_staff_see_the_qualifications_their_centre_is_habilitated_for(client, world):
    html = dashboard(client, world, "centre_manager")
    assert "Qualifications de mon centre" in html and "/espace/qualifications/habilitations/" in html
    assert "Échéances des 12 prochains mois" not in html


@pytest.mark.parametrize("role", ["advisor", "employer_contact"])
def test_roles_without_a_back_office_task_get_the_tools_they_can_use(client, world, role):
    html = dashboard(client, world, role)
    assert "Ce que vous pouvez faire ici" in html and "/orientation/" in html
    assert "Échéances" not in html
