"""The curated record as JSON: one shape for `cqphub registry show --json` and the API."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch

from cqphub.registry.models import Certification, Classification, ContinuityLink
from cqphub.registry.selectors import continuity_chain, successors_of


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def with_children(queryset=None):
    """Prefetch what `certification_to_dict` reads, in a fixed number of queries."""
    queryset = queryset if queryset is not None else Certification.objects.all()
    return queryset.prefetch_related(
        "blocks",
        "certifiers",
        "partners",
        Prefetch("classifications", queryset=Classification.objects.order_by("scheme", "position")),
        Prefetch("continuity_links", queryset=ContinuityLink.objects.order_by("kind", "position")),
    )


def certification_to_dict(cert: Certification, *, transitive: bool = True) -> dict:
    """The full curated record. `predecessors` / `successors` follow the continuity chain transitively."""
    by_scheme: dict[str, list[dict]] = {scheme: [] for scheme in Classification.Scheme.values}
    for item in cert.classifications.all():
        by_scheme[item.scheme].append({"code": item.code, "label": item.label})
    direct = {"predecessor": [], "successor": []}
    for link in cert.continuity_links.all():
        direct[link.kind].append(link.other_code)
    if transitive:
        predecessors = continuity_chain(cert.code, ContinuityLink.Kind.PREDECESSOR)
        successors = continuity_chain(cert.code, ContinuityLink.Kind.SUCCESSOR)
    else:
        predecessors, successors = direct["predecessor"], direct["successor"]
    return {
        "code": cert.code,
        "fiche_id": cert.fiche_id,
        "register": cert.register,
        "title": cert.title,
        "abbreviation": {"code": cert.abbreviation_code, "label": cert.abbreviation_label},
        "state": cert.state,
        "level": cert.level,
        "level_label": cert.level_label,
        "active": cert.active,
        "withdrawn": cert.withdrawn_at is not None,
        "registration_type": cert.registration_type,
        "registration_status": cert.registration_status(),
        "dates": _dates(cert),
        "duration": cert.duration,
        "partial_validation": cert.partial_validation,
        "blocks": [_block(b) for b in cert.blocks.all()],
        "certifiers": [_certifier(c) for c in cert.certifiers.all()],
        "partners": [_partner(p) for p in cert.partners.all()],
        "routes": cert.routes,
        "jury_compositions": cert.jury_compositions,
        "jury_dates": cert.jury_dates,
        "rome": by_scheme["rome"],
        "nsf": by_scheme["nsf"],
        "formacode": by_scheme["formacode"],
        "idcc": by_scheme["idcc"],
        "predecessors": predecessors,
        "successors": successors,
        "direct_predecessors": direct["predecessor"],
        "direct_successors": direct["successor"],
        "successor_fiches": successors_of(cert),
        "correspondences": cert.correspondences,
        "promotion_stats": cert.promotion_stats,
        "promotion_years": cert.promotion_years,
        "publications": cert.publications,
        "texts": {name: getattr(cert, name) for name in TEXT_FIELDS},
        "accessible_new_caledonia": cert.accessible_new_caledonia,
        "accessible_french_polynesia": cert.accessible_french_polynesia,
        "export_date": _iso(cert.export_date),
        "origin": cert.origin,
        "url": cert.url,
        "france_competences_url": cert.france_competences_url,
        "is_cqp": cert.is_cqp,
        "is_interbranch": cert.is_interbranch,
        "is_socle": cert.is_socle,
    }


TEXT_FIELDS = (
    "activities",
    "capacities",
    "sectors",
    "jobs",
    "objectives",
    "prerequisites",
    "regulations",
    "validation_prerequisites",
    "skill_mastery_level",
    "renewal_terms",
    "validity_duration",
    "partial_validation_scope",
)  # the record's free texts, under "texts" in this order


def _dates(cert: Certification) -> dict:
    return {
        "decision": _iso(cert.decision_date),
        "effect": _iso(cert.effect_date),
        "end": _iso(cert.end_date),
        "delivery_deadline": _iso(cert.delivery_deadline),
        "last_jo": _iso(cert.last_jo_date),
        "publication": _iso(cert.publication_date),
    }


def _block(b) -> dict:
    return {
        "code": b.code,
        "title": b.title,
        "skills": b.skills,
        "assessment": b.assessment,
        "entry_prerequisites": b.entry_prerequisites,
        "validation_prerequisites": b.validation_prerequisites,
    }


def _certifier(c) -> dict:
    return {
        "siret": c.siret,
        "name": c.name,
        "state": c.state,
        "state_changed_on": _iso(c.state_changed_on),
        "trade_name": c.trade_name,
        "website": c.website,
    }


def _partner(p) -> dict:
    return {
        "siret": p.siret,
        "name": p.name,
        "habilitation": p.habilitation,
        "state": p.state,
        "state_changed_on": _iso(p.state_changed_on),
        "active_since": _iso(p.active_since),
    }
