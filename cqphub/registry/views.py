"""Registry pages (thin): the search / results page and one certification's page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cqphub.registry.models import Certification, RegistrationStatus
from cqphub.registry.search import FilterError, SearchFilters, search_certifications
from cqphub.registry.search.filters import ROUTES
from cqphub.registry.search.text import fold
from cqphub.registry.selectors import recent_imports
from cqphub.registry.serializers import certification_to_dict, with_children

PAGE_SIZE = 20
SORT_LABELS = {
    "relevance": gettext_lazy("Pertinence"),
    "recent": gettext_lazy("Les plus récentes"),
    "title": gettext_lazy("Intitulé (A → Z)"),
    "level": gettext_lazy("Niveau (du plus élevé)"),
}
PARTNERS_PER_PAGE = 50


def index(request):
    query = request.GET.get("q", "").strip()
    error = None
    try:
        filters = SearchFilters.parse(request.GET)
    except FilterError as exc:
        filters, error = SearchFilters(), exc
    page = request.GET.get("page", "1")
    page = int(page) if page.isdigit() else 1
    results = search_certifications(
        request.GET.get("q", ""), filters, page=page, page_size=PAGE_SIZE, sort=request.GET.get("tri", "")
    )
    if results.exact_code and page == 1 and not error and not filters.active_filters():
        return redirect("registry:detail", code=results.exact_code)
    return render(
        request,
        "registry/index.html",
        {
            "query": query,
            "results": results,
            "filters": filters,
            "active_filters": filters.active_filters(),
            "error": error,
            "routes": ROUTES,
            "page_range": _page_range(results.page, results.num_pages),
            "sorts": SORT_LABELS,
        },
        status=400 if error else 200,
    )


def _page_range(current: int, last: int) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 20 (None is an ellipsis)."""
    shown = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out


def detail(request, code: str):
    normalised = code.strip().upper()
    cert = with_children(Certification.objects.all()).filter(code=normalised).first()
    if cert is None:
        raise Http404(_("Aucune fiche %(code)s dans le registre.") % {"code": normalised})
    if code != normalised:
        return redirect("registry:detail", code=normalised, permanent=True)
    record = certification_to_dict(cert)
    partner_query = request.GET.get("partenaire", "").strip()
    partners = record["partners"]
    if partner_query:
        needle = fold(partner_query)
        partners = [p for p in partners if needle in fold(p["name"]) or needle in (p["siret"] or "")]
    partner_page = Paginator(partners, PARTNERS_PER_PAGE).get_page(request.GET.get("partenaires_page"))
    linked = {c["destination"]["code"] for c in record["correspondences"] if c.get("destination")}
    known = set(
        Certification.objects.filter(
            code__in=record["predecessors"] + record["successors"] + sorted(linked)
        ).values_list("code", flat=True)
    )
    today = timezone.localdate()
    status = cert.registration_status(today)
    context = {
        "certification": cert,
        "record": record,
        "status": status,
        "today": today,
        "still_delivered": status == RegistrationStatus.EXPIRED
        and cert.delivery_deadline is not None
        and cert.delivery_deadline >= today,
        "successor": next((s for s in record["successor_fiches"] if s["in_registry"]), None),
        "open_routes": [name for name in ROUTES if record["routes"].get(name)],
        "juries": [
            (name, record["jury_compositions"].get(name, ""), record["jury_dates"].get(name))
            for name in ROUTES
            if record["jury_compositions"].get(name)
        ],
        "partner_query": partner_query,
        "partner_page": partner_page,
        "partners_total": len(record["partners"]),
        "known_codes": known,
        "routes": [(name, record["routes"].get(name, False)) for name in ROUTES],
    }
    return render(request, "registry/detail.html", context)


def imports(request):
    """The registry's import history: when the data was last refreshed, and any import under way.

    Error messages are shown to staff only: they may name files on the server.
    """
    runs = recent_imports()
    return render(
        request,
        "registry/imports.html",
        {
            "runs": runs,
            "running": any(r.status == "running" for r in runs),
            "show_errors": request.user.is_staff,
        },
    )
