from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from cqphub.orgs.models import OUTSIDE_ROLES, Role


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form, with the e-mail address as the login (field still named `username`,
    which is what django-axes watches)."""

    username = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Adresse e-mail ou mot de passe incorrect. Attention : après plusieurs échecs, "
            "le compte est temporairement bloqué."
        ),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class OtpTokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Code à 6 chiffres"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Saisissez les 6 chiffres affichés par votre application.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
        help_text=_(
            "Le code affiché par votre application d'authentification (il change toutes les 30 secondes)."
        ),
    )

    def clean_token(self):
        return self.cleaned_data["token"].strip()


class OtpDisableForm(OtpTokenForm):
    """Switching the second factor off asks for the password and a current code."""

    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["password", "token"]

    def __init__(self, user, devices, *args, **kwargs):
        self.user, self.devices = user, devices
        super().__init__(*args, **kwargs)
        self.fields["token"].widget.attrs.pop("autofocus", None)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mot de passe incorrect."), code="password")
        return password

    def clean_token(self):
        token = super().clean_token()
        if not any(device.verify_is_allowed()[0] for device in self.devices):
            raise forms.ValidationError(
                _("Trop d'essais : patientez quelques secondes avant de saisir un nouveau code."),
                code="throttled",
            )
        if not any(device.verify_token(token) for device in self.devices):
            raise forms.ValidationError(_("Code incorrect ou expiré."), code="token")
        return token


class InviteMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Rôle"))
    organisation = forms.CharField(
        label=_("Organisme"),
        max_length=250,
        required=False,
        help_text=_("Obligatoire pour un conseiller ou un contact employeur (OPCO, entreprise…)."),
    )

    def __init__(self, *args, roles: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]
        if not set(roles) & set(OUTSIDE_ROLES):
            del self.fields["organisation"]

    def clean(self):
        data = super().clean()
        if data.get("role") in OUTSIDE_ROLES and not (data.get("organisation") or "").strip():
            self.add_error("organisation", _("Indiquez l'organisme de cette personne."))
        return data


class BranchForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=200)
    idcc_codes = forms.CharField(
        label=_("Codes IDCC"),
        help_text=_("Séparés par des virgules, 4 chiffres chacun (ex. « 0843, 1267 »)."),
    )

    def clean_idcc_codes(self):
        return [code.strip() for code in self.cleaned_data["idcc_codes"].split(",") if code.strip()]


class CentreForm(forms.Form):
    address = forms.CharField(label=_("Adresse"), max_length=250, required=False)
    postcode = forms.RegexField(
        label=_("Code postal"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": _("Un code postal a 5 chiffres.")},
    )
    city = forms.CharField(label=_("Commune"), max_length=120, required=False)
    qualiopi_certified_on = forms.DateField(
        label=_("Certifié Qualiopi le"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
