"""Small template helpers for the registry pages."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
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
def source_label(name):
    return SOURCE_LABELS.get(name, name)


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


# -- the certification page: published codes as words, long texts as paragraphs and lists -----------
HABILITATION_LABELS = {
    "HABILITATION_FORMER": _("préparer à la certification"),
    "HABILITATION_ORGANISER": _("organiser l'évaluation"),
    "HABILITATION_ORGA_FORM": _("préparer à la certification et organiser l'évaluation"),
}
STATE_LABELS = {
    "actif": _("actif"),
    "inactif": _("inactif"),
    "supprimé": _("habilitation retirée"),
    "supprime": _("habilitation retirée"),
}
PUBLICATION_KINDS = {
    "general": _("Texte général"),
    "creation": _("Texte de création"),
    "autre": _("Autre texte"),
}
STAT_COLUMNS = (
    ("year", _("Année")),
    ("certified", _("Certifiés")),
    ("certified_vae", _("dont par la VAE")),
    ("insertion_rate_6_months", _("Taux d'insertion global à 6 mois (%)")),
    ("job_insertion_rate_2_years", _("Taux d'insertion dans le métier à 2 ans (%)")),
)


@register.filter
def habilitation_label(code):
    code = (code or "").strip()
    return HABILITATION_LABELS.get(code.upper(), code or "—")


@register.filter
def state_label(value):
    value = (value or "").strip()
    return STATE_LABELS.get(value.lower(), value)


@register.filter
def is_inactive(value):
    return (value or "").strip().lower() in {"inactif", "inactive", "supprimé", "supprime"}


@register.filter
def publication_kind(kind):
    return PUBLICATION_KINDS.get(kind, kind)


@register.simple_tag
def stat_table(stats):
    """(columns, rows) of the promotion statistics: only the columns some year fills."""
    columns = [(key, label) for key, label in STAT_COLUMNS if any(s.get(key) is not None for s in stats)]
    rows = [[s.get(key) for key, _label in columns] for s in stats]
    return {"columns": [label for _key, label in columns], "rows": rows}


_BREAKS = re.compile(r"\r?\n|<br\s*/?>|\s{3,}", re.IGNORECASE)
_BULLET = re.compile(r"^(?:[*•·▪◦\-–—]+|\d{1,2}[.)])\s*")
_ITEM_CODE = re.compile(r"^[A-Z]{0,3}\d{1,2}[A-Z.]?\s?C?\d{0,2}[.)]?\s")  # "A1C1. …", "C1 …"


@register.filter(needs_autoescape=True)
def rich_text(text, autoescape=True):
    """A published long text as HTML: paragraphs, and lists where the text has bullets (`*`, `-`, `•`)
    or numbered items; the markers themselves are dropped. Everything is escaped."""
    esc = conditional_escape if autoescape else (lambda s: s)
    lines = [line.strip() for line in _BREAKS.split(text or "") if line and line.strip()]
    if not lines:
        return ""
    html, items = [], []

    def close_list():
        if items:
            html.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")
            items.clear()

    mode = ""  # the list being built: "bullet", "code" (A1C1. …) or "plain" (lines after a colon)
    after_colon = False
    for line in lines:
        bullet = _BULLET.match(line)
        if bullet and line[bullet.end() :].strip() and mode in ("", "bullet"):
            mode = "bullet"
            items.append(line[bullet.end() :].strip())
        elif (
            _ITEM_CODE.match(line) and (mode == "code" or after_colon or len(lines) > 2) and mode != "bullet"
        ):
            mode = "code"
            items.append(line)
        elif after_colon and mode in ("", "plain"):
            mode = "plain"
            items.append(line)
        else:
            close_list()
            mode = ""
            html.append(f"<p>{esc(line)}</p>")
        after_colon = line.endswith(":") or (after_colon and mode == "plain")
    close_list()
    return mark_safe("".join(html))  # noqa: S308 - every piece escaped above


@register.filter
def iso_date(value):
    """An ISO date string (as in the JSON record) as a date, for the `date` filter; '' when absent."""
    from datetime import date

    try:
        return date.fromisoformat(value) if value else ""
    except (TypeError, ValueError):
        return value
