"""Each role lands on what it has to do: counts and next actions, nothing that is not its job."""

import pytest

from tests.html import Page

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
    page = Page(dashboard(client, world, "jury_member"))
    assert page.select("#due-panel-title") == []  # no deadlines panel, whatever its wording
    assert "Reprendre le brouillon" not in page.links()


def test_centre_staff_see_the_qualifications_their_centre_is_habilitated_for(client, world):
    html = dashboard(client, world, "centre_manager")
    assert "Qualifications de mon centre" in html and "/espace/qualifications/habilitations/" in html
    assert Page(html).select("#due-panel-title") == []


@pytest.mark.parametrize("role", ["advisor", "employer_contact"])
def test_roles_without_a_back_office_task_get_the_tools_they_can_use(client, world, role):
    html = dashboard(client, world, role)
    page = Page(html)
    assert page.text("#tools-title") == "Ce que vous pouvez faire ici"
    assert "/orientation/" in page.links("section[aria-labelledby=tools-title] a").values()
    assert page.select("#due-panel-title") == []
