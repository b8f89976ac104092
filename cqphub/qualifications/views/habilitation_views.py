"""Habilitations: a qualification's tab (grant, suspend, lift) and a centre's own habilitations."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cqphub.orgs.permissions import backoffice_view, get_object_for_user_or_404
from cqphub.qualifications import forms, selectors, services
from cqphub.qualifications.models import Habilitation, SkillBlock
from cqphub.qualifications.views.common import (
    _form_page,
    _qualification,
    _submit,
)
from cqphub.ui.responses import form_status


@backoffice_view
def habilitations_view(request, pk: int):
    qualification = _qualification(request, pk, "qualifications.view_habilitations")
    can_manage = request.user.has_perm("qualifications.manage_habilitations", qualification)
    blocks = (
        SkillBlock.objects.filter(version_blocks__version__qualification=qualification)
        .distinct()
        .order_by("code", "revision")
    )
    form = forms.HabilitationForm(request.POST or None, blocks=blocks) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise Http404

        def grant(data):
            services.create_habilitation(actor=request.user, qualification=qualification, **data)

        target = reverse("qualifications:habilitations", kwargs={"pk": pk})
        done = _submit(request, form, grant, success=_("Habilitation enregistrée."), target=target)
        if done:
            return done
    habilitations = qualification.habilitations.select_related("centre").prefetch_related("blocks")
    return render(
        request,
        "qualifications/habilitations.html",
        {
            "qualification": qualification,
            "habilitations": habilitations,
            "form": form,
            "can_manage": can_manage,
            "today": timezone.localdate(),
            "section": "habilitations",
        },
        status=form_status(request),
    )


@backoffice_view
def habilitation_suspend(request, pk: int, habilitation_id: int):
    qualification = _qualification(request, pk, "qualifications.manage_habilitations")
    habilitation = get_object_or_404(qualification.habilitations, pk=habilitation_id)
    form = forms.SuspendForm(request.POST or None)

    def suspend(data):
        services.suspend_habilitation(actor=request.user, habilitation=habilitation, reason=data["reason"])
        return reverse("qualifications:habilitations", kwargs={"pk": pk})

    return _form_page(
        request,
        form=form,
        title=_("Suspendre l'habilitation de %(centre)s") % {"centre": habilitation.centre},
        back=reverse("qualifications:habilitations", kwargs={"pk": pk}),
        on_valid=suspend,
        context={
            "intro": _(
                "La suspension prend effet immédiatement ; France compétences doit en être informée dans les 2 mois (R. 6113-16-5)."
            )
        },
        success=_("Habilitation suspendue."),
    )


@backoffice_view
@require_POST
def habilitation_lift(request, pk: int, habilitation_id: int):
    qualification = _qualification(request, pk, "qualifications.manage_habilitations")
    habilitation = get_object_or_404(qualification.habilitations, pk=habilitation_id)
    try:
        services.lift_suspension(actor=request.user, habilitation=habilitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Suspension levée."))
    return redirect("qualifications:habilitations", pk=pk)


@backoffice_view
def my_habilitations(request):
    """A centre's staff see their own centre's habilitations (and nothing else)."""
    habilitations = selectors.habilitations_for_centre_staff(request.user).prefetch_related("blocks")
    return render(
        request,
        "qualifications/my_habilitations.html",
        {"habilitations": habilitations, "today": date.today()},
    )


@backoffice_view
def habilitation_detail(request, habilitation_id: int):
    habilitation = get_object_for_user_or_404(
        request.user,
        Habilitation.objects.select_related("centre", "qualification"),
        "qualifications.view_habilitation",
        pk=habilitation_id,
    )
    return render(
        request, "qualifications/habilitation.html", {"habilitation": habilitation, "today": date.today()}
    )
