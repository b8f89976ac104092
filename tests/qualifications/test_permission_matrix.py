"""Every URL of the qualifications back office, with every role (harness: tests/orgs/permission_matrix.py).

Demo world: the CQP belongs to the bakery branch (admin, certification officer, jury member); the CQPI
to the bakery and pastry branches. The trainer's centre holds an active habilitation for the CQP; the
assessor's a suspended one (it no longer opens the CQP); the centre manager's an expired one for the
CQP and an active one for the CQPI. The outsider is the metallurgy branch's administrator.
"""

import pytest

from cqphub.qualifications.demo import CQP_TITLE, CQPI_TITLE
from cqphub.qualifications.models import Criterion, Habilitation, Qualification
from tests.orgs.permission_matrix import ROLE_EMAILS, Case, assert_matrix

EVERYONE = dict.fromkeys(ROLE_EMAILS, 200)
STAFF = {"superuser": 200, "branch_admin": 200, "certification_officer": 200}
MEMBERS = STAFF | {"jury_member": 200}
VIEW_CQP = MEMBERS | {"trainer": 200}
VIEW_CQPI = MEMBERS | {"centre_manager": 200}


def only(roles: dict, status: int) -> dict:
    return dict.fromkeys(roles, status)


def cqp(w):
    return {"pk": w.extra["cqp"].pk}


def cqp_v(number):
    return lambda w: {"pk": w.extra["cqp"].pk, "number": number}


def draft_with(name, key):
    return lambda w: {"pk": w.extra["cqp"].pk, "number": 2, name: w.extra[key].pk}


def setup(world):
    world.extra["cqp"] = cqp_ = Qualification.objects.get(title=CQP_TITLE)
    world.extra["cqpi"] = Qualification.objects.get(title=CQPI_TITLE)
    draft = cqp_.draft()
    link = draft.version_blocks.select_related("block").get(block__code="BC01")
    world.extra["block"] = link.block
    world.extra["skill"] = link.block.skills.first()
    world.extra["activity"] = draft.activities.first()
    world.extra["criterion"] = Criterion.objects.filter(skill__block__version_blocks__version=draft).first()
    habs = Habilitation.objects.select_related("centre")
    world.extra["hab_active"] = habs.get(qualification=cqp_, state="active", centre=world.centres[0])
    world.extra["hab_suspended"] = habs.get(qualification=cqp_, state="suspended")
    world.extra["hab_expired"] = habs.get(qualification=cqp_, centre=world.centres[2])
    return world


