"""Import a frameworks document (from JSON or a spreadsheet) into a draft version, all or nothing.

The draft's activities and block references are replaced by the document's. A block of the document
identical to a block the draft already references keeps that reference (so a shared block stays shared,
and a round trip changes nothing); any other block becomes a new block.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from cqphub.qualifications.exchange.document import block_signature, build_document, validate_document
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


def _create_block(committee, data: dict) -> SkillBlock:
    block = SkillBlock(
        code=data["code"],
        title=data["title"],
        pass_rule=data.get("pass_rule", "all"),
        pass_threshold=data.get("pass_threshold"),
        committee=committee,
    )
    block.full_clean()
    block.save()
    for s_order, skill_data in enumerate(data["skills"], start=1):
        skill = Skill.objects.create(
            block=block,
            code=skill_data["code"],
            statement=skill_data["statement"],
            transversal=bool(skill_data.get("transversal")),
            order=s_order,
        )
        KnowledgeItem.objects.bulk_create(
            [
                KnowledgeItem(skill=skill, label=label, order=i)
                for i, label in enumerate(skill_data.get("knowledge", []), start=1)
            ]
        )
        Criterion.objects.bulk_create(
            [
                Criterion(skill=skill, statement=text, order=i)
                for i, text in enumerate(skill_data.get("criteria", []), start=1)
            ]
        )
    AssessmentMethod.objects.bulk_create(
        [
            AssessmentMethod(block=block, kind=m["kind"], description=m.get("description", ""), order=i)
            for i, m in enumerate(data.get("methods", []), start=1)
        ]
    )
    AssessmentTest.objects.bulk_create(
        [
            AssessmentTest(
                block=block,
                title=t["title"],
                method=t["method"],
                duration_minutes=t.get("duration_minutes"),
                description=t.get("description", ""),
                order=i,
            )
            for i, t in enumerate(data.get("tests", []), start=1)
        ]
    )
    return block


@transaction.atomic
def import_frameworks(*, actor, version: QualificationVersion, document: dict) -> QualificationVersion:
    """Replace the draft's frameworks by `document`; ValidationError (listing every problem) otherwise."""
    version.assert_editable()
    problems = validate_document(document)
    if problems:
        raise ValidationError(problems, code="invalid_document")
    existing = {item["code"]: item for item in build_document(version)["blocks"]}
    old_links = {link.block.code: link.block for link in version.version_blocks.select_related("block")}

    version.version_blocks.all().delete()
    version.activities.all().delete()
    version.title = document["title"]
    version.target_jobs = list(document.get("target_jobs", []))
    version.save()
    activities: dict[str, Activity] = {}
    for order, data in enumerate(document["activities"], start=1):
        activity = Activity.objects.create(
            version=version,
            code=data["code"],
            title=data["title"],
            description=data.get("description", ""),
            order=order,
        )
        activities[activity.code] = activity
        for s_order, situation in enumerate(data.get("work_situations", []), start=1):
            WorkSituation.objects.create(
                activity=activity,
                title=situation["title"],
                description=situation.get("description", ""),
                order=s_order,
            )
    kept: set[int] = set()
    for order, data in enumerate(document["blocks"], start=1):
        previous = existing.get(data["code"])
        if previous is not None and block_signature(previous) == block_signature(data):
            block = old_links[data["code"]]
        else:
            block = _create_block(version.qualification.committee, data)
        kept.add(block.pk)
        link = VersionBlock.objects.create(version=version, block=block, order=order)
        link.activities.set([activities[code] for code in data.get("activities", [])])
    for block in old_links.values():
        if (
            block.pk not in kept
            and not block.frozen
            and not block.version_blocks.exists()
            and not block.habilitations.exists()
        ):
            block.delete()
    record(
        actor,
        "import_frameworks",
        version,
        qualification=version.qualification,
        changes={"activities": len(document["activities"]), "blocks": len(document["blocks"])},
    )
    return version
