"""Panels shown on the back-office dashboard and centre pages (registered in apps.ready)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cqphub.orgs.models import BRANCH_STAFF_ROLES
from cqphub.orgs.selectors import branches_of
from cqphub.qualifications.models import Habilitation, QualificationVersion
from cqphub.qualifications.selectors import branch_qualifications, due_within, habilitations_for_centre_staff


def _staff_qualifications(user):
    """The qualifications the user writes and maintains (branch admins and certification officers)."""
    if user.is_superuser:
        return branch_qualifications(user)
    return branch_qualifications(user).filter(committee__branches__in=branches_of(user, BRANCH_STAFF_ROLES))


def work_panel(request):
    """What this person has to do, with counts: first on the dashboard.

    Branch staff: qualifications, drafts to finish, active habilitations, deadlines within 90 days, and the
    next step. Centre staff: the qualifications their centre is habilitated for, with their frameworks.
    """
    user = request.user
    qualifications = _staff_qualifications(user).distinct()
    centre_habilitations = list(
        habilitations_for_centre_staff(user).order_by("qualification__title", "-valid_until")
    )
    if (
        not qualifications.exists()
        and not centre_habilitations
        and not branches_of(user, BRANCH_STAFF_ROLES).exists()
    ):
        return None
    today = timezone.localdate()
    context = {"centre_habilitations": centre_habilitations, "staff": False}
    if qualifications.exists() or branches_of(user, BRANCH_STAFF_ROLES).exists():
        drafts = (
            QualificationVersion.objects.filter(qualification__in=qualifications, state="draft")
            .select_related("qualification")
            .order_by("qualification__title", "number")
        )
        due = [item for item in due_within(user, days=90, today=today)]
        context.update(
            staff=True,
            qualification_count=qualifications.count(),
            drafts=list(drafts[:5]),
            draft_count=drafts.count(),
            active_habilitations=Habilitation.objects.filter(
                qualification__in=qualifications,
                valid_from__lte=today,
                valid_until__gte=today,
                state="active",
            ).count(),
            expiring=Habilitation.objects.filter(
                qualification__in=qualifications,
                valid_until__gte=today,
                valid_until__lte=today + timedelta(days=180),
            ).count(),
            due_count=len(due),
            overdue_count=sum(1 for item in due if item.overdue),
            can_create=user.is_superuser
            or branches_of(user, ["branch_admin", "certification_officer"]).exists(),
        )
    return "qualifications/_work_panel.html", context


def due_panel(request):
    """The deadlines of the qualifications the user maintains (not shown to jury members)."""
    if not _staff_qualifications(request.user).exists():
        return None
    return "qualifications/_due_panel.html", {"due": due_within(request.user, days=365)}


def centre_panel(request, centre):
    habilitations = (
        Habilitation.objects.filter(centre=centre).select_related("qualification").prefetch_related("blocks")
    )
    visible = [h for h in habilitations if request.user.has_perm("qualifications.view_habilitation", h)]
    if not visible:
        return None
    return "qualifications/_centre_habilitations.html", {"habilitations": visible, "centre": centre}
