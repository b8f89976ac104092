"""Publish a draft (freeze it and its blocks) and start a new draft from the latest published version."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cqphub.qualifications.enums import PassRule, VersionState
from cqphub.qualifications.models import (
    Activity,
    Qualification,
    QualificationVersion,
    SkillBlock,
    VersionBlock,
    WorkSituation,
)
from cqphub.qualifications.services._common import record


def completeness_problems(version: QualificationVersion) -> list[str]:
    """What keeps a version from being published (the three frameworks must be complete)."""
    problems: list[str] = []
    activities = list(version.activities.prefetch_related("work_situations"))
    if not activities:
        problems.append(_("Le référentiel d'activités ne contient aucune activité."))
    for activity in activities:
        if not activity.work_situations.all():
            problems.append(
                _("L'activité %(code)s n'a aucune situation de travail.") % {"code": activity.code}
            )
    links = list(version.version_blocks.select_related("block").prefetch_related("activities"))
    if not links:
        problems.append(_("Le référentiel de compétences ne contient aucun bloc."))
    for link in links:
        block = link.block
        if not link.activities.all():
            problems.append(_("Le bloc %(code)s n'est relié à aucune activité.") % {"code": block.code})
        skills = list(block.skills.prefetch_related("criteria"))
        if not skills:
            problems.append(_("Le bloc %(code)s ne contient aucune compétence.") % {"code": block.code})
        for skill in skills:
            if not skill.criteria.all():
                problems.append(
                    _("La compétence %(skill)s du bloc %(code)s n'a aucun critère d'évaluation.")
                    % {"skill": skill.code, "code": block.code}
                )
        if not block.methods.exists():
            problems.append(_("Le bloc %(code)s n'a aucune modalité d'évaluation.") % {"code": block.code})
        total = sum(len(skill.criteria.all()) for skill in skills)
        if block.pass_rule == PassRule.THRESHOLD and (block.pass_threshold or 0) > total:
            problems.append(
                _("Le seuil du bloc %(code)s (%(threshold)s) dépasse son nombre de critères (%(total)s).")
                % {"code": block.code, "threshold": block.pass_threshold, "total": total}
            )
    return problems


@transaction.atomic
def publish_version(*, actor, version: QualificationVersion) -> QualificationVersion:
    """Freeze the draft: from now on candidates may be assessed against it; nothing in it changes."""
    version = QualificationVersion.objects.select_for_update().get(pk=version.pk)
    version.assert_editable()
    problems = completeness_problems(version)
    if problems:
        raise ValidationError(problems, code="incomplete")
    version.state = VersionState.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor if getattr(actor, "is_authenticated", False) else None
    version.save()
    SkillBlock.objects.filter(version_blocks__version=version).update(frozen=True)
    record(
        actor,
        "publish",
        version,
        qualification=version.qualification,
        changes={"number": [None, version.number]},
    )
    return version


@transaction.atomic
def start_new_version(*, actor, qualification: Qualification) -> QualificationVersion:
    """A new draft, copied from the latest published version; blocks stay shared by reference
    (a frozen block is revised only when the draft first edits it)."""
    qualification = Qualification.objects.select_for_update().get(pk=qualification.pk)
    if qualification.versions.filter(state=VersionState.DRAFT).exists():
        raise ValidationError(
            _("Une version brouillon existe déjà : modifiez-la ou publiez-la d'abord."), code="draft_exists"
        )
    source = qualification.latest_published()
    if source is None:
        raise ValidationError(_("Aucune version publiée dont partir."), code="nothing_published")
    number = (qualification.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    draft = QualificationVersion.objects.create(
        qualification=qualification,
        number=number,
        state=VersionState.DRAFT,
        title=source.title,
        target_jobs=list(source.target_jobs),
        based_on=source,
        certification=source.certification,
        fiche_code=source.fiche_code,
    )
    activity_map: dict[int, Activity] = {}
    for activity in source.activities.prefetch_related("work_situations"):
        copy = Activity.objects.create(
            version=draft,
            code=activity.code,
            title=activity.title,
            description=activity.description,
            order=activity.order,
        )
        activity_map[activity.pk] = copy
        for situation in activity.work_situations.all():
            WorkSituation.objects.create(
                activity=copy, title=situation.title, description=situation.description, order=situation.order
            )
    for link in source.version_blocks.prefetch_related("activities"):
        new_link = VersionBlock.objects.create(version=draft, block=link.block, order=link.order)
        new_link.activities.set([activity_map[a.pk] for a in link.activities.all()])
    record(
        actor, "new_version", draft, qualification=qualification, changes={"based_on": [None, source.number]}
    )
    return draft
