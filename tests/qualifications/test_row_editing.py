"""Framework rows of a draft edited in place, moved up / down and the change undone, all without
JavaScript (plain form posts); published versions refuse with their message; other branches get 404."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError

from cqphub.orgs.models import AuditEntry
from cqphub.qualifications import services
from cqphub.qualifications.demo import CQP_TITLE
from cqphub.qualifications.models import Activity, Criterion, Qualification, Skill
from tests.factories.qualifications import QualificationFactory
from tests.qualifications.rows import block_of, skill_codes, version_url

pytestmark = pytest.mark.django_db


def _draft_and_published():
    cqp = Qualification.objects.get(title=CQP_TITLE)
    return cqp, cqp.draft(), cqp.latest_published()


def _revising():
    """A CQP whose version 1 is published and version 2 in draft, made for the test (no demo)."""
    cqp = QualificationFactory(revising=True)
    return cqp, cqp.draft(), cqp.latest_published()


def _fait(location: str) -> str:
    return parse_qs(urlsplit(location).query)["fait"][0]


def test_move_a_skill_persists_the_order_and_undo_restores_it(client, world):
    cqp, draft, _ = _draft_and_published()
    client.force_login(world.users["certification_officer"])
    block = block_of(draft, "BC01")  # frozen: shared with the published v1
    assert block.frozen and skill_codes(block)[:2] == ["C1", "C2"]
    c2 = block.skills.get(code="C2")
    response = client.post(version_url(cqp, draft, f"lignes/skill/{c2.pk}/deplacer/"), {"direction": "up"})
    assert response.status_code == 302
    revised = block_of(draft, "BC01")  # the first change makes the draft's own revision of the block
    assert revised.pk != block.pk and revised.revision > block.revision
    assert skill_codes(revised)[:2] == ["C2", "C1"]
    assert skill_codes(block)[:2] == ["C1", "C2"]  # the published version is untouched
    moved = revised.skills.get(code="C2")
    location = response["Location"]
    assert f"#tools-skill-{moved.pk}" in location and "focus=up" in location
    entry = AuditEntry.objects.get(pk=_fait(location))
    assert entry.action == "move" and entry.changes["order"] == [2, 1]

    page = client.get(location).content.decode()
    assert "Monter la compétence C2 du bloc BC01" in page  # labelled tools
    assert "autofocus" in page.split(f'id="tools-skill-{moved.pk}"', 1)[1].split("</div>", 1)[0]
    assert f"/annuler/{entry.pk}/" in page and "Ligne déplacée" in page  # the undo action, in words

    response = client.post(version_url(cqp, draft, f"annuler/{entry.pk}/"), {"focus": "up"})
    assert response.status_code == 302
    assert skill_codes(block_of(draft, "BC01"))[:2] == ["C1", "C2"]
    assert AuditEntry.objects.filter(action="undo", changes__undone=entry.pk).count() == 1
    # undone once: a second undo is refused with a message, nothing changes
    response = client.post(version_url(cqp, draft, f"annuler/{entry.pk}/"), follow=True)
    assert "ne peut plus être annulée" in response.content.decode()
    assert skill_codes(block_of(draft, "BC01"))[:2] == ["C1", "C2"]


def test_edit_a_criterion_and_an_activity_in_place_then_undo(client, world):
    cqp, draft, _ = _draft_and_published()
    client.force_login(world.users["branch_admin"])
    page = client.get(version_url(cqp, draft, "")).content.decode()
    activity = draft.activities.order_by("order").first()
    assert f'name="activity-{activity.pk}-title"' in page  # the in-place form is on the page
    old_title = activity.title
    response = client.post(
        version_url(cqp, draft, f"lignes/activity/{activity.pk}/modifier/"),
        {
            f"activity-{activity.pk}-code": activity.code,
            f"activity-{activity.pk}-title": "Produire des viennoiseries",
            f"activity-{activity.pk}-description": activity.description,
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Produire des viennoiseries"
    entry = AuditEntry.objects.get(pk=_fait(response["Location"]))
    assert entry.changes == {"title": [old_title, "Produire des viennoiseries"]}

    skill = block_of(draft, "BC02").skills.order_by("order").first()
    criterion = skill.criteria.order_by("order").first()
    old_statement = criterion.statement
    field = f"criterion-{criterion.pk}-statement"
    response = client.post(
        version_url(cqp, draft, f"lignes/criterion/{criterion.pk}/modifier/"), {field: "  "}
    )
    assert response.status_code == 400 and "obligatoire" in response.content.decode()  # errors shown
    response = client.post(
        version_url(cqp, draft, f"lignes/criterion/{criterion.pk}/modifier/"), {field: "Cuisson régulière"}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(pk=_fait(response["Location"]))
    edited = Criterion.objects.get(pk=entry.object_id)
    assert edited.statement == "Cuisson régulière"

    # undo the criterion, then the activity (each change has its own "Annuler")
    client.post(version_url(cqp, draft, f"annuler/{entry.pk}/"))
    assert Criterion.objects.get(pk=edited.pk).statement == old_statement
    title_entry = AuditEntry.objects.filter(action="update", object_type="qualifications.activity").latest(
        "pk"
    )
    client.post(version_url(cqp, draft, f"annuler/{title_entry.pk}/"))
    assert Activity.objects.get(pk=activity.pk).title == old_title


def test_a_code_already_taken_is_refused_and_undo_checks_the_row_did_not_change():
    cqp, draft, _ = _revising()
    block = block_of(draft, "BC02")
    c1 = block.skills.get(code="C1")
    with pytest.raises(ValidationError) as error:
        services.update_row(actor=None, version=draft, row=c1, code="C2")
    assert "déjà le code « C2 »" in str(error.value)
    block = block_of(draft, "BC02")
    c1 = block.skills.get(code="C1")
    first = services.update_row(actor=None, version=draft, row=c1, statement="Énoncé A")
    services.update_row(actor=None, version=draft, row=Skill.objects.get(pk=c1.pk), statement="Énoncé B")
    with pytest.raises(ValidationError) as error:  # changed again since: the first change is not undone
        services.undo_change(actor=None, version=draft, entry_id=first.pk)
    assert "ne peut plus être annulée" in error.value.messages[0]
    assert Skill.objects.get(pk=c1.pk).statement == "Énoncé B"
    assert services.update_row(actor=None, version=draft, row=Skill.objects.get(pk=c1.pk)) is None


def test_a_published_version_refuses_with_its_message(client, world):
    cqp, _, published = _draft_and_published()
    client.force_login(world.users["branch_admin"])
    block = block_of(published, "BC01")
    skill = block.skills.get(code="C2")
    before = skill_codes(block)
    response = client.post(
        version_url(cqp, published, f"lignes/skill/{skill.pk}/deplacer/"), {"direction": "up"}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200 and "est publiée : elle est figée" in page
    assert skill_codes(block) == before
    response = client.post(
        version_url(cqp, published, f"lignes/skill/{skill.pk}/modifier/"),
        {f"skill-{skill.pk}-code": "C2", f"skill-{skill.pk}-statement": "Autre"},
        follow=True,
    )
    assert "est publiée : elle est figée" in response.content.decode()
    assert Skill.objects.get(pk=skill.pk).statement != "Autre"
    assert "Monter la compétence" not in client.get(version_url(cqp, published, "")).content.decode()
    with pytest.raises(ValidationError) as error:
        services.move_row(actor=None, version=published, row=skill, direction="up")
    assert "est publiée" in error.value.messages[0]


def test_other_branches_and_readers_get_404(client, world):
    cqp, draft, _ = _draft_and_published()
    skill = block_of(draft, "BC02").skills.order_by("order").last()
    move = version_url(cqp, draft, f"lignes/skill/{skill.pk}/deplacer/")
    edit = version_url(cqp, draft, f"lignes/skill/{skill.pk}/modifier/")
    for role in ("outsider", "jury_member", "trainer"):
        client.force_login(world.users[role])
        assert client.post(move, {"direction": "up"}).status_code == 404, role
        assert client.get(edit).status_code == 404, role
    # a row of another qualification named under this one's URL is not found either
    other = Qualification.objects.exclude(pk=cqp.pk).exclude(versions__isnull=True).first()
    foreign = Skill.objects.filter(block__version_blocks__version__qualification=other).first()
    client.force_login(world.users["branch_admin"])
    response = client.post(
        version_url(cqp, draft, f"lignes/skill/{foreign.pk}/deplacer/"), {"direction": "up"}
    )
    assert response.status_code == 404
    # an audit entry of another qualification cannot be "undone" here
    entry = AuditEntry.objects.exclude(action__in=("update", "move")).first()
    response = client.post(version_url(cqp, draft, f"annuler/{entry.pk}/"), follow=True)
    assert "ne peut plus être annulée" in response.content.decode()
    assert list(skill.block.skills.order_by("order", "pk")) == list(
        block_of(draft, "BC02").skills.order_by("order", "pk")
    )


def test_first_row_cannot_go_up_and_blocks_move():
    cqp, draft, _ = _revising()
    first = draft.version_blocks.order_by("order", "pk").first()
    with pytest.raises(ValidationError):
        services.move_row(actor=None, version=draft, row=first, direction="up")
    entry = services.move_row(actor=None, version=draft, row=first, direction="down")
    assert [b.code for b in draft.ordered_blocks()][1] == first.block.code
    services.undo_change(actor=None, version=draft, entry_id=entry.pk)
    assert draft.ordered_blocks()[0].code == first.block.code
