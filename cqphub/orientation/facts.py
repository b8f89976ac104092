"""Build the engine's `CertificationFacts` from a registry `Certification` (the only ORM → engine bridge)."""

from __future__ import annotations

from cqphub.registry.models import Certification, Classification
from cqphub.rules import CertificationFacts, Kind, Register


def kind_of(certification: Certification) -> Kind:
    if not certification.is_cqp:
        return Kind.OTHER
    return Kind.CQPI if certification.is_interbranch else Kind.CQP


def idcc_codes(certification: Certification) -> tuple[str, ...]:
    """The fiche's collective agreements; uses the prefetched classifications when there are any."""
    cache = getattr(certification, "_prefetched_objects_cache", {})
    if "classifications" in cache:
        codes = [c.code for c in cache["classifications"] if c.scheme == Classification.Scheme.IDCC]
    else:
        codes = list(
            certification.classifications.filter(scheme=Classification.Scheme.IDCC).values_list(
                "code", flat=True
            )
        )
    out = []
    for code in codes:
        code = (code or "").strip()
        if code.isdigit() and len(code) <= 4:
            out.append(code.zfill(4))
    return tuple(dict.fromkeys(out))


def facts_from_certification(
    certification: Certification, *, branch_opco: str | None = None
) -> CertificationFacts:
    """The registry fiche as the engine sees it.

    Registration dates: the effect date (or the decision date when absent) to the end date, as
    published. Whether a CQP is transmitted to France compétences and the CDC is not in the open data:
    `transmitted` stays unknown (None), and the engine says so when it matters.
    """
    level = certification.level if certification.level and 1 <= certification.level <= 8 else None
    return CertificationFacts(
        kind=kind_of(certification),
        register=Register(certification.register) if certification.register in ("RNCP", "RS") else None,
        code=certification.code,
        title=certification.title,
        registered_from=certification.effect_date or certification.decision_date,
        registered_until=certification.end_date,
        active=certification.active,
        level=level,
        vae_route=bool(certification.route_vae),
        partial_validation=certification.partial_validation,
        transmitted=None,
        idcc=idcc_codes(certification),
        branch_opco=branch_opco,
    )