CASES = [
    Case("qualifications:list", lambda w: {}, EVERYONE),
    Case("qualifications:my_habilitations", lambda w: {}, EVERYONE),
    Case("qualifications:template_xlsx", lambda w: {}, EVERYONE),
    # any branch's staff may create a qualification (for their own branches' committees)
    Case("qualifications:create", lambda w: {}, STAFF | {"outsider": 200}),
    Case("qualifications:fiche_start", lambda w: {}, STAFF | {"outsider": 200}),
    Case("qualifications:detail", cqp, VIEW_CQP),
    Case("qualifications:detail", lambda w: {"pk": w.extra["cqpi"].pk}, VIEW_CQPI),
    Case("qualifications:version", cqp_v(1), VIEW_CQP),
    Case("qualifications:version", cqp_v(2), MEMBERS),  # the draft stays in the branch (review L5)
    Case("qualifications:version", lambda w: {"pk": w.extra["cqpi"].pk, "number": 1}, VIEW_CQPI),
    # the trainer sees one (published) version: nothing to compare, sent back to the overview
    Case("qualifications:compare", cqp, MEMBERS | {"trainer": 302}),
    Case("qualifications:lifecycle", cqp, MEMBERS),
    Case("qualifications:registry", cqp, MEMBERS),
    Case("qualifications:exchange", cqp, MEMBERS),
    Case("qualifications:export_json", cqp_v(1), VIEW_CQP),
    Case("qualifications:export_xlsx", cqp_v(1), VIEW_CQP),
    Case("qualifications:booklet", cqp_v(1), VIEW_CQP),
    Case("qualifications:habilitations", cqp, MEMBERS),
    Case("qualifications:habilitations", lambda w: {"pk": w.extra["cqpi"].pk}, MEMBERS),
    # editing pages: the draft only, the branch's staff only
    Case("qualifications:version_edit", cqp_v(2), STAFF),
    Case("qualifications:version_edit", cqp_v(1), {}),  # published: frozen for everyone
    Case("qualifications:activity_add", cqp_v(1), {}),
    Case("qualifications:activity_add", cqp_v(2), STAFF),
    Case("qualifications:situation_add", draft_with("activity_id", "activity"), STAFF),
    Case("qualifications:block_add", cqp_v(2), STAFF),
    Case("qualifications:block_share", cqp_v(2), STAFF),
    Case("qualifications:block_edit", draft_with("block_id", "block"), STAFF),
    Case("qualifications:skill_add", draft_with("block_id", "block"), STAFF),
    Case("qualifications:method_add", draft_with("block_id", "block"), STAFF),
    Case("qualifications:test_add", draft_with("block_id", "block"), STAFF),
    Case("qualifications:knowledge_add", draft_with("skill_id", "skill"), STAFF),
    Case("qualifications:criterion_add", draft_with("skill_id", "skill"), STAFF),
    Case("qualifications:publish", cqp_v(2), STAFF),
    Case(
        "qualifications:habilitation_suspend",
        lambda w: {"pk": w.extra["cqp"].pk, "habilitation_id": w.extra["hab_active"].pk},
        STAFF,
    ),
    # a habilitation: its centre's staff and the qualification's branch members
    Case(
        "qualifications:habilitation",
        lambda w: {"habilitation_id": w.extra["hab_active"].pk},
        MEMBERS | {"trainer": 200},
    ),
    Case(
        "qualifications:habilitation",
        lambda w: {"habilitation_id": w.extra["hab_suspended"].pk},
        MEMBERS | {"assessor": 200},
    ),
    Case(
        "qualifications:habilitation",
        lambda w: {"habilitation_id": w.extra["hab_expired"].pk},
        MEMBERS | {"centre_manager": 200},
    ),
    # writes
    Case("qualifications:version_new", lambda w: {"pk": w.extra["cqpi"].pk}, only(STAFF, 302), method="post"),
    Case(
        "qualifications:habilitation_lift",
        lambda w: {"pk": w.extra["cqp"].pk, "habilitation_id": w.extra["hab_suspended"].pk},
        only(STAFF, 302),
        method="post",
    ),
    Case(
        "qualifications:lifecycle", cqp, only(STAFF, 400), method="post", data=lambda w: {"kind": "withdrawn"}
    ),
    Case(
        "qualifications:registry",
        cqp,
        only(STAFF, 400),
        method="post",
        data=lambda w: {"fiche_code": "RNCP00000"},
    ),
    Case(
        "qualifications:row_delete",
        lambda w: {
            "pk": w.extra["cqp"].pk,
            "number": 1,
            "kind": "criterion",
            "row_id": w.extra["criterion"].pk,
        },
        {},
        method="post",
    ),
]


@pytest.mark.django_db
def test_qualifications_permission_matrix(client, world):
    assert_matrix(client, setup(world), CASES)


@pytest.mark.django_db
def test_row_delete_only_for_staff_and_only_in_the_draft(client, world):
    setup(world)
    criterion = world.extra["criterion"]
    url = f"/espace/qualifications/{world.extra['cqp'].pk}/versions/2/supprimer/criterion/{criterion.pk}/"
    for role in ("jury_member", "trainer", "outsider"):
        client.force_login(world.users[role])
        assert client.post(url).status_code == 404, role
    client.force_login(world.users["certification_officer"])
    assert client.post(url).status_code == 302
    assert not Criterion.objects.filter(
        skill__block__version_blocks__version=world.extra["cqp"].draft(),
        statement=criterion.statement,
        skill__code=criterion.skill.code,
    ).exists()
    assert Criterion.objects.filter(pk=criterion.pk).exists()  # the published version keeps it


@pytest.mark.django_db
def test_second_branch_of_a_cqpi_sees_it_but_not_the_other_cqp(client, world):
    from cqphub.orgs.models import User

    setup(world)
    client.force_login(User.objects.get(email="admin.patisserie@demo.cqphub.fr"))
    assert client.get(f"/espace/qualifications/{world.extra['cqpi'].pk}/").status_code == 200
    assert client.get(f"/espace/qualifications/{world.extra['cqp'].pk}/").status_code == 404
    listing = client.get("/espace/qualifications/").content.decode()
    assert CQPI_TITLE in listing and CQP_TITLE not in listing


@pytest.mark.django_db
def test_centre_staff_see_only_their_own_habilitations(client, world):
    setup(world)
    client.force_login(world.users["assessor"])
    page = client.get("/espace/qualifications/habilitations/").content.decode()
    assert "Atelier Sud" in page and "Fournil" not in page and "Suspendue" in page
    client.force_login(world.users["outsider"])
    assert (
        client.get(f"/espace/qualifications/habilitations/{world.extra['hab_active'].pk}/").status_code == 404
    )
