"""Read queries of the orientation side: facts from the registry, OPCO names, searches for the journey."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q

from cqphub.orientation.facts import facts_from_certification, idcc_codes
from cqphub.registry.models import Certification, Classification
from cqphub.registry.search import SearchFilters, search_certifications
from cqphub.rules import CertificationFacts, Finding, general_findings


def opco_name_for_idcc(idcc: str | None) -> str | None:
    """The OPCO of a collective agreement from the reference IDCC → OPCO table, or None."""
    if not idcc:
        return None
    from cqphub.reference.selectors import opco_for_idcc

    opco = opco_for_idcc(idcc)
    return (opco.short_name or opco.name) if opco else None


def agreement_title(idcc: str | None) -> str | None:
    if not idcc:
        return None
    from cqphub.reference.selectors import get_agreement

    agreement = get_agreement(idcc)
    return agreement.title if agreement else None


def branch_opco_for(idccs: tuple[str, ...]) -> str | None:
    """The OPCO of the certification's branch, when its collective agreements lead to a single one."""
    names = {name for name in (opco_name_for_idcc(code) for code in idccs) if name}
    return names.pop() if len(names) == 1 else None


def certifications_with_idcc():
    return Certification.objects.prefetch_related(
        Prefetch(
            "classifications", queryset=Classification.objects.filter(scheme=Classification.Scheme.IDCC)
        ),
        "certifiers",
    )


def get_certification(code: str) -> Certification:
    """Raises Certification.DoesNotExist for an unknown code."""
    return certifications_with_idcc().get(code=code.strip().upper())


def certification_facts(certification: Certification) -> CertificationFacts:
    return facts_from_certification(certification, branch_opco=branch_opco_for(idcc_codes(certification)))


def general_findings_for(certification: Certification, on: date | None = None) -> list[Finding]:
    """What the certification opens to everyone (recognition, level, CPF, VAE, routes), with sources.

    Used by the certification page: `{% include "orientation/panel.html" with findings=… %}`, or
    `{% load orientation %}{% orientation_panel certification %}`.
    """
    return general_findings(facts_from_certification(certification), on)


# -- searches for the journey ---------------------------------------------------------------------
def find_certifications(query: str, *, cqp_only: bool = False, limit: int = 20) -> list[Certification]:
    """Certifications matching a trade or a code, best first: the registry's full-text search.

    Falls back to a plain ORM query (title / code contains) when the search index is unavailable.
    """
    query = (query or "").strip()
    if not query:
        return []
    try:
        results = search_certifications(
            query, SearchFilters(kind="cqp" if cqp_only else None, status="all"), page_size=limit
        )
    except Exception:  # noqa: BLE001 - no index yet (fresh database): the fallback below answers
        results = None
    if results is not None and results.total:
        order = [hit.code for hit in results.hits]
        rows = {c.code: c for c in certifications_with_idcc().filter(code__in=order)}
        return [rows[code] for code in order if code in rows]
    # Fallback (plain ORM) when the search finds nothing or has no index yet (fresh database).
    qs = certifications_with_idcc().filter(withdrawn_at__isnull=True)
    if cqp_only:
        qs = qs.filter(is_cqp=True)
    code = query.replace(" ", "").upper()
    qs = qs.filter(Q(title__icontains=query) | Q(code=code) | Q(code=f"RNCP{code}"))
    return list(qs.order_by("-active", "-number")[:limit])


def find_agreements(query: str, *, limit: int = 10) -> list:
    """Collective agreements by name or IDCC (reference app)."""
    query = (query or "").strip()
    if not query:
        return []
    from cqphub.reference.selectors import search_agreements

    return list(search_agreements(query)[:limit])
