"""Build the engine's `CertificationFacts` from a registry `Certification` (the only ORM → engine bridge).

The pure helpers (`kind_from`, `routes_from`, `is_socle`, `by_right_from`) take plain values so that
the benchmark, which builds facts from parsed records without a database, uses the same reading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from cqphub.registry.models import CQP_ABBREVIATIONS, Certification, Classification, ContinuityLink
from cqphub.rules import CertificationFacts, Kind, Register
from cqphub.rules.facts import ROUTE_KEYS, Successor
from cqphub.text import fold_words

# A CQP is established by the CPNE(s) of a branch (L. 6113-4): a certifier named as a joint employment
# committee is a CQP's. Federations alone are not enough: they also register titles (audit A10).
_CPNE = re.compile(r"\bcpne|\bcommissions? paritaires? nationales? (de l'?)?emploi|\bcpnefp\b")
_CQP_TITLE = re.compile(r"^(cqp|cqpi|cqpm)\b|certificat de qualification professionnelle")
_CQPI = re.compile(r"\bcqpi\b|\binterbranches?\b|\binter-branches?\b")
_SOCLE = re.compile(r"socle de connaissances et de competences|^clea\b")


def kind_from(abbreviation: str, title: str, certifiers: Iterable[str] = ()) -> Kind:
    """CQP from the abbreviation, the title or a CPNE certifier (not from the title alone, audit
    A10); a CQPI only when the fiche says so (abbreviation or title), never from an IDCC count."""
    abbreviation = (abbreviation or "").strip().upper()
    folded = fold_words(title)
    is_cqp = (
        abbreviation in CQP_ABBREVIATIONS
        or bool(_CQP_TITLE.search(folded))
        or any(_CPNE.search(fold_words(name)) for name in certifiers)
    )
    if not is_cqp:
        return Kind.OTHER
    if abbreviation == "CQPI" or _CQPI.search(folded):
        return Kind.CQPI
    return Kind.CQP


def routes_from(routes: Mapping[str, bool]) -> dict[str, bool]:
    """The fiche's access routes as stated. Exports list the routes a fiche opens: when none is open,
    nothing was stated (an old fiche, a CSV without access rows) and we say "not stated"."""
    if not any(routes.get(key) for key in ROUTE_KEYS):
        return {}
    return {key: bool(routes.get(key)) for key in ROUTE_KEYS}


def is_socle(title: str, abbreviation: str = "") -> bool:
    """The certification relative to the socle de connaissances et de compétences (CléA)."""
    return bool(_SOCLE.search(fold_words(title))) or fold_words(abbreviation).startswith("clea")


def by_right_from(registration_type: str) -> bool | None:
    folded = fold_words(registration_type)
    if "droit" in folded:
        return True
    if "demande" in folded:
        return False
    return None


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


def certifier_names(certification: Certification) -> list[str]:
    cache = getattr(certification, "_prefetched_objects_cache", {})
    if "certifiers" in cache:
        return [c.name for c in cache["certifiers"]]
    return list(certification.certifiers.values_list("name", flat=True))


def successors_of(certification: Certification) -> tuple[Successor, ...]:
    """The successor fiches (continuity links, followed transitively, nearest first) with their
    registration as the registry holds it; a code the registry does not hold has no dates."""
    from cqphub.registry.selectors import continuity_chain

    codes = continuity_chain(certification.code, ContinuityLink.Kind.SUCCESSOR)
    if not codes:
        return ()
    rows = {
        c.code: c
        for c in Certification.objects.filter(code__in=codes).only(
            "code", "register", "effect_date", "decision_date", "end_date", "level", "active"
        )
    }
    out = []
    for code in codes:
        row = rows.get(code)
        if row is None:
            out.append(Successor(code=code, register=_register(code)))
            continue
        out.append(
            Successor(
                code=code,
                register=_register(row.register),
                registered_from=row.effect_date or row.decision_date,
                registered_until=row.end_date,
                level=row.level if row.level and 1 <= row.level <= 8 else None,
            )
        )
    return tuple(out)


def _register(value: str | None) -> Register | None:
    value = (value or "").upper()
    return next((r for r in Register if value.startswith(r.value)), None)


def facts_from_certification(
    certification: Certification, *, branch_opco: str | None = None, successors: bool = True
) -> CertificationFacts:
    """The registry fiche as the engine sees it.

    Registration dates: the effect date (or the decision date when absent) to the end date, as
    published. Whether a CQP is transmitted to France compétences and the CDC is not in the open data:
    `transmitted` stays unknown (None), and the engine says so when it matters. Whether the
    certification is on the France VAE portal is not in the export either: `on_france_vae` is unknown.
    """
    level = certification.level if certification.level and 1 <= certification.level <= 8 else None
    routes = routes_from(certification.routes)
    return CertificationFacts(
        kind=kind_from(certification.abbreviation_code, certification.title, certifier_names(certification)),
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
        routes=tuple(routes.items()),
        successors=successors_of(certification) if successors else (),
        socle=is_socle(certification.title, certification.abbreviation_code),
        on_france_vae=None,
        registered_by_right=by_right_from(certification.registration_type),
    )
