"""Undoing the deletion of a framework row puts it back from its audit entry, with its children and at its
place; refused once the version is published, when its parent is gone or a row took its code since; 404
for other branches. The in-row editor of a row of a shared block shows the stand-alone page's warning."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cqphub.orgs.models import AuditEntry
from cqphub.qualifications import selectors, services
from cqphub.qualifications.demo import CQP_TITLE, CQPI_TITLE
from cqphub.qualifications.models import (
    Activity,
    KnowledgeItem,
    Qualification,
    QualificationVersion,
    Skill,
    VersionBlock,
)
from tests.factories.qualifications import QualificationFactory
from tests.qualifications.rows import block_of, skill_codes, version_url

pytestmark = pytest.mark.django_db


def _cqp():
    cqp = Qualification.objects.get(title=CQP_TITLE)
    return cqp, cqp.draft()


def _revising():
    """A CQP whose version 1 is published and version 2 in draft, made for the test (no demo)."""
    cqp = QualificationFactory(revising=True)
    return cqp, cqp.draft()


def _children(skill):
    return (
        list(skill.knowledge_items.order_by("order", "pk").values_list("pk", "label")),
        list(skill.criteria.order_by("order", "pk").values_list("pk", "statement")),
    )


def _query(location: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def test_delete_a_skill_then_undo_puts_it_back_with_its_children_at_its_place(client, world):
    cqp, draft = _cqp()
    client.force_login(world.users["certification_officer"])
    block = block_of(draft, "BC02")
    codes = skill_codes(block)
    skill = block.skills.get(code=codes[1])  # a middle row: its place matters
    children = _children(skill)
    assert children[0] and children[1], "the demo skill has knowledge items and criteria"

    response = client.post(version_url(cqp, draft, f"supprimer/skill/{skill.pk}/"))
    assert response.status_code == 302
    query = _query(response["Location"])
    assert query["focus"] == "undo"
    assert not Skill.objects.filter(pk=skill.pk).exists()
    assert not KnowledgeItem.objects.filter(pk__in=[pk for pk, _ in children[0]]).exists()
    entry = AuditEntry.objects.get(pk=query["fait"])
    assert entry.action == "delete" and entry.actor_id == world.users["certification_officer"].pk

    page = client.get(response["Location"]).content.decode()
    region = page.split('id="frameworks"', 1)[1]
    undo_box = region.split('class="cq-row-undo"', 1)[1].split("</div>", 1)[0]
    assert "Compétence supprimée" in undo_box and f"/annuler/{entry.pk}/" in undo_box
    assert "autofocus" in undo_box  # the focus lands on "Annuler"
    assert '"kept"' not in page and "sequence" not in page  # no raw audit data on screen

    response = client.post(version_url(cqp, draft, f"annuler/{entry.pk}/"), {"focus": "undo"})
    assert response.status_code == 302
    restored = Skill.objects.get(pk=skill.pk)  # the same row, under the same key
    assert (restored.code, restored.statement) == (skill.code, skill.statement)
    assert skill_codes(block_of(draft, "BC02")) == codes
    assert _children(restored) == children
    location = response["Location"]
    assert f"#tools-skill-{skill.pk}" in location and _query(location)["focus"] == "edit"
    restore = AuditEntry.objects.get(action="restore", changes__undone=entry.pk)
    assert restore.object_id == str(skill.pk)
    page = client.get(location).content.decode()
    assert "autofocus" in page.split(f'id="tools-skill-{skill.pk}"', 1)[1].split("</details>", 1)[0]

    # undone once: a second undo is refused with a message and nothing is doubled
    response = client.post(version_url(cqp, draft, f"annuler/{entry.pk}/"), follow=True)
    assert "ne peut plus être annulée" in response.content.decode()
    assert skill_codes(block_of(draft, "BC02")) == codes


def test_delete_an_activity_then_undo_restores_its_situations_and_its_blocks_links():
    cqp, draft = _revising()
    activities = list(draft.activities.order_by("order", "pk"))
    activity = next(a for a in activities if a.work_situations.exists() and a.version_blocks.exists())
    situations = list(activity.work_situations.order_by("order", "pk").values_list("pk", "title", "order"))
    links = sorted(activity.version_blocks.values_list("pk", flat=True))
    order = [a.pk for a in activities]
    pk = activity.pk

    entry = services.delete_row(actor=None, version=draft, row=activity)
    assert not Activity.objects.filter(pk=pk).exists()
    assert not VersionBlock.objects.filter(activities=pk).exists()
    # another activity is added meanwhile: the restored one still goes back where it was
    services.add_activity(actor=None, version=draft, code="A99", title="Activité ajoutée depuis")

    restore, row = services.undo_change(actor=None, version=draft, entry_id=entry.pk)
    assert restore.action == "restore" and row.pk == pk
    assert list(row.work_situations.order_by("order", "pk").values_list("pk", "title", "order")) == situations
    assert sorted(row.version_blocks.values_list("pk", flat=True)) == links
    now = list(draft.activities.order_by("order", "pk").values_list("pk", flat=True))
    assert [pk for pk in now if pk in order] == order  # back at its place, the newcomer after it
    assert now.index(pk) == order.index(pk)
    assert list(draft.activities.order_by("order").values_list("order", flat=True)) == list(
        range(1, len(now) + 1)
    )


def test_a_row_deleted_from_a_frozen_block_comes_back_in_the_drafts_revision():
    cqp, draft = _revising()
    published = cqp.latest_published()
    frozen = block_of(draft, "BC01")
    assert frozen.frozen
    before_published = skill_codes(block_of(published, "BC01"))
    skill = frozen.skills.order_by("order", "pk").first()

    entry = services.delete_row(actor=None, version=draft, row=skill)
    revision = block_of(draft, "BC01")
    assert revision.pk != frozen.pk and skill.code not in skill_codes(revision)
    services.undo_change(actor=None, version=draft, entry_id=entry.pk)
    assert skill_codes(block_of(draft, "BC01")) == before_published  # back first, in the draft's revision
    assert skill_codes(block_of(published, "BC01")) == before_published  # the published version never changed


def test_undo_of_a_deletion_is_refused_once_the_version_is_published(client, world):
    cqp, draft = _cqp()
    client.force_login(world.users["certification_officer"])
    method = block_of(draft, "BC02").methods.order_by("order").last()
    pk = method.pk
    entry = services.delete_row(actor=world.users["certification_officer"], version=draft, row=method)
    # published meanwhile (by someone else, in another tab): the draft is frozen
    QualificationVersion.objects.filter(pk=draft.pk).update(state="published", published_at=timezone.now())
    page = client.get(version_url(cqp, draft, f"?fait={entry.pk}&focus=undo")).content.decode()
    assert f"/annuler/{entry.pk}/" not in page  # no "Annuler" offered
    response = client.post(version_url(cqp, draft, f"annuler/{entry.pk}/"), follow=True)
    assert "est publiée : elle est figée" in response.content.decode()
    assert not type(method).objects.filter(pk=pk).exists()
    draft.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.undo_change(actor=None, version=draft, entry_id=entry.pk)
    assert "est publiée" in error.value.messages[0]
    assert not AuditEntry.objects.filter(action="restore").exists()


def test_undo_of_a_deletion_is_refused_when_its_parent_is_gone_or_its_code_taken():
    cqp, draft = _revising()
    skill = block_of(draft, "BC02").skills.order_by("order", "pk").last()
    item = skill.knowledge_items.order_by("order").first()
    skill_pk, item_pk = skill.pk, item.pk
    item_entry = services.delete_row(actor=None, version=draft, row=item)
    skill_entry = services.delete_row(actor=None, version=draft, row=skill)
    with pytest.raises(ValidationError) as error:  # its skill is gone: nothing to put it back into
        services.undo_change(actor=None, version=draft, entry_id=item_entry.pk)
    assert "ne peut plus être annulée" in error.value.messages[0]

    # a skill added since took the code: refused with the reason, nothing half-written
    services.add_skill(actor=None, version=draft, block=skill.block, code=skill.code, statement="Autre")
    with pytest.raises(ValidationError) as error:
        services.undo_change(actor=None, version=draft, entry_id=skill_entry.pk)
    assert "ne peut pas être annulée" in error.value.messages[0] and skill.code in error.value.messages[0]
    assert not Skill.objects.filter(pk=skill_pk).exists()
    assert not KnowledgeItem.objects.filter(skill_id=skill_pk).exists()
    # once the newcomer is gone, the skill comes back, and then its knowledge item too
    services.delete_row(actor=None, version=draft, row=skill.block.skills.get(code=skill.code))
    services.undo_change(actor=None, version=draft, entry_id=skill_entry.pk)
    services.undo_change(actor=None, version=draft, entry_id=item_entry.pk)
    assert KnowledgeItem.objects.get(pk=item_pk).label == item.label


def test_other_branches_get_404_and_other_drafts_deletions_are_not_undone_here(client, world):
    cqp, draft = _cqp()
    criterion = block_of(draft, "BC02").skills.order_by("order").first().criteria.order_by("order").first()
    pk = criterion.pk
    entry = services.delete_row(actor=world.users["certification_officer"], version=draft, row=criterion)
    for role in ("outsider", "jury_member", "trainer"):
        client.force_login(world.users[role])
        assert client.post(version_url(cqp, draft, f"annuler/{entry.pk}/")).status_code == 404, role
    assert not type(criterion).objects.filter(pk=pk).exists()

    # the deletion named under another qualification's draft is refused there, and stays undoable here
    cqpi = Qualification.objects.get(title=CQPI_TITLE)
    other = cqpi.draft() or services.start_new_version(actor=None, qualification=cqpi)
    client.force_login(world.users["branch_admin"])
    response = client.post(version_url(cqpi, other, f"annuler/{entry.pk}/"), follow=True)
    assert "ne peut plus être annulée" in response.content.decode()
    assert not type(criterion).objects.filter(pk=pk).exists()
    services.undo_change(actor=None, version=draft, entry_id=entry.pk)
    assert type(criterion).objects.get(pk=pk).statement == criterion.statement


def test_the_in_row_editor_of_a_shared_blocks_row_shows_the_shared_warning(client, world, monkeypatch):
    cqp, draft = _cqp()
    cqpi = Qualification.objects.get(title=CQPI_TITLE)
    shared = next(
        link.block
        for link in draft.version_blocks.select_related("block")
        if link.block.version_blocks.filter(version__qualification=cqpi).exists()
    )
    own = [
        link.block
        for link in draft.version_blocks.select_related("block")
        if selectors.block_sharing(link.block, draft) is None
    ]
    calls = []
    real = selectors.block_sharing
    monkeypatch.setattr(
        selectors, "block_sharing", lambda block, version: calls.append(block.pk) or real(block, version)
    )
    client.force_login(world.users["certification_officer"])
    page = client.get(version_url(cqp, draft, "")).content.decode()
    assert sorted(calls) == sorted(set(calls)), "looked up once per block"

    skill = shared.skills.order_by("order").first()
    tools = page.split(f'id="tools-skill-{skill.pk}"', 1)[1].split("</details>", 1)[0]
    assert "Ce bloc est partagé" in tools and cqpi.title in tools
    assert (
        f'id="sharing-skill-{skill.pk}"' in tools and f'aria-describedby="sharing-skill-{skill.pk}"' in tools
    )
    criterion = skill.criteria.order_by("order").first()
    tools = page.split(f'id="tools-criterion-{criterion.pk}"', 1)[1].split("</details>", 1)[0]
    assert "Ce bloc est partagé" in tools  # rows under a skill belong to the block too
    activity = draft.activities.order_by("order").first()
    tools = page.split(f'id="tools-activity-{activity.pk}"', 1)[1].split("</details>", 1)[0]
    assert "cq-shared-warning" not in tools  # activities belong to the version, not to a block
    for block in own:
        for row in block.skills.all():
            tools = page.split(f'id="tools-skill-{row.pk}"', 1)[1].split("</details>", 1)[0]
            assert "cq-shared-warning" not in tools

    # the stand-alone edit page of the same row shows the same fragment
    standalone = client.get(version_url(cqp, draft, f"lignes/skill/{skill.pk}/modifier/")).content.decode()
    assert "Ce bloc est partagé" in standalone and cqpi.title in standalone
