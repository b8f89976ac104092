"""The journey's forms. Answers are POSTed and kept in the session, never in a URL (security M4)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cqphub.orientation.labels import BENEFIT_LABELS, CONTRACT_LABELS, STATUS_LABELS

LEVEL_CHOICES = [
    ("", _("Je ne sais pas")),
    ("2", _("Aucun diplôme, ou brevet des collèges")),
    ("3", _("Niveau 3 : CAP, BEP")),
    ("4", _("Niveau 4 : baccalauréat, brevet professionnel")),
    ("5", _("Niveau 5 : BTS, DUT, bac + 2")),
    ("6", _("Niveau 6 : licence, bachelor, bac + 3")),
    ("7", _("Niveau 7 : master, bac + 5")),
    ("8", _("Niveau 8 : doctorat")),
]


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Qui êtes-vous ?"),
        choices=list(STATUS_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez la situation qui vous correspond.")},
    )


class SituationForm(forms.Form):
    age = forms.IntegerField(label=_("Votre âge"), required=False, min_value=14, max_value=120)
    contract = forms.ChoiceField(
        label=_("Votre contrat de travail"),
        required=False,
        choices=[("", _("Sans objet ou je ne sais pas")), *CONTRACT_LABELS.items()],
    )
    qualification_level = forms.ChoiceField(
        label=_("Votre diplôme ou titre le plus élevé"), required=False, choices=LEVEL_CHOICES
    )
    disability = forms.BooleanField(
        label=_(
            "une reconnaissance de travailleur handicapé (RQTH) ou un autre titre de bénéficiaire de "
            "l'obligation d'emploi (carte mobilité inclusion invalidité…)"
        ),
        required=False,
    )
    benefits = forms.MultipleChoiceField(
        label=_("Vous percevez…"),
        required=False,
        choices=list(BENEFIT_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "L'AAH, une pension d'invalidité ou une rente d'accident du travail font de vous un "
            "bénéficiaire de l'obligation d'emploi des travailleurs handicapés."
        ),
    )
    low_qualified = forms.BooleanField(
        label=_(
            "pas de diplôme ou titre de niveau 3 (CAP, BEP) ni de certification reconnue par votre "
            "convention collective"
        ),
        required=False,
    )
    part_time_below_half = forms.BooleanField(
        label=_("vous avez travaillé moins d'un mi-temps sur l'année"), required=False
    )
    former_cui = forms.BooleanField(
        label=_("vous avez eu un contrat unique d'insertion (CUI)"), required=False
    )
    esat = forms.BooleanField(label=_("vous travaillez en ESAT"), required=False)
    manager = forms.BooleanField(label=_("un statut de cadre"), required=False)
    experience_months = forms.IntegerField(
        label=_("Votre expérience dans le métier visé, en mois"),
        required=False,
        min_value=0,
        max_value=1200,
        help_text=_(
            "Utile seulement pour une date avant le 23 décembre 2022 : depuis, la VAE ne demande aucune "
            "durée minimale d'expérience."
        ),
    )

    BOOLEANS = ("disability", "low_qualified", "part_time_below_half", "former_cui", "esat", "manager")


class EmployerSearchForm(forms.Form):
    agreement_q = forms.CharField(label=_("Nom ou IDCC de la convention collective"), max_length=200)


class TargetSearchForm(forms.Form):
    target_q = forms.CharField(label=_("Un métier, un intitulé ou un code (RNCP…, RS…)"), max_length=200)


class ShareForm(forms.Form):
    include_situation = forms.BooleanField(
        label=_("Inclure ma situation (statut, âge, aides, handicap…)"), required=False
    )
    include_employer = forms.BooleanField(
        label=_("Inclure la convention collective de mon employeur"), required=False
    )
