"""Read queries of the qualifications app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cqphub.orgs.models import CENTRE_ROLES, Membership
from cqphub.orgs.selectors import branches_of
from cqphub.qualifications import lifecycle
from cqphub.qualifications.enums import HabilitationState
from cqphub.qualifications.models import Habilitation, Qualification, QualificationVersion, SkillBlock
from cqphub.rules.engine import general_findings
from cqphub.rules.facts import CertificationFacts


def branch_qualifications(user) -> QuerySet[Qualification]:
    """Qualifications of the branches the user belongs to (the back-office list)."""
    return Qualification.objects.filter(committee__branches__in=branches_of(user)).distinct()


def habilitations_for_centre_staff(user) -> QuerySet[Habilitation]:
    centres = (
        Membership.objects.active()
        .filter(user=user, role__in=[str(r) for r in CENTRE_ROLES])
        .values("centre")
    )
    return Habilitation.objects.filter(centre__in=centres).select_related("centre", "qualification")


def shareable_blocks(user, version: QualificationVersion) -> QuerySet[SkillBlock]:
    """Blocks of the user's branches' other qualifications that the draft could reference."""
    qualifications = branch_qualifications(user).exclude(pk=version.qualification_id)
    return (
        SkillBlock.objects.filter(version_blocks__version__qualification__in=qualifications)
        .exclude(code__in=version.version_blocks.values("block__code"))
        .distinct()
        .order_by("code", "revision")
    )


def qualifications_counting_block(block: SkillBlock) -> QuerySet[Qualification]:
    """Every qualification a validated block counts for: those whose published versions reference it."""
    return Qualification.objects.filter(
        versions__version_blocks__block=block, versions__state="published"
    ).distinct()


def block_sharing(block: SkillBlock, version: QualificationVersion) -> dict | None:
    """What editing `block` in this draft touches, for the warning shown before: None when nothing else
    uses it. `others`: the other qualifications whose versions hold this very block; `frozen`: a published
    version holds it, so the edit makes a new revision for this draft only."""
    others = list(
        Qualification.objects.filter(versions__version_blocks__block=block)
        .exclude(pk=version.qualification_id)
        .distinct()
        .order_by("title")
    )
    if not others and not block.frozen:
        return None
    return {"block": block, "others": others, "frozen": block.frozen, "next_revision": block.revision + 1}


def blocks_covered(qualification: Qualification, validated_blocks) -> list[SkillBlock]:
    """The blocks of the qualification's current version already validated (by any qualification)."""
    version = qualification.current_version()
    if version is None:
        return []
    validated = {b.pk for b in validated_blocks}
    return [block for block in version.ordered_blocks() if block.pk in validated]


@dataclass(frozen=True)
class DueItem:
    qualification: Qualification | None
    habilitation: Habilitation | None
    label: str
    due_on: date | None
    citation: str

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.due_on < timezone.localdate()


def due_for(qualification: Qualification, today: date | None = None) -> list[lifecycle.Due]:
    return lifecycle.next_due(qualification.snapshot(), today or timezone.localdate())


def due_within(user, days: int = 365, today: date | None = None) -> list[DueItem]:
    """What falls due within `days` for the qualifications of the user's branches (overdue included):
    renewal requests, ends of registration, ends of habilitations, notices of suspensions."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=days)
    items: list[DueItem] = []
    qualifications = branch_qualifications(user).prefetch_related("events")
    for qualification in qualifications:
        for due in lifecycle.next_due(qualification.snapshot(), today):
            if due.due_on is not None and due.due_on <= horizon:
                items.append(DueItem(qualification, None, due.label, due.due_on, due.citation))
    habilitations = Habilitation.objects.filter(qualification__in=qualifications).select_related(
        "centre", "qualification"
    )
    for habilitation in habilitations:
        if habilitation.state == HabilitationState.ACTIVE and today <= habilitation.valid_until <= horizon:
            items.append(
                DueItem(
                    habilitation.qualification,
                    habilitation,
                    f"Fin de l'habilitation de {habilitation.centre}",
                    habilitation.valid_until,
                    "R. 6113-16-2 : durée de validité de la convention d'habilitation",
                )
            )
        if habilitation.state == HabilitationState.SUSPENDED and habilitation.suspended_at:
            notice = lifecycle.add_months(timezone.localtime(habilitation.suspended_at).date(), 2)
            if notice >= today:
                items.append(
                    DueItem(
                        habilitation.qualification,
                        habilitation,
                        f"Informer France compétences de la suspension de {habilitation.centre}",
                        notice,
                        "R. 6113-16-5 : toute modification des habilitations dans les 2 mois",
                    )
                )
    return sorted(items, key=lambda item: item.due_on or date.max)


def certification_facts(qualification: Qualification):
    """Facts for the rules engine (cqphub.rules.facts.CertificationFacts), or None when they are invalid."""
    certification = qualification.certification
    data = {
        "kind": qualification.kind,
        # `register` is set as soon as registration is requested: only a registration in effect counts
        "register": (qualification.register or None) if qualification.registered_from else None,
        "code": qualification.fiche_code or None,
        "title": qualification.title,
        "registered_from": qualification.registered_from,
        "registered_until": qualification.registered_until,
        "level": qualification.level,
        "transmitted": bool(qualification.transmitted_fc_on and qualification.transmitted_cdc_on),
        "idcc": list(qualification.idcc_codes),
    }
    if certification is not None:
        data["vae_route"] = certification.route_vae
        if certification.partial_validation is not None:
            data["partial_validation"] = certification.partial_validation
    try:
        return CertificationFacts.from_dict(data, where=f"qualification {qualification.pk}")
    except (TypeError, ValueError):
        return None


def findings_for(
    qualification: Qualification, language: str = "fr", on: date | None = None
) -> list[dict] | None:
    """What the qualification opens (the rules engine's general findings), or None without valid facts."""
    facts = certification_facts(qualification)
    if facts is None:
        return None
    return [
        {
            "id": finding.id,
            "outcome": getattr(finding.outcome, "value", str(finding.outcome)),
            "text": finding.text(language),
            "citations": [c.ref for c in finding.citations],
        }
        for finding in general_findings(facts, on or timezone.localdate())
    ]


def registry_differences(qualification: Qualification) -> list[dict]:
    """Where the branch's version and the published fiche differ (title, blocks, level, dates)."""
    certification = qualification.certification
    version = qualification.latest_published() or qualification.draft()
    if certification is None or version is None:
        return []
    rows = []

    def add(label, ours, theirs):
        rows.append({"label": label, "ours": ours, "theirs": theirs, "same": (ours or "") == (theirs or "")})

    add(_("Intitulé"), version.title, certification.title)
    add(_("Niveau"), qualification.level, certification.level)
    add(_("Début d'enregistrement"), qualification.registered_from, certification.effect_date)
    add(_("Fin d'enregistrement"), qualification.registered_until, certification.end_date)
    ours = {b.code: b.title for b in version.ordered_blocks()}
    theirs = {b.code: b.title for b in certification.blocks.all()}
    for code in sorted(set(ours) | set(theirs)):
        add(_("Bloc %(code)s") % {"code": code}, ours.get(code), theirs.get(code))
    return rows
