"""Link a qualification to its registry fiche, and start a qualification from a fiche."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cqphub.qualifications.enums import VersionState
from cqphub.qualifications.models import Qualification, Skill, SkillBlock, VersionBlock
from cqphub.qualifications.services._common import record
from cqphub.qualifications.services.qualifications import create_qualification
from cqphub.qualifications.skill_split import split_skills
from cqphub.registry.models import Certification


@transaction.atomic
def link_certification(
    *, actor, qualification: Qualification, certification: Certification | None
) -> Qualification:
    """Link (or unlink, with None) the qualification and its draft to a registry fiche."""
    before = qualification.certification_id
    qualification.certification = certification
    qualification.save(update_fields=["certification", "updated"])
    draft = qualification.draft()
    if draft is not None:
        QualificationVersionLink = type(draft)
        QualificationVersionLink.objects.filter(pk=draft.pk).update(
            certification=certification, fiche_code=certification.code if certification else ""
        )
    record(
        actor,
        "link_fiche",
        qualification,
        qualification=qualification,
        changes={"certification": [before, certification.pk if certification else None]},
    )
    return qualification


@dataclass
class ProposedBlock:
    code: str
    title: str
    statements: list[str]
    preamble: str = ""


def propose_from_fiche(certification: Certification) -> list[ProposedBlock]:
    """The fiche's blocks with their skills text split into proposed statements (not saved)."""
    proposals = []
    for block in certification.blocks.all():
        result = split_skills(block.skills)
        proposals.append(
            ProposedBlock(block.code, block.title, [s.statement for s in result.skills], result.preamble)
        )
    return proposals


@transaction.atomic
def create_from_fiche(
    *,
    actor,
    certification: Certification,
    kind: str,
    committee,
    ip_holder,
    creation_decision_date: date,
    reviewed_blocks: list[dict],
    title: str | None = None,
) -> Qualification:
    """Create a qualification from a fiche with the officer's reviewed statements.

    `reviewed_blocks`: [{"code", "title", "statements": [str, ...]}], as the officer submitted them.
    """
    if not reviewed_blocks:
        raise ValidationError(_("Aucun bloc à reprendre."))
    rome = list(certification.classifications.filter(scheme="rome").values_list("code", flat=True))
    qualification = create_qualification(
        actor=actor,
        kind=kind,
        title=title or certification.title,
        committee=committee,
        ip_holder=ip_holder,
        creation_decision_date=creation_decision_date,
        rome_codes=rome,
        target_jobs=[j.strip() for j in certification.jobs.replace(";", ",").split(",") if j.strip()][:20],
    )
    qualification.certification = certification
    qualification.save(update_fields=["certification"])
    draft = qualification.versions.get(state=VersionState.DRAFT)
    type(draft).objects.filter(pk=draft.pk).update(certification=certification, fiche_code=certification.code)
    for order, data in enumerate(reviewed_blocks, start=1):
        block = SkillBlock.objects.create(code=data["code"], title=data["title"], committee=committee)
        VersionBlock.objects.create(version=draft, block=block, order=order)
        for index, statement in enumerate([s for s in data["statements"] if s.strip()], start=1):
            Skill.objects.create(block=block, code=f"C{index}", statement=statement.strip(), order=index)
    record(
        actor,
        "create_from_fiche",
        qualification,
        qualification=qualification,
        changes={"fiche": certification.code},
    )
    return qualification
