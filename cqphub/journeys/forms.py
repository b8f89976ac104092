"""Forms of the journeys pages (thin: the services check the rules)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqphub.journeys.documents import KINDS as DOCUMENT_KINDS
from cqphub.journeys.enums import (
    AdmissibilityDecision,
    DocumentKind,
    ExemptionRule,
    Funding,
    PositioningOutcome,
    Route,
    Sex,
    Status,
)
from cqphub.orgs.models import Centre
from cqphub.qualifications.models import Qualification

SITUATIONS = [
    ("employee", _("Salarié(e)")),
    ("job_seeker", _("Demandeur(se) d'emploi")),
    ("young_in_training", _("Jeune en formation initiale ou en sortant")),
    ("self_employed", _("Travailleur(se) indépendant(e)")),
]


def _midnight(day: date) -> datetime:
    """The start of `day` in the current time zone (what `created__date` compares with)."""
    return timezone.make_aware(datetime.combine(day, time.min))


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CandidacyFilter(forms.Form):
    qualification = forms.ModelChoiceField(
        label=_("CQP"), queryset=Qualification.objects.none(), required=False, empty_label=_("Tous")
    )
    route = forms.ChoiceField(
        label=_("Voie d'accès"), choices=[("", _("Toutes")), *Route.choices], required=False
    )
    status = forms.ChoiceField(label=_("État"), choices=[("", _("Tous")), *Status.choices], required=False)
    centre = forms.ModelChoiceField(
        label=_("Centre"), queryset=Centre.objects.none(), required=False, empty_label=_("Tous")
    )
    created_from = forms.DateField(label=_("Créée à partir du"), required=False, widget=DATE)
    created_to = forms.DateField(label=_("Créée jusqu'au"), required=False, widget=DATE)

    def __init__(self, *args, qualifications=None, centres=None, **kwargs):
        super().__init__(*args, **kwargs)
        if qualifications is not None:
            self.fields["qualification"].queryset = qualifications
        if centres is not None:
            self.fields["centre"].queryset = centres

    def filter(self, qs):
        if not self.is_bound or not self.is_valid():
            return qs
        data = self.cleaned_data
        if data.get("qualification"):
            qs = qs.filter(qualification=data["qualification"])
        if data.get("route"):
            qs = qs.filter(route=data["route"])
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("centre"):
            qs = qs.filter(centre=data["centre"])
        # bounds as datetimes (midnight in the current time zone), not `created__date`: a range on the
        # column itself uses the indexes on `created`, a date cast of it cannot
        if data.get("created_from"):
            qs = qs.filter(created__gte=_midnight(data["created_from"]))
        if data.get("created_to"):
            qs = qs.filter(created__lt=_midnight(data["created_to"] + timedelta(days=1)))
        return qs


class EnrolmentForm(forms.Form):
    """A new candidate and their candidacy, in one form (a centre's usual case)."""

    birth_name = forms.CharField(label=_("Nom de naissance"), max_length=150)
    usage_name = forms.CharField(label=_("Nom d'usage"), max_length=150, required=False)
    first_names = forms.CharField(
        label=_("Prénoms"), max_length=200, help_text=_("Dans l'ordre de l'état civil.")
    )
    sex = forms.ChoiceField(label=_("Sexe"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_year = forms.IntegerField(label=_("Année de naissance"), min_value=1900, max_value=2100)
    birth_month = forms.IntegerField(label=_("Mois de naissance"), min_value=1, max_value=12, required=False)
    birth_day = forms.IntegerField(label=_("Jour de naissance"), min_value=1, max_value=31, required=False)
    birth_commune = forms.CharField(
        label=_("Commune de naissance (code INSEE)"),
        max_length=5,
        required=False,
        help_text=_("Par ex. 69123."),
    )
    birth_country = forms.CharField(
        label=_("Ou pays de naissance (code INSEE)"),
        max_length=5,
        required=False,
        help_text=_("Par ex. 99350."),
    )
    email = forms.EmailField(label=_("Adresse e-mail"), required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    qualification = forms.ModelChoiceField(label=_("CQP visé"), queryset=Qualification.objects.none())
    route = forms.ChoiceField(label=_("Voie d'accès"), choices=Route.choices, widget=forms.RadioSelect)
    funding = forms.ChoiceField(label=_("Financement ou dispositif"), choices=Funding.choices)
    situation = forms.ChoiceField(label=_("Situation de la personne"), choices=SITUATIONS)
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=Centre.objects.none(), required=False)
    planned_start = forms.DateField(label=_("Début prévu"), required=False, widget=DATE)
    planned_end = forms.DateField(label=_("Fin prévue"), required=False, widget=DATE)
    planned_hours = forms.IntegerField(label=_("Durée prévue (heures)"), min_value=1, required=False)
    employer_name = forms.CharField(label=_("Employeur"), max_length=250, required=False)
    confirm_not_duplicate = forms.BooleanField(
        label=_("Je confirme qu'il s'agit d'une autre personne que la fiche existante"), required=False
    )

    def __init__(self, *args, qualifications=None, centres=None, **kwargs):
        super().__init__(*args, **kwargs)
        if qualifications is not None:
            self.fields["qualification"].queryset = qualifications
        if centres is not None:
            self.fields["centre"].queryset = centres

    def clean(self):
        data = super().clean()
        if data.get("route") == Route.TRAINING and not data.get("centre"):
            self.add_error("centre", _("La voie de la formation exige le centre qui forme."))
        return data


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Nouvel état"), choices=Status.choices)
    reason = forms.CharField(label=_("Motif"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AdmissibilityForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"), choices=AdmissibilityDecision.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("Motifs, manques et recommandations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour un dossier non recevable ou incomplet (art. R. 6412-4)."),
    )


class PositioningForm(forms.Form):
    block = forms.ChoiceField(label=_("Bloc"))
    outcome = forms.ChoiceField(label=_("Positionnement"), choices=PositioningOutcome.choices)
    exemption_rule = forms.ChoiceField(
        label=_("Motif de dispense"), choices=[("", "—"), *ExemptionRule.choices], required=False
    )
    evidence = forms.CharField(
        label=_("Éléments de preuve"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    corresponding_certification = forms.CharField(label=_("Certification correspondante"), required=False)
    corresponding_block = forms.CharField(label=_("Bloc correspondant"), required=False)

    def __init__(self, *args, blocks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.blocks = {str(b.pk): b for b in blocks}
        self.fields["block"].choices = [(str(b.pk), f"{b.code} {b.title}") for b in blocks]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de pièce"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("PDF, PNG ou JPEG."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{k.extension}" for k in DOCUMENT_KINDS)}
        ),
    )


class ImportForm(forms.Form):
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=Centre.objects.none())
    file = forms.FileField(label=_("Fichier CSV ou XLSX"))

    def __init__(self, *args, centres=None, **kwargs):
        super().__init__(*args, **kwargs)
        if centres is not None:
            self.fields["centre"].queryset = centres


class MergeForm(forms.Form):
    """Which duplicate record to merge into the one shown, and why they are the same person."""

    duplicate = forms.ChoiceField(
        label=_("Fiche en double"),
        widget=forms.RadioSelect,
        help_text=_(
            "Ses candidatures passent sur la fiche conservée ; elle reste lisible, marquée fusionnée."
        ),
    )
    reason = forms.CharField(
        label=_("Pourquoi est-ce la même personne ?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par ex. : même pièce d'identité, fiche saisie deux fois par deux centres."),
    )

    def __init__(self, *args, duplicates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicates = {str(c.pk): c for c in duplicates}
        self.fields["duplicate"].choices = [
            (str(c.pk), f"{c.display_name} — n° {c.pk}, {c.birth_date_display}") for c in duplicates
        ]

    def clean_duplicate(self):
        return self.duplicates[self.cleaned_data["duplicate"]]
