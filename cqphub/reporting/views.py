"""Pages of the reporting app: holder report per certifier, its files and answers, statistics."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cqphub.orgs.models import CertifierEntity
from cqphub.orgs.permissions import backoffice_view, get_object_for_user_or_404
from cqphub.reporting import dashboard, selectors, services, stats
from cqphub.reporting.exports import csv_response
from cqphub.reporting.forms import ROUTE_LABELS, BuildForm, CdcAccountForm, ReasonForm, StatsFilterForm
from cqphub.reporting.models import (
    URGENCY_LABELS,
    URGENCY_TONES,
    CdcAccount,
    HolderReportEntry,
    HolderReportFile,
)
from cqphub.reporting.states import Urgency

MANAGE = "reporting.manage_holder_report"


def _certifier(request, siret: str) -> CertifierEntity:
    return get_object_for_user_or_404(request.user, CertifierEntity, MANAGE, siret=siret)


def _file(request, pk: int) -> HolderReportFile:
    report = get_object_or_404(HolderReportFile.objects.select_related("certifier"), pk=pk)
    if not request.user.has_perm(MANAGE, report.certifier):
        raise Http404("No such file.")
    return report


@backoffice_view
def index(request):
    today = timezone.localdate()
    rows = []
    for certifier in selectors.certifiers_for(request.user).order_by("name"):
        counts = selectors.urgency_counts(certifier, today)
        rows.append({"certifier": certifier, "counts": counts})
    if not rows and not request.user.is_superuser:
        raise Http404("No holder report for this account.")
    return render(
        request,
        "reporting/index.html",
        {
            "rows": rows,
            "urgencies": [(u, URGENCY_LABELS[u], URGENCY_TONES[u]) for u in Urgency],
            "schema": services.schema_path(),
        },
    )


@backoffice_view
def certifier_report(request, siret: str):
    certifier = _certifier(request, siret)
    today = timezone.localdate()
    urgency = request.GET.get("etat") or ""
    if urgency not in {u.value for u in Urgency}:
        urgency = ""
    account = CdcAccount.objects.filter(certifier=certifier).first()
    preview = services.preview(certifier)
    entries = selectors.todo(certifier, today, urgency or None)[:200]
    return render(
        request,
        "reporting/certifier.html",
        {
            "certifier": certifier,
            "account": account,
            "counts": selectors.urgency_counts(certifier, today),
            "urgencies": [(u, URGENCY_LABELS[u], URGENCY_TONES[u]) for u in Urgency],
            "urgency": urgency,
            "entries": [
                (e, e.due_on < today and e.state not in ("in_file", "accepted", "withdrawn")) for e in entries
            ],
            "files": selectors.files(certifier)[:50],
            "preview": preview,
            "unregistered": selectors.unregistered_awards(certifier),
            "partial": selectors.partial_awards(certifier),
            "schema": services.schema_path(),
            "build_form": BuildForm(),
            "today": today,
        },
    )


@backoffice_view
def cdc_account(request, siret: str):
    certifier = _certifier(request, siret)
    account = CdcAccount.objects.filter(certifier=certifier).first()
    form = CdcAccountForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        services.save_cdc_account(certifier=certifier, by=request.user, **form.cleaned_data)
        messages.success(request, _("Identifiants de la Caisse des dépôts enregistrés."))
        return redirect("reporting:certifier", siret=certifier.siret)
    return render(request, "reporting/account.html", {"certifier": certifier, "form": form})


@backoffice_view
@require_POST
def build(request, siret: str):
    certifier = _certifier(request, siret)
    form = BuildForm(request.POST)
    since = form.cleaned_data.get("since") if form.is_valid() else None
    report, result = services.build_file(certifier, by=request.user, since=since)
    if report is None:
        messages.warning(request, _("Aucune certification à déclarer : rien n'a été produit."))
        return redirect("reporting:certifier", siret=certifier.siret)
    if report.errors:
        messages.error(
            request,
            _("Le fichier n° %(n)s n'est pas valide : il n'est pas proposé au dépôt.") % {"n": report.number},
        )
    elif not report.validated:
        messages.warning(
            request,
            _("Fichier n° %(n)s produit, NON validé : aucun schéma XSD n'est configuré.")
            % {"n": report.number},
        )
    else:
        messages.success(
            request,
            _("Fichier n° %(n)s produit et validé par le schéma de la Caisse des dépôts.")
            % {"n": report.number},
        )
    return redirect("reporting:file", pk=report.pk)


@backoffice_view
def file_detail(request, pk: int):
    report = _file(request, pk)
    entries = report.entries.select_related("award__candidate", "qualification").order_by("pk")
    return render(
        request,
        "reporting/file.html",
        {
            "report": report,
            "certifier": report.certifier,
            "entries": entries,
            "schema": services.schema_path(),
        },
    )


@backoffice_view
def file_download(request, pk: int):
    report = _file(request, pk)
    if report.errors or not report.content:
        raise Http404("This file did not pass the schema and is not offered.")
    response = FileResponse(
        report.content.open("rb"),
        content_type="application/xml",
        as_attachment=True,
        filename=report.filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@backoffice_view
def file_answer(request, pk: int):
    """The CDC's answer: every entry accepted, except those given a rejection reason."""
    report = _file(request, pk)
    pending = list(report.entries.filter(state="in_file").select_related("award__candidate", "qualification"))
    errors = {}
    if request.method == "POST":
        rejected = {}
        for entry in pending:
            reason = (request.POST.get(f"reject-{entry.pk}") or "").strip()
            if len(reason) > 2000:
                errors[entry.pk] = _("2 000 caractères au plus.")
            elif reason:
                rejected[entry.pk] = reason
        if not errors:
            services.record_answer(report, rejected=rejected, by=request.user)
            messages.success(
                request,
                _("Réponse enregistrée : %(a)s acceptée(s), %(r)s rejetée(s).")
                % {"a": len(pending) - len(rejected), "r": len(rejected)},
            )
            return redirect("reporting:file", pk=report.pk)
    return render(
        request,
        "reporting/answer.html",
        {"report": report, "certifier": report.certifier, "pending": pending, "errors": errors},
    )


