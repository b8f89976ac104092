"""The exchange tab: JSON / XLSX export and import of a version, the XLSX template, the PDF booklet."""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cqphub.orgs import uploads
from cqphub.orgs.permissions import backoffice_view
from cqphub.qualifications import forms, services, versions_diff
from cqphub.qualifications.exchange import document as exchange_document
from cqphub.qualifications.exchange import xlsx
from cqphub.qualifications.models import QualificationVersion
from cqphub.qualifications.views.common import (
    CHANGE,
    INTERNAL,
    _qualification,
    _version,
    _version_url,
)


@backoffice_view
def exchange_view(request, pk: int):
    """Exports, and the import into the draft in two steps: the file's preview, then its confirmation."""
    qualification = _qualification(request, pk, INTERNAL)
    draft = qualification.draft()
    can_import = draft is not None and request.user.has_perm(CHANGE, qualification)
    form = forms.ImportForm(request.POST or None, request.FILES or None) if can_import else None
    report: list[str] = []
    if request.method == "POST":
        if not can_import:
            raise Http404
        if form.is_valid():
            document, report = _parse_upload(form.cleaned_data["file"])
            if not report:
                return _preview(request, qualification, draft, document)
        elif request.POST.get("confirm"):
            form = forms.ImportForm()
            report = _confirmed_import(request, draft)
            if not report:
                messages.success(
                    request, _("Référentiels importés dans la version %(number)s.") % {"number": draft.number}
                )
                return redirect(_version_url(draft))
    return render(
        request,
        "qualifications/exchange.html",
        {
            "qualification": qualification,
            "versions": qualification.versions.order_by("-number"),
            "draft": draft,
            "form": form,
            "report": report,
            "section": "exchange",
        },
        status=400 if report else 200,
    )


def _parse_upload(upload) -> tuple[dict | None, list[str]]:
    """The frameworks document of an uploaded JSON or XLSX file, and its problems."""
    data = upload.read()
    if upload.safe.kind == uploads.JSON:
        return exchange_document.parse_json(data)
    document, row_errors = xlsx.read_workbook(data)
    return document, [str(e) for e in row_errors]


def _preview(request, qualification, draft: QualificationVersion, document: dict):
    """Step 1: what the import changes in the draft; nothing is written yet (the document waits in the
    session under a token the confirmation sends back)."""
    token = uuid.uuid4().hex
    request.session[_import_key(draft)] = {"token": token, "document": document}
    changes = versions_diff.compare(exchange_document.build_document(draft), document)
    return render(
        request,
        "qualifications/exchange_preview.html",
        {
            "qualification": qualification,
            "draft": draft,
            "changes": changes[:300],
            "more": max(0, len(changes) - 300),
            "summary": versions_diff.summary(changes),
            "token": token,
            "section": "exchange",
        },
    )


def _confirmed_import(request, draft: QualificationVersion) -> list[str]:
    """Step 2: the previewed document imported; what went wrong ([] when imported)."""
    stored = request.session.pop(_import_key(draft), None)
    if not stored or stored.get("token") != request.POST["confirm"]:
        return [_("L'aperçu a expiré : envoyez le fichier à nouveau.")]
    try:
        services.import_frameworks(actor=request.user, version=draft, document=stored["document"])
    except ValidationError as error:
        return error.messages
    return []


def _import_key(draft: QualificationVersion) -> str:
    return f"frameworks_import_{draft.pk}"


def _filename(version: QualificationVersion, extension: str) -> str:
    return f"{slugify(version.qualification.title)[:60]}-v{version.number}.{extension}"


@backoffice_view
def export_json(request, pk: int, number: int):
    version = _version(request, pk, number)
    body = json.dumps(exchange_document.build_document(version), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(version, "json")}"'
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@backoffice_view
def export_xlsx(request, pk: int, number: int):
    version = _version(request, pk, number)
    response = HttpResponse(
        xlsx.write_workbook(exchange_document.build_document(version)), content_type=XLSX_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(version, "xlsx")}"'
    return response


@backoffice_view
def template_xlsx(request):
    response = HttpResponse(xlsx.template_workbook(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="modele-referentiels-cqphub.xlsx"'
    return response


@backoffice_view
def booklet(request, pk: int, number: int):
    from cqphub.qualifications.booklet import booklet_pdf

    version = _version(request, pk, number)
    response = HttpResponse(booklet_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(version, "pdf")}"'
    return response
