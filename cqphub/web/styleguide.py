"""The living style guide: every shared component with sample data, at /espace/composants/."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from cqphub.ui.tables import Column, Table, csv_response

SAMPLE_ROWS = [
    {"centre": name, "city": city, "state": state, "candidates": n}
    for name, city, state, n in [
        ("Campus des métiers Nord", "Lille", "active", 12),
        ("Campus des métiers Sud", "Marseille", "expired", 0),
        ("Campus des métiers Est", "Metz", "suspended", 3),
        ("Campus des métiers Ouest", "Nantes", "active", 7),
        ("Campus des métiers Centre", "Tours", "active", 5),
        ("=FORMULE (cellule piège pour l'export)", "Paris", "active", 1),
    ]
    for _i in range(5)
]
STATES = {
    "active": (_("Active"), "success"),
    "expired": (_("Échue"), "neutral"),
    "suspended": (_("Suspendue"), "warning"),
}


class SampleFilters(forms.Form):
    q = forms.CharField(label=_("Centre ou ville"), required=False)
    state = forms.ChoiceField(
        label=_("État"), required=False, choices=[("", _("Tous"))] + [(k, v[0]) for k, v in STATES.items()]
    )


class SampleForm(forms.Form):
    name = forms.CharField(label=_("Nom du centre"), help_text=_("Tel qu'il figure sur son Kbis."))
    email = forms.EmailField(label=_("Adresse électronique"))
    scope = forms.ChoiceField(
        label=_("Habilitation"),
        widget=forms.RadioSelect,
        choices=[("train", _("Former")), ("assess", _("Évaluer")), ("both", _("Former et évaluer"))],
    )
    agree = forms.BooleanField(label=_("J'ai vérifié les informations"), required=False)


@login_required
def styleguide(request):
    filters = SampleFilters(request.GET or None)
    rows = SAMPLE_ROWS
    if filters.is_valid():
        q = filters.cleaned_data["q"].lower()
        state = filters.cleaned_data["state"]
        rows = [
            r
            for r in rows
            if (not q or q in (r["centre"] + r["city"]).lower()) and (not state or r["state"] == state)
        ]
    columns = [
        Column(_("Centre"), "centre", url=lambda r: "#data-table"),
        Column(_("Ville"), "city"),
        Column(_("État"), lambda r: STATES[r["state"]][0], tone=lambda r: STATES[r["state"]][1]),
        Column(_("Candidats"), "candidates", numeric=True),
    ]
    if request.GET.get("format") == "csv":
        return csv_response("centres.csv", columns, rows)
    table = Table(
        request,
        rows,
        columns,
        caption=_("Centres habilités (exemple)"),
        filters=filters,
        csv=True,
        per_page=10,
        empty_title=_("Aucun centre ne correspond à ces filtres"),
        empty_text=_("Retirez un filtre pour élargir la recherche."),
    )
    bound = SampleForm({"name": "", "email": "pas-une-adresse", "scope": ""})
    bound.is_valid()
    now = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
    events = [
        {
            "when": now,
            "who": "Claire Martin",
            "what": _(
                "Habilitation créée : Campus des métiers Nord — former et évaluer, du 01/03/2025 au 28/02/2030"
            ),
            "tone": "success",
        },
        {
            "when": now - dt.timedelta(days=40),
            "who": "Paul Durand",
            "what": _("Version 2 publiée"),
            "detail": _("3 blocs, 14 compétences"),
        },
        {"when": dt.date(2025, 9, 29), "who": "", "what": _("Fin d'enregistrement au RS"), "tone": "warning"},
    ]
    return render(
        request,
        "web/styleguide.html",
        {
            "table": table,
            "sample_form": bound,
            "empty_form": SampleForm(),
            "events": events,
            "today": dt.date(2026, 11, 30),
        },
    )
