from django import forms
from django.utils.translation import gettext_lazy as _

from cqphub.reporting.models import CdcAccount

ROUTE_LABELS = {
    "pro_contract": _("Contrat de professionnalisation"),
    "plan": _("Plan de développement des compétences"),
    "cpf": _("CPF"),
    "pro_a": _("Pro-A"),
    "reconversion": _("Période de reconversion"),
    "ptp": _("Projet de transition professionnelle"),
    "poe": _("POE"),
    "training": _("Autre formation"),
    "apprenticeship": _("Apprentissage"),
    "vae": _("VAE"),
}


class CdcAccountForm(forms.ModelForm):
    class Meta:
        model = CdcAccount
        fields = ["client_id", "contract_id", "trusted_third_party", "sender_client_id"]

    def clean(self):
        data = super().clean()
        if data.get("trusted_third_party") and not data.get("sender_client_id"):
            self.add_error("sender_client_id", _("Indiquez le matricule du tiers de confiance qui dépose."))
        return data


class BuildForm(forms.Form):
    since = forms.DateField(
        label=_("Seulement les décisions depuis le"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Laisser vide pour tout ce qui reste à déclarer."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Recopiez le motif donné par la Caisse des dépôts, ou décrivez la correction faite."),
    )


class StatsFilterForm(forms.Form):
    qualification = forms.ChoiceField(label=_("Qualification"), required=False)
    centre = forms.ChoiceField(label=_("Centre"), required=False)
    route = forms.ChoiceField(label=_("Voie d'accès"), required=False)
    year = forms.ChoiceField(label=_("Année"), required=False)

    def __init__(self, data, *, qualifications, centres, routes, years):
        super().__init__(data)
        everything = [("", _("Toutes"))]
        self.fields["qualification"].choices = everything + [(str(q.pk), q.title) for q in qualifications]
        self.fields["centre"].choices = [("", _("Tous"))] + [(str(c.pk), c.name) for c in centres]
        self.fields["route"].choices = everything + [(r, ROUTE_LABELS.get(r, r)) for r in routes]
        self.fields["year"].choices = everything + [(str(y), str(y)) for y in years]
