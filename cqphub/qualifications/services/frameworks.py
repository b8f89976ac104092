"""Author the three frameworks of a draft version: activities and work situations, blocks with
their skills and knowledge items, and the assessment framework (methods, tests, criteria, pass rule).

Every function takes the draft `version`; a published version refuses (FrozenError). A block that is
frozen (referenced by a published version) is never changed: the first edit from a draft creates a
new revision of the block (`clone_block`), which the draft then references instead.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cqphub.orgs import audit
from cqphub.qualifications.enums import PassRule
from cqphub.qualifications.models import (
    Activity,
    AssessmentMethod,
    AssessmentTest,
    Criterion,
    KnowledgeItem,
    QualificationVersion,
    Skill,
    SkillBlock,
    VersionBlock,
    WorkSituation,
)
from cqphub.qualifications.services._common import record


def _next_order(queryset) -> int:
    return (queryset.aggregate(m=Max("order"))["m"] or 0) + 1


def _log(actor, action, obj, version: QualificationVersion, **changes):
    record(actor, action, obj, qualification=version.qualification, changes=audit.jsonable(changes) or None)


# -- activities framework -------------------------------------------------------------------


@transaction.atomic
def update_version_details(*, actor, version: QualificationVersion, title: str, target_jobs: list[str]):
    version.assert_editable()
    before = {"title": version.title, "target_jobs": version.target_jobs}
    version.title, version.target_jobs = title.strip(), [j.strip() for j in target_jobs if j.strip()]
    version.save()
    _log(
        actor,
        "update",
        version,
        version,
        **audit.diff(before, {"title": version.title, "target_jobs": version.target_jobs}),
    )
    return version


@transaction.atomic
def add_activity(
    *, actor, version: QualificationVersion, code: str, title: str, description: str = ""
) -> Activity:
    version.assert_editable()
    code = code.strip()
    if version.activities.filter(code=code).exists():
        raise ValidationError({"code": _("Une activité porte déjà le code « %(code)s ».") % {"code": code}})
    activity = Activity(
        version=version,
        code=code,
        title=title.strip(),
        description=description.strip(),
        order=_next_order(version.activities.all()),
    )
    activity.full_clean()
    activity.save()
    _log(actor, "create", activity, version)
    return activity


@transaction.atomic
def add_work_situation(*, actor, activity: Activity, title: str, description: str = "") -> WorkSituation:
    activity.version.assert_editable()
    situation = WorkSituation(
        activity=activity,
        title=title.strip(),
        description=description.strip(),
        order=_next_order(activity.work_situations.all()),
    )
    situation.full_clean()
    situation.save()
    _log(actor, "create", situation, activity.version)
    return situation


# -- blocks ---------------------------------------------------------------------------------


def clone_block(block: SkillBlock) -> SkillBlock:
    """A new, editable revision of `block` with copies of all its rows."""
    root = block
    while root.origin_id:
        root = root.origin
    top = SkillBlock.objects.filter(code=block.code, committee=block.committee).aggregate(m=Max("revision"))[
        "m"
    ]
    new = SkillBlock.objects.create(
        code=block.code,
        title=block.title,
        revision=max(top or 0, block.revision) + 1,
        origin=block,
        pass_rule=block.pass_rule,
        pass_threshold=block.pass_threshold,
        committee=block.committee,
    )
    for skill in block.skills.prefetch_related("knowledge_items", "criteria"):
        copy = Skill.objects.create(
            block=new,
            code=skill.code,
            statement=skill.statement,
            transversal=skill.transversal,
            order=skill.order,
        )
        for item in skill.knowledge_items.all():
            KnowledgeItem.objects.create(skill=copy, label=item.label, order=item.order)
        for criterion in skill.criteria.all():
            Criterion.objects.create(skill=copy, statement=criterion.statement, order=criterion.order)
    for method in block.methods.all():
        AssessmentMethod.objects.create(
            block=new, kind=method.kind, description=method.description, order=method.order
        )
    for test in block.tests.all():
        AssessmentTest.objects.create(
            block=new,
            title=test.title,
            method=test.method,
            duration_minutes=test.duration_minutes,
            description=test.description,
            order=test.order,
        )
    return new


def editable_block(*, actor, version: QualificationVersion, block: SkillBlock) -> SkillBlock:
    """The block the draft may edit: `block` itself, or a new revision of it if it is frozen."""
    version.assert_editable()
    block = SkillBlock.objects.get(pk=block.pk)  # the caller's instance may be stale (frozen since)
    link = version.version_blocks.filter(block=block).first()
    if link is None:
        raise ValidationError(
            _("Le bloc %(code)s ne fait pas partie de cette version.") % {"code": block.code}
        )
    if not block.frozen:
        return block
    new = clone_block(block)
    link.block = new
    link.save()
    _log(actor, "revise_block", new, version, origin=block.pk, revision=new.revision)
    return new


def _same_in(block: SkillBlock, skill: Skill) -> Skill:
    return skill if skill.block_id == block.pk else block.skills.get(code=skill.code)


@transaction.atomic
def add_block(
    *,
    actor,
    version: QualificationVersion,
    code: str,
    title: str,
    pass_rule: str = PassRule.ALL,
    pass_threshold: int | None = None,
    activities=(),
) -> SkillBlock:
    version.assert_editable()
    code = code.strip()
    if version.version_blocks.filter(block__code=code).exists():
        raise ValidationError(
            {"code": _("Un bloc porte déjà le code « %(code)s » dans cette version.") % {"code": code}}
        )
    block = SkillBlock(
        code=code,
        title=title.strip(),
        pass_rule=pass_rule,
        pass_threshold=pass_threshold if pass_rule == PassRule.THRESHOLD else None,
        committee=version.qualification.committee,
    )
    block.full_clean()
    block.save()
    link = VersionBlock.objects.create(
        version=version, block=block, order=_next_order(version.version_blocks.all())
    )
    _set_activities(version, link, activities)
    _log(actor, "create", block, version)
    return block


def _set_activities(version, link: VersionBlock, activities) -> None:
    activities = list(activities)
    foreign = [a for a in activities if a.version_id != version.pk]
    if foreign:
        raise ValidationError(_("Les activités liées doivent appartenir à la même version."))
    link.activities.set(activities)


@transaction.atomic
def share_block(*, actor, version: QualificationVersion, block: SkillBlock, activities=()) -> VersionBlock:
    """Reference an existing block (e.g. a CQPI's common block) from this draft: one object, two users."""
    version.assert_editable()
    if version.version_blocks.filter(block__code=block.code).exists():
        raise ValidationError(
            _("Un bloc porte déjà le code « %(code)s » dans cette version.") % {"code": block.code}
        )
    link = VersionBlock.objects.create(
        version=version, block=block, order=_next_order(version.version_blocks.all())
    )
    _set_activities(version, link, activities)
    _log(actor, "share_block", block, version, in_version=version.pk)
    return link


@transaction.atomic
def update_block(
    *,
    actor,
    version: QualificationVersion,
    block: SkillBlock,
    title: str,
    pass_rule: str,
    pass_threshold: int | None,
    activities=(),
) -> SkillBlock:
    block = editable_block(actor=actor, version=version, block=block)
    before = audit.snapshot(block, ("title", "pass_rule", "pass_threshold"))
    block.title, block.pass_rule = title.strip(), pass_rule
    block.pass_threshold = pass_threshold if pass_rule == PassRule.THRESHOLD else None
    block.full_clean()
    block.save()
    link = version.version_blocks.get(block=block)
    _set_activities(version, link, activities)
    _log(
        actor,
        "update",
        block,
        version,
        **audit.diff(before, audit.snapshot(block, ("title", "pass_rule", "pass_threshold"))),
    )
    return block


@transaction.atomic
def remove_block(*, actor, version: QualificationVersion, block: SkillBlock) -> None:
    """Take the block out of the draft; the block itself is deleted when nothing else uses it."""
    version.assert_editable()
    version.version_blocks.filter(block=block).delete()
    _log(actor, "remove_block", block, version)
    if not block.frozen and not block.version_blocks.exists() and not block.habilitations.exists():
        block.delete()


# -- skills framework -----------------------------------------------------------------------


@transaction.atomic
def add_skill(
    *,
    actor,
    version: QualificationVersion,
    block: SkillBlock,
    code: str,
    statement: str,
    transversal: bool = False,
) -> Skill:
    block = editable_block(actor=actor, version=version, block=block)
    code = code.strip()
    if block.skills.filter(code=code).exists():
        raise ValidationError(
            {"code": _("Une compétence porte déjà le code « %(code)s » dans ce bloc.") % {"code": code}}
        )
    skill = Skill(
        block=block,
        code=code,
        statement=statement.strip(),
        transversal=transversal,
        order=_next_order(block.skills.all()),
    )
    skill.full_clean()
    skill.save()
    _log(actor, "create", skill, version)
    return skill


@transaction.atomic
def add_knowledge_item(*, actor, version: QualificationVersion, skill: Skill, label: str) -> KnowledgeItem:
    block = editable_block(actor=actor, version=version, block=skill.block)
    skill = _same_in(block, skill)
    item = KnowledgeItem(skill=skill, label=label.strip(), order=_next_order(skill.knowledge_items.all()))
    item.full_clean()
    item.save()
    _log(actor, "create", item, version)
    return item


# -- assessment framework -------------------------------------------------------------------


@transaction.atomic
def add_criterion(*, actor, version: QualificationVersion, skill: Skill, statement: str) -> Criterion:
    block = editable_block(actor=actor, version=version, block=skill.block)
    skill = _same_in(block, skill)
    criterion = Criterion(skill=skill, statement=statement.strip(), order=_next_order(skill.criteria.all()))
    criterion.full_clean()
    criterion.save()
    _log(actor, "create", criterion, version)
    return criterion


@transaction.atomic
def add_assessment_method(
    *, actor, version: QualificationVersion, block: SkillBlock, kind: str, description: str = ""
) -> AssessmentMethod:
    block = editable_block(actor=actor, version=version, block=block)
    method = AssessmentMethod(
        block=block, kind=kind, description=description.strip(), order=_next_order(block.methods.all())
    )
    method.full_clean()
    method.save()
    _log(actor, "create", method, version)
    return method


@transaction.atomic
def add_assessment_test(
    *,
    actor,
    version: QualificationVersion,
    block: SkillBlock,
    title: str,
    method: str,
    duration_minutes: int | None = None,
    description: str = "",
) -> AssessmentTest:
    block = editable_block(actor=actor, version=version, block=block)
    test = AssessmentTest(
        block=block,
        title=title.strip(),
        method=method,
        duration_minutes=duration_minutes,
        description=description.strip(),
        order=_next_order(block.tests.all()),
    )
    test.full_clean()
    test.save()
    _log(actor, "create", test, version)
    return test


# -- rows of a version (deleting one: editing.delete_row) -----------------------------------

ROW_MODELS = {
    "activity": Activity,
    "work_situation": WorkSituation,
    "skill": Skill,
    "knowledge_item": KnowledgeItem,
    "criterion": Criterion,
    "method": AssessmentMethod,
    "test": AssessmentTest,
}


def _block_of(row) -> SkillBlock | None:
    if isinstance(row, Skill | AssessmentMethod | AssessmentTest):
        return row.block
    if isinstance(row, KnowledgeItem | Criterion):
        return row.skill.block
    return None


def rows_of_version(version: QualificationVersion, kind: str):
    """The rows of `kind` that belong to `version` (to look a row up safely from a URL)."""
    model = ROW_MODELS[kind]
    blocks = version.version_blocks.values("block")
    return {
        "activity": lambda: model.objects.filter(version=version),
        "work_situation": lambda: model.objects.filter(activity__version=version),
        "skill": lambda: model.objects.filter(block__in=blocks),
        "knowledge_item": lambda: model.objects.filter(skill__block__in=blocks),
        "criterion": lambda: model.objects.filter(skill__block__in=blocks),
        "method": lambda: model.objects.filter(block__in=blocks),
        "test": lambda: model.objects.filter(block__in=blocks),
    }[kind]()


def _matching_row(block: SkillBlock, row):
    """The copy of `row` inside the new revision `block` (same codes, same order)."""
    if isinstance(row, Skill):
        return block.skills.get(code=row.code)
    if isinstance(row, KnowledgeItem):
        return KnowledgeItem.objects.get(
            skill__block=block, skill__code=row.skill.code, order=row.order, label=row.label
        )
    if isinstance(row, Criterion):
        return Criterion.objects.get(
            skill__block=block, skill__code=row.skill.code, order=row.order, statement=row.statement
        )
    if isinstance(row, AssessmentMethod):
        return block.methods.get(order=row.order, kind=row.kind)
    return block.tests.get(order=row.order, title=row.title)
