"""The registry tab (link to a France compétences fiche, differences) and starting a qualification
from a fiche."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cqphub.orgs.permissions import backoffice_view
from cqphub.qualifications import forms, selectors, services
from cqphub.qualifications.views.common import (
    CHANGE,
    INTERNAL,
    _committees_for,
    _qualification,
)
from cqphub.ui.responses import form_status


@backoffice_view
def registry_view(request, pk: int):
    qualification = _qualification(request, pk, INTERNAL)
    form = None
    if request.user.has_perm(CHANGE, qualification):
        form = forms.FicheCodeForm(request.POST or None, initial={"fiche_code": qualification.fiche_code})
        if request.method == "POST":
            if request.POST.get("unlink"):
                services.link_certification(
                    actor=request.user, qualification=qualification, certification=None
                )
                messages.success(request, _("Lien avec la fiche retiré."))
                return redirect("qualifications:registry", pk=pk)
            if form.is_valid():
                services.link_certification(
                    actor=request.user, qualification=qualification, certification=form.certification
                )
                messages.success(
                    request,
                    _("Qualification reliée à la fiche %(code)s.") % {"code": form.certification.code},
                )
                return redirect("qualifications:registry", pk=pk)
    elif request.method == "POST":
        raise Http404
    qualification.refresh_from_db()
    return render(
        request,
        "qualifications/registry.html",
        {
            "qualification": qualification,
            "form": form,
            "differences": selectors.registry_differences(qualification),
            "section": "registry",
        },
        status=form_status(request),
    )


@backoffice_view
def fiche_start(request):
    """Start a qualification from a registry fiche: choose, review the proposed statements, save."""
    if not request.user.has_perm("qualifications.add_qualification"):
        raise Http404
    committees = _committees_for(request.user)
    start = forms.FicheStartForm(request.POST or None, committees=committees)
    if request.method != "POST" or not start.is_valid():
        return render(
            request,
            "qualifications/fiche_start.html",
            {"form": start},
            status=form_status(request),
        )
    certification = start.certification
    proposals = services.propose_from_fiche(certification)
    if request.POST.get("step") != "save":
        formsets = [
            forms.ReviewFormSet(prefix=f"b{i}", initial=[{"statement": s} for s in proposal.statements])
            for i, proposal in enumerate(proposals)
        ]
        return _review_page(request, start, certification, proposals, formsets)
    formsets = [forms.ReviewFormSet(request.POST, prefix=f"b{i}") for i in range(len(proposals))]
    if not all(formset.is_valid() for formset in formsets):
        return _review_page(request, start, certification, proposals, formsets, status=400)
    reviewed = []
    for proposal, formset in zip(proposals, formsets, strict=True):
        statements = [
            f.cleaned_data["statement"]
            for f in formset.forms
            if f.cleaned_data
            and not f.cleaned_data.get("DELETE")
            and f.cleaned_data.get("statement", "").strip()
        ]
        reviewed.append({"code": proposal.code, "title": proposal.title, "statements": statements})
    data = start.cleaned_data
    qualification = services.create_from_fiche(
        actor=request.user,
        certification=certification,
        kind=data["kind"],
        committee=data["committee"],
        ip_holder=data["ip_holder"],
        creation_decision_date=data["creation_decision_date"],
        reviewed_blocks=reviewed,
    )
    messages.success(
        request,
        _("Qualification créée depuis la fiche %(code)s, avec les énoncés relus.")
        % {"code": certification.code},
    )
    return redirect(qualification.get_absolute_url())


def _review_page(request, start, certification, proposals, formsets, *, status: int = 200):
    """The review step of `fiche_start`: the proposed statements of each block, to correct."""
    return render(
        request,
        "qualifications/fiche_review.html",
        {
            "form": start,
            "certification": certification,
            "blocks": list(zip(proposals, formsets, strict=True)),
        },
        status=status,
    )