@backoffice_view
def file_discard(request, pk: int):
    report = _file(request, pk)
    if request.method == "POST":
        services.discard_file(report, by=request.user)
        messages.success(
            request,
            _("Fichier n° %(n)s abandonné : ses certifications sont de nouveau à déclarer.")
            % {"n": report.number},
        )
        return redirect("reporting:certifier", siret=report.certifier.siret)
    return render(request, "reporting/discard.html", {"report": report, "certifier": report.certifier})


@backoffice_view
def entry_correct(request, pk: int):
    entry = get_object_or_404(
        HolderReportEntry.objects.select_related("certifier", "award__candidate"), pk=pk
    )
    if not request.user.has_perm(MANAGE, entry.certifier):
        raise Http404("No such entry.")
    if entry.state not in ("rejected", "accepted"):
        raise Http404("Nothing to correct.")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.correct_entry(entry, reason=form.cleaned_data["reason"], by=request.user)
        messages.success(
            request, _("Correction enregistrée : la certification partira dans le prochain fichier.")
        )
        return redirect("reporting:certifier", siret=entry.certifier.siret)
    events = entry.events.select_related("by").order_by("at", "pk")
    return render(
        request,
        "reporting/correct.html",
        {"entry": entry, "certifier": entry.certifier, "form": form, "events": events},
    )


# --- statistics -------------------------------------------------------------------------------------


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@backoffice_view
def statistics(request):
    qualifications = list(selectors.qualifications_for(request.user).order_by("title"))
    if not qualifications and not request.user.is_superuser:
        raise Http404("No statistics for this account.")
    ids = [q.pk for q in qualifications]
    refresh = selectors.last_refresh()
    version = f"{refresh.pk}-{refresh.at.timestamp()}" if refresh else None  # ids can be reused
    centres, routes, years = selectors.filter_choices(ids, version=version)
    form = StatsFilterForm(
        request.GET or None, qualifications=qualifications, centres=centres, routes=routes, years=years
    )
    data = form.cleaned_data if form.is_valid() else {}
    filters = stats.Filters(
        qualification=data.get("qualification") or None,
        centre=data.get("centre") or None,
        route=data.get("route") or None,
        year=_int_or_none(data.get("year")),
    )
    cells = selectors.dashboard_cells(ids, filters, version=version)
    labels = {str(q.pk): q.title for q in qualifications}
    figures, vae = dashboard.build(cells, labels)
    wanted = request.GET.get("format") == "csv" and request.GET.get("figure")
    if wanted:
        figure = next((f for f in figures if f.key == wanted), None)
        if figure is None:
            raise Http404("No such figure.")
        return csv_response(f"statistiques-{figure.key}.csv", figure.headers, figure.rows)
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("figure", None)
    return render(
        request,
        "reporting/statistics.html",
        {
            "form": form,
            "figures": figures,
            "vae": vae,
            "query": query.urlencode(),
            "qualifications": qualifications,
            "refresh": refresh,
            "this_year": timezone.localdate().year,
        },
    )


@backoffice_view
def renewal(request, pk: int):
    """The France compétences renewal table of one qualification (holders per year and route), CSV."""
    qualification = get_object_or_404(selectors.qualifications_for(request.user), pk=pk)
    last_year = _int_or_none(request.GET.get("jusqua")) or timezone.localdate().year
    promotions = min(max(_int_or_none(request.GET.get("promotions")) or 3, 1), 10)
    _c, _b, _d, holders = selectors.stat_cells([qualification.pk])
    table = stats.renewal_table(
        holders, str(qualification.pk), last_year=last_year, promotions=promotions, routes=None
    )
    headers, rows = dashboard.renewal_rows(table)
    if request.GET.get("format") == "csv":
        return csv_response(f"renouvellement-{qualification.pk}-{last_year}.csv", headers, rows)
    return render(
        request,
        "reporting/renewal.html",
        {
            "qualification": qualification,
            "headers": headers,
            "rows": rows,
            "last_year": last_year,
            "promotions": promotions,
        },
    )


def route_label(key: str) -> str:
    return str(ROUTE_LABELS.get(key, key))
