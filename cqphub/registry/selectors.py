"""Read queries on the registry."""

from __future__ import annotations

from django.db.models import Count, Q

from cqphub.registry.models import Certification, ContinuityLink, ImportRun


def registry_summary(version: str | None = None) -> dict:
    """Fiches, active ones, CQP and the last import: stored with the index version at each import
    (no query when `version`, the one this request already read, has its summary in memory)."""
    from cqphub.registry.search.index import stored_summary

    stored = stored_summary(version)
    return stored if stored is not None else compute_summary()


def compute_summary() -> dict:
    counts = Certification.objects.filter(withdrawn_at__isnull=True).aggregate(
        total=Count("id"), active=Count("id", filter=Q(active=True)), cqp=Count("id", filter=Q(is_cqp=True))
    )
    last = ImportRun.objects.filter(status=ImportRun.Status.DONE).order_by("-finished_at").first()
    return {**counts, "last_import": last.finished_at if last else None}


def continuity_chain(code: str, kind: str) -> list[str]:
    """Codes reached from `code` by following `kind` links transitively, nearest first.

    Follows links published on either side (A lists B as successor, or B lists A as predecessor),
    because exports are not always symmetric; cycles are cut.
    """
    inverse = (
        ContinuityLink.Kind.SUCCESSOR
        if kind == ContinuityLink.Kind.PREDECESSOR
        else ContinuityLink.Kind.PREDECESSOR
    )
    seen: list[str] = []
    frontier = [code]
    visited = {code}
    while frontier:
        direct = ContinuityLink.objects.filter(kind=kind, certification__code__in=frontier).values_list(
            "other_code", flat=True
        )
        reverse = ContinuityLink.objects.filter(kind=inverse, other_code__in=frontier).values_list(
            "certification__code", flat=True
        )
        next_frontier = []
        for other in [*direct, *reverse]:
            if other not in visited:
                visited.add(other)
                seen.append(other)
                next_frontier.append(other)
        frontier = next_frontier
    return seen


def successors_of(certification: Certification) -> list[dict]:
    """The fiches that replace this one (continuity links followed transitively, nearest first), as the
    rules engine needs them: code, register, registration dates and level; `in_registry` is False
    for a code the registry does not hold (its dates are then unknown)."""
    codes = continuity_chain(certification.code, ContinuityLink.Kind.SUCCESSOR)
    if not codes:
        return []
    found = {
        c.code: c
        for c in Certification.objects.filter(code__in=codes).only(
            "code", "register", "title", "level", "effect_date", "decision_date", "end_date", "withdrawn_at"
        )
    }
    out = []
    for code in codes:
        fiche = found.get(code)
        start = (fiche.effect_date or fiche.decision_date) if fiche else None
        out.append(
            {
                "code": code,
                "register": fiche.register if fiche else ("RS" if code.startswith("RS") else "RNCP"),
                "title": fiche.title if fiche else "",
                "registered_from": start.isoformat() if start else None,
                "registered_until": fiche.end_date.isoformat() if fiche and fiche.end_date else None,
                "level": fiche.level if fiche else None,
                "registration_status": fiche.registration_status() if fiche else None,
                "in_registry": fiche is not None,
            }
        )
    return out


def recent_imports(limit: int = 50) -> list[ImportRun]:
    """The latest import runs, newest first (running, done and failed alike)."""
    return list(ImportRun.objects.order_by("-started_at", "-pk")[:limit])
