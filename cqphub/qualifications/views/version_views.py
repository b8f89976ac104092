"""Versions: publishing a draft, starting a new version, comparing two versions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cqphub.orgs.permissions import backoffice_view
from cqphub.qualifications import services, versions_diff
from cqphub.qualifications.exchange import document as exchange_document
from cqphub.qualifications.views.common import (
    CHANGE,
    _draft,
    _qualification,
    _version_url,
    _visible_versions,
)
from cqphub.ui.responses import form_status


@backoffice_view
def version_publish(request, pk: int, number: int):
    version = _draft(request, pk, number)
    problems = services.completeness_problems(version)
    if request.method == "POST":
        try:
            services.publish_version(actor=request.user, version=version)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                _("Version %(number)s publiée : elle est désormais figée.") % {"number": version.number},
            )
            return redirect(_version_url(version))
    return render(
        request,
        "qualifications/publish.html",
        {
            "qualification": version.qualification,
            "version": version,
            "problems": problems,
            "section": "frameworks",
        },
        status=form_status(request),
    )


@backoffice_view
@require_POST
def version_new(request, pk: int):
    qualification = _qualification(request, pk, CHANGE)
    try:
        draft = services.start_new_version(actor=request.user, qualification=qualification)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(qualification.get_absolute_url())
    messages.success(request, _("Version %(number)s créée en brouillon.") % {"number": draft.number})
    return redirect(_version_url(draft))


@backoffice_view
def version_compare(request, pk: int):
    qualification = _qualification(request, pk)
    versions = list(_visible_versions(request.user, qualification).order_by("number"))
    if len(versions) < 2:
        messages.info(request, _("Il faut au moins deux versions pour comparer."))
        return redirect(qualification.get_absolute_url())
    by_number = {v.number: v for v in versions}

    def pick(name, default):
        try:
            return by_number[int(request.GET.get(name, default))]
        except (KeyError, ValueError):
            raise Http404

    a, b = pick("a", versions[-2].number), pick("b", versions[-1].number)
    doc_a, doc_b = exchange_document.build_document(a), exchange_document.build_document(b)
    changes = versions_diff.compare(doc_a, doc_b)
    return render(
        request,
        "qualifications/compare.html",
        {
            "qualification": qualification,
            "versions": versions,
            "a": a,
            "b": b,
            "changes": changes,
            "summary": versions_diff.summary(changes),
            "section": "versions",
        },
    )
