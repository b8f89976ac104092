"""The qualification list, creating a qualification, and its overview tab."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cqphub.orgs.permissions import backoffice_view
from cqphub.qualifications import forms, lifecycle, selectors, services
from cqphub.qualifications.views.common import (
    CHANGE,
    INTERNAL,
    _committees_for,
    _form_page,
    _qualification,
    _state_label,
    _visible_versions,
)


@backoffice_view
def qualification_list(request):
    qualifications = (
        selectors.branch_qualifications(request.user).select_related("committee").order_by("title")
    )
    return render(
        request,
        "qualifications/list.html",
        {
            "qualifications": qualifications,
            "can_add": request.user.has_perm("qualifications.add_qualification"),
            "own_habilitations": selectors.habilitations_for_centre_staff(request.user).exists(),
        },
    )


@backoffice_view
def qualification_create(request):
    if not request.user.has_perm("qualifications.add_qualification"):
        raise Http404
    form = forms.QualificationCreateForm(request.POST or None, committees=_committees_for(request.user))

    def create(data):
        qualification = services.create_qualification(actor=request.user, **data)
        return qualification.get_absolute_url()

    return _form_page(
        request,
        form=form,
        title=_("Nouvelle qualification"),
        back=reverse("qualifications:list"),
        on_valid=create,
        success=_("Qualification créée, avec une première version en brouillon."),
    )


@backoffice_view
def qualification_detail(request, pk: int):
    qualification = _qualification(request, pk)
    today = timezone.localdate()
    snapshot = qualification.snapshot()
    return render(
        request,
        "qualifications/detail.html",
        {
            "qualification": qualification,
            "versions": _visible_versions(request.user, qualification).order_by("-number"),
            "draft": qualification.draft() if request.user.has_perm(INTERNAL, qualification) else None,
            "published": qualification.latest_published(),
            "state": lifecycle.display_state(snapshot, today),
            "state_label": _state_label(lifecycle.display_state(snapshot, today)),
            "due": lifecycle.next_due(snapshot, today),
            "today": today,
            "findings": selectors.findings_for(qualification, get_language() or "fr", today),
            "branches": qualification.owning_branches(),
            "can_change": request.user.has_perm(CHANGE, qualification),
            "section": "overview",
        },
    )
