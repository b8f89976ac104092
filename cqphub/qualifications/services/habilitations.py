"""Habilitation agreements (R. 6113-16 to R. 6113-16-6): create, suspend, and the check other apps
call before recording something a habilitation must allow (e.g. an assessment session)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cqphub.orgs import audit
from cqphub.qualifications.enums import HabilitationScope, HabilitationState
from cqphub.qualifications.models import Habilitation, Qualification, SkillBlock
from cqphub.qualifications.services._common import record


@transaction.atomic
def create_habilitation(
    *, actor, centre, qualification: Qualification, scope: str, valid_from: date, valid_until: date, blocks=()
) -> Habilitation:
    habilitation = Habilitation(
        centre=centre,
        qualification=qualification,
        scope=scope,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    habilitation.full_clean()
    habilitation.save()
    blocks = list(blocks)
    allowed = set(
        SkillBlock.objects.filter(version_blocks__version__qualification=qualification).values_list(
            "pk", flat=True
        )
    )
    stray = [b.code for b in blocks if b.pk not in allowed]
    if stray:
        raise ValidationError(
            {
                "blocks": _("Bloc(s) étranger(s) à cette qualification : %(codes)s.")
                % {"codes": ", ".join(stray)}
            }
        )
    habilitation.blocks.set(blocks)
    record(
        actor,
        "create",
        habilitation,
        qualification=qualification,
        centre=centre,
        changes=audit.diff({}, audit.snapshot(habilitation)),
    )
    return habilitation


@transaction.atomic
def suspend_habilitation(*, actor, habilitation: Habilitation, reason: str) -> Habilitation:
    """Suspend (R. 6113-16-6); France compétences is to be told within 2 months (R. 6113-16-5)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif de la suspension.")})
    if habilitation.state == HabilitationState.SUSPENDED:
        raise ValidationError(_("Cette habilitation est déjà suspendue."))
    if habilitation.state_on() == HabilitationState.EXPIRED:
        raise ValidationError(
            _("Cette habilitation est échue depuis le %(date)s : il n'y a rien à suspendre.")
            % {"date": habilitation.valid_until.strftime("%d/%m/%Y")}
        )
    habilitation.state = HabilitationState.SUSPENDED
    habilitation.suspension_reason = reason.strip()
    habilitation.suspended_at = timezone.now()
    habilitation.save()
    record(
        actor,
        "suspend",
        habilitation,
        qualification=habilitation.qualification,
        centre=habilitation.centre,
        changes={
            "state": ["active", "suspended"],
            "suspension_reason": [None, habilitation.suspension_reason],
        },
    )
    return habilitation


@transaction.atomic
def lift_suspension(*, actor, habilitation: Habilitation) -> Habilitation:
    if habilitation.state != HabilitationState.SUSPENDED:
        raise ValidationError(_("Cette habilitation n'est pas suspendue."))
    habilitation.state, habilitation.suspended_at, habilitation.suspension_reason = (
        HabilitationState.ACTIVE,
        None,
        "",
    )
    habilitation.save()
    record(
        actor,
        "lift_suspension",
        habilitation,
        qualification=habilitation.qualification,
        centre=habilitation.centre,
    )
    return habilitation


def require_habilitation(
    *, centre, qualification: Qualification, action: str, on: date, block=None
) -> Habilitation:
    """The habilitation that allows `centre` to `action` on `on` (for `block`), or ValidationError.

    Other apps call it before writing, e.g. the assessment app before recording a new session.
    """
    candidates = list(
        Habilitation.objects.filter(centre=centre, qualification=qualification).prefetch_related("blocks")
    )
    for habilitation in candidates:
        if habilitation.allows(action, on, block):
            return habilitation
    verb = _("former") if action == HabilitationScope.TRAIN else _("évaluer")
    states = ", ".join(
        f"{h.valid_from:%d/%m/%Y}–{h.valid_until:%d/%m/%Y} : {h.state_on(on)}" for h in candidates
    )
    raise ValidationError(
        _(
            "Le centre « %(centre)s » n'est pas habilité à %(verb)s pour « %(qualification)s » au %(on)s%(block)s%(states)s."
        )
        % {
            "centre": centre,
            "verb": verb,
            "qualification": qualification,
            "on": on.strftime("%d/%m/%Y"),
            "block": f" (bloc {block.code})" if block is not None else "",
            "states": f" — habilitations : {states}" if states else _(" — aucune habilitation."),
        },
        code="not_habilitated",
    )
