"""Checks the juries app adds to lower apps' use cases (registered in `apps.ready`)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cqphub.juries.models import Decision


def refuse_correction_after_decision(grid) -> None:
    """Once the jury decided on a block, the grid is no longer corrected: the decision is (R. 6412-7)."""
    if Decision.objects.filter(candidacy_id=grid.candidacy_id, block_id=grid.block_id).exists():
        raise ValidationError(
            _("Le jury a statué sur ce bloc : une correction passe par une rectification de sa décision."),
            code="decided",
        )


def refuse_scoring_by_excused_member(user, grid) -> None:
    """A jury member excused for a candidate (D. 6412-6) does not assess them either."""
    from cqphub.juries.models import Excusal

    if grid.session.kind != "jury":
        return
    if Excusal.objects.filter(
        session__assessment_id=grid.session_id, entry__candidacy_id=grid.candidacy_id, member__user=user
    ).exists():
        raise ValidationError(
            _("Vous êtes déporté(e) pour ce candidat : vous ne l'évaluez pas (D. 6412-6)."), code="excused"
        )
