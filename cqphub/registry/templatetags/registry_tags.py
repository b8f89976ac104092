"""Small template helpers for the registry pages."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

ROUTE_LABELS = {
    "initial": _("Formation initiale (statut d'élève ou d'étudiant)"),
    "apprenticeship": _("Contrat d'apprentissage"),
    "continuing": _("Formation continue"),
    "professionalisation": _("Contrat de professionnalisation"),
    "individual": _("Candidature individuelle"),
    "vae": _("Validation des acquis de l'expérience (VAE)"),
}
FACET_LABELS = {
    "register": _("Répertoire"),
    "kind": _("Type"),
    "status": _("État"),
    "level": _("Niveau"),
    "nsf": _("Domaine (NSF)"),
    "rome": _("Métier (ROME)"),
    "idcc": _("Branche (IDCC)"),
    "certifier": _("Certificateur"),
    "route": _("Voie d'accès"),
    "partial": _("Validation par blocs"),
}
VALUE_LABELS = {
    "kind": {"cqp": _("CQP, CQPI ou CQPM"), "cqpi": _("CQPI (interbranches) seulement")},
    "status": {"active": _("Actives"), "inactive": _("Inactives"), "all": _("Toutes")},
    "partial": {"yes": _("Possible"), "no": _("Non")},
    "register": {"RNCP": _("RNCP"), "RS": _("Répertoire spécifique")},
    "route": ROUTE_LABELS,
}
MATCHED_IN = {
    "code": _("code"),
    "title": _("intitulé"),
    "abbreviation": _("abréviation"),
    "blocks": _("blocs de compétences"),
    "other": _("autres rubriques"),
}
SOURCE_LABELS = {
    "block": _("Bloc de compétences"),
    "rome": _("Métier (ROME)"),
    "certifier": _("Certificateur"),
    "idcc": _("Branche"),
    "nsf": _("Domaine"),
    "jobs": _("Métiers visés"),
}


@register.filter
def route_label(name):
    return ROUTE_LABELS.get(name, name)


@register.filter
def facet_label(name):
    return FACET_LABELS.get(name, name)


@register.simple_tag
def value_label(facet, value, fallback=""):
    if facet == "level":
        return _("Niveau %(n)s") % {"n": value}
    label = VALUE_LABELS.get(facet, {}).get(value)
    if label:
        return label
    if facet in {"nsf", "rome", "idcc"} and fallback and fallback != value:
        return f"{value} — {fallback}"
    return fallback or value


@register.filter
def matched_in_label(name):
    return MATCHED_IN.get(name, name)


@register.filter
def source_label(name):
    return SOURCE_LABELS.get(name, name)


@register.filter
def paragraphs(text):
    """Split a published text block into its non-empty lines (the fiche's texts are line-based)."""
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


SINGLE = {"status", "kind", "partial", "cqp"}


@register.simple_tag(takes_context=True)
def query_without(context, name, value):
    """The current query string without one filter value (and without the page number)."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    if name in SINGLE:
        params.pop(name, None)
        if name == "kind":
            params.pop("cqp", None)
    else:
        value = str(value)
        kept = [
            v
            for v in params.getlist(name)
            if value not in {v, v.strip().upper(), v.strip()[:3], v.strip().zfill(4)}
        ]
        params.setlist(name, kept)
    return params.urlencode()
