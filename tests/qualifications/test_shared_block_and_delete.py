"""Before editing a shared block, the page says which qualifications share it and what a revision means;
deleting a framework row goes through a confirmation step."""

import pytest
from django.urls import reverse

from cqphub.qualifications.models import Criterion, SkillBlock
from tests.qualifications.test_permission_matrix import setup

pytestmark = pytest.mark.django_db


def shared_block_of_the_cqp_draft(world):
    draft = world.extra["cqp"].draft()
    for link in draft.version_blocks.select_related("block"):
        block = link.block
        if block.version_blocks.exclude(version__qualification=world.extra["cqp"]).exists():
            return draft, block
    raise AssertionError("the demo shares a block between the CQP and the CQPI")


def test_editing_a_shared_block_warns_and_names_the_other_qualifications(client, world):
    setup(world)
    draft, block = shared_block_of_the_cqp_draft(world)
    client.force_login(world.users["certification_officer"])
    url = reverse(
        "qualifications:block_edit",
        kwargs={"pk": draft.qualification_id, "number": draft.number, "block_id": block.pk},
    )
    html = client.get(url).content.decode()
    assert "Ce bloc est partagé" in html and world.extra["cqpi"].title in html
    if block.frozen:
        assert f"révision {block.revision + 1}" in html
    # the same warning before adding a skill to it
    add = reverse(
        "qualifications:skill_add",
        kwargs={"pk": draft.qualification_id, "number": draft.number, "block_id": block.pk},
    )
    assert "Ce bloc est partagé" in client.get(add).content.decode()


def test_a_block_of_this_draft_only_has_no_warning(client, world):
    setup(world)
    draft = world.extra["cqp"].draft()
    own = next(
        (
            link.block
            for link in draft.version_blocks.select_related("block")
            if not link.block.frozen and not link.block.version_blocks.exclude(version=draft).exists()
        ),
        None,
    )
    if own is None:
        pytest.skip("every block of the demo draft is shared or frozen")
    client.force_login(world.users["certification_officer"])
    url = reverse(
        "qualifications:block_edit",
        kwargs={"pk": draft.qualification_id, "number": draft.number, "block_id": own.pk},
    )
    assert "cq-shared-warning" not in client.get(url).content.decode()


def test_delete_is_a_confirmation_step_then_a_post(client, world):
    setup(world)
    draft = world.extra["cqp"].draft()
    criterion = Criterion.objects.filter(skill__block__version_blocks__version=draft).first()
    client.force_login(world.users["certification_officer"])
    version_html = client.get(
        reverse("qualifications:version", kwargs={"pk": draft.qualification_id, "number": draft.number})
    ).content.decode()
    url = reverse(
        "qualifications:row_delete",
        kwargs={
            "pk": draft.qualification_id,
            "number": draft.number,
            "kind": "criterion",
            "row_id": criterion.pk,
        },
    )
    assert f'href="{url}"' in version_html  # a link to the confirmation, not a one-click delete
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Supprimer « " in html and 'name="confirmed"' in html
    assert Criterion.objects.filter(pk=criterion.pk).exists()  # nothing deleted by looking
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert (
        not Criterion.objects.filter(pk=criterion.pk).exists()
        or SkillBlock.objects.filter(pk=criterion.skill.block_id, frozen=True).exists()
    )


def test_the_next_skill_code_is_proposed(client, world):
    setup(world)
    draft, block = shared_block_of_the_cqp_draft(world)
    client.force_login(world.users["certification_officer"])
    url = reverse(
        "qualifications:skill_add",
        kwargs={"pk": draft.qualification_id, "number": draft.number, "block_id": block.pk},
    )
    highest = max(
        int("".join(c for c in code if c.isdigit())) for code in block.skills.values_list("code", flat=True)
    )
    assert f'value="C{highest + 1}"' in client.get(url).content.decode()
