"""Forms of the back office: they validate input; the services do the writing."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cqphub.orgs import uploads
from cqphub.orgs.models import Centre, CertifierEntity, Committee
from cqphub.qualifications.enums import (
    AssessmentMethodKind,
    HabilitationScope,
    LifecycleEventKind,
    PassRule,
    QualificationKind,
    Register,
)
from cqphub.qualifications.models import ROME_RE, SkillBlock, check_kind_against_branches

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def _ip_holders_for(committees):
    """Certifier entities of the branches of `committees`, or attached to no branch (review L6)."""
    return (
        CertifierEntity.objects.filter(Q(branch__committees__in=committees) | Q(branch__isnull=True))
        .distinct()
        .order_by("name")
    )


class QualificationCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=QualificationKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Intitulé"), max_length=300)
    committee = forms.ModelChoiceField(
        label=_("Commission paritaire (CPNE)"), queryset=Committee.objects.none()
    )
    ip_holder = forms.ModelChoiceField(
        label=_("Titulaire des droits de propriété intellectuelle"),
        queryset=CertifierEntity.objects.all(),
        help_text=_("Désigné par la ou les CPNE à la création (L. 6113-4 al. 2)."),
    )
    creation_decision_date = forms.DateField(label=_("Date de la décision de création"), widget=DATE)
    rome_codes = forms.CharField(
        label=_("Métiers visés (codes ROME)"),
        required=False,
        help_text=_("Séparés par des virgules, par ex. D1102, D1104."),
    )
    target_jobs = forms.CharField(
        label=_("Emplois visés"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Un par ligne."),
    )

    def __init__(self, *args, committees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees if committees is not None else Committee.objects.none()
        self.fields["ip_holder"].queryset = _ip_holders_for(self.fields["committee"].queryset)

    def clean_rome_codes(self):
        codes = [
            c.strip().upper()
            for c in self.cleaned_data["rome_codes"].replace(";", ",").split(",")
            if c.strip()
        ]
        bad = [c for c in codes if not ROME_RE.match(c)]
        if bad:
            raise ValidationError(
                _("Code(s) ROME invalide(s) : %(codes)s (une lettre et 4 chiffres, par ex. « D1102 »).")
                % {"codes": ", ".join(bad)}
            )
        return codes

    def clean_target_jobs(self):
        return _lines(self.cleaned_data["target_jobs"])

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("committee"):
            try:
                check_kind_against_branches(data["kind"], list(data["committee"].branches.all()))
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field, messages)
        return data


class VersionDetailsForm(forms.Form):
    title = forms.CharField(label=_("Intitulé de la version"), max_length=300)
    target_jobs = forms.CharField(
        label=_("Emplois visés"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Un par ligne."),
    )

    def clean_target_jobs(self):
        return _lines(self.cleaned_data["target_jobs"])


class ActivityForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("Par ex. A1."))
    title = forms.CharField(label=_("Intitulé de l'activité"), max_length=500)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class WorkSituationForm(forms.Form):
    title = forms.CharField(label=_("Situation de travail"), max_length=500)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class BlockForm(forms.Form):
    code = forms.CharField(label=_("Code du bloc"), max_length=40, help_text=_("Par ex. BC01."))
    title = forms.CharField(label=_("Intitulé du bloc"), max_length=500)
    pass_rule = forms.ChoiceField(
        label=_("Règle de validation"), choices=PassRule.choices, initial=PassRule.ALL
    )
    pass_threshold = forms.IntegerField(
        label=_("Seuil (nombre minimal de critères satisfaits)"),
        required=False,
        min_value=1,
        help_text=_("Seulement avec la règle « nombre minimal »."),
    )
    activities = forms.ModelMultipleChoiceField(
        label=_("Activités servies"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, version=None, with_code=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = version.activities.all() if version is not None else None
        if not with_code:
            del self.fields["code"]

    def clean(self):
        data = super().clean()
        if data.get("pass_rule") == PassRule.THRESHOLD and not data.get("pass_threshold"):
            self.add_error("pass_threshold", _("Indiquez le nombre minimal de critères à satisfaire."))
        if data.get("pass_rule") == PassRule.ALL:
            data["pass_threshold"] = None
        return data


class ShareBlockForm(forms.Form):
    block = forms.ModelChoiceField(label=_("Bloc existant à reprendre"), queryset=SkillBlock.objects.none())
    activities = forms.ModelMultipleChoiceField(
        label=_("Activités servies"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, blocks=None, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["block"].queryset = blocks if blocks is not None else SkillBlock.objects.none()
        self.fields["activities"].queryset = version.activities.all() if version is not None else None


class SkillForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("Par ex. C1."))
    statement = forms.CharField(label=_("Énoncé de la compétence"), widget=forms.Textarea(attrs={"rows": 3}))
    transversal = forms.BooleanField(label=_("Compétence transversale"), required=False)


class KnowledgeForm(forms.Form):
    label = forms.CharField(label=_("Savoir associé"), max_length=500)


class CriterionForm(forms.Form):
    statement = forms.CharField(label=_("Critère d'évaluation"), max_length=500)


class MethodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Modalité d'évaluation"), choices=AssessmentMethodKind.choices)
    description = forms.CharField(
        label=_("Précisions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TestForm(forms.Form):
    title = forms.CharField(label=_("Intitulé de l'épreuve"), max_length=300)
    method = forms.ChoiceField(label=_("Modalité"), choices=AssessmentMethodKind.choices)
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), required=False, min_value=1)
    description = forms.CharField(
        label=_("Déroulement"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class LifecycleEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Événement"), choices=LifecycleEventKind.choices)
    on = forms.DateField(label=_("Date"), widget=DATE)
    register = forms.ChoiceField(
        label=_("Répertoire"), choices=[("", "—"), *Register.choices], required=False
    )
    fiche_code = forms.CharField(
        label=_("Numéro de fiche"), required=False, max_length=20, help_text=_("Par ex. RNCP37488.")
    )
    level = forms.IntegerField(label=_("Niveau (RNCP, 1 à 8)"), required=False, min_value=1, max_value=8)
    start = forms.DateField(label=_("Début d'enregistrement"), required=False, widget=DATE)
    end = forms.DateField(label=_("Fin d'enregistrement"), required=False, widget=DATE)
    note = forms.CharField(label=_("Observations"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, allowed=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["kind"].choices = [
                (k, label) for k, label in LifecycleEventKind.choices if k in allowed
            ]


class FicheCodeForm(forms.Form):
    fiche_code = forms.CharField(
        label=_("Numéro de fiche"), max_length=20, help_text=_("Par ex. RNCP37488 ou RS5719.")
    )

    def clean_fiche_code(self):
        from cqphub.registry.models import Certification

        code = self.cleaned_data["fiche_code"].strip().upper().replace(" ", "")
        certification = Certification.objects.filter(code=code).first()
        if certification is None:
            raise ValidationError(_("Aucune fiche « %(code)s » dans le registre importé.") % {"code": code})
        self.certification = certification
        return code


class FicheStartForm(FicheCodeForm):
    kind = forms.ChoiceField(label=_("Type"), choices=QualificationKind.choices)
    committee = forms.ModelChoiceField(
        label=_("Commission paritaire (CPNE)"), queryset=Committee.objects.none()
    )
    ip_holder = forms.ModelChoiceField(
        label=_("Titulaire des droits de propriété intellectuelle"), queryset=CertifierEntity.objects.all()
    )
    creation_decision_date = forms.DateField(label=_("Date de la décision de création"), widget=DATE)

    def __init__(self, *args, committees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees if committees is not None else Committee.objects.none()
        self.fields["ip_holder"].queryset = _ip_holders_for(self.fields["committee"].queryset)

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("committee"):
            try:
                check_kind_against_branches(data["kind"], list(data["committee"].branches.all()))
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field, messages)
        return data


class ReviewStatementForm(forms.Form):
    statement = forms.CharField(
        label=_("Énoncé proposé"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


ReviewFormSet = forms.formset_factory(ReviewStatementForm, extra=1, can_delete=True)


# What a frameworks import accepts, judged on the content (security review M2).
IMPORT_POLICY = uploads.UploadPolicy(
    kinds=(uploads.XLSX, uploads.JSON),
    max_bytes=5 * 1024 * 1024,
    zip_limits=uploads.ZipLimits(max_members=200, max_total_bytes=30 * 1024 * 1024),
)


class ImportForm(forms.Form):
    file = uploads.SafeFileField(policy=IMPORT_POLICY, label=_("Fichier (XLSX ou JSON)"))


class HabilitationForm(forms.Form):
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=Centre.objects.all())
    scope = forms.ChoiceField(label=_("Objet"), choices=HabilitationScope.choices)
    valid_from = forms.DateField(label=_("Valable du"), widget=DATE)
    valid_until = forms.DateField(label=_("Valable jusqu'au"), widget=DATE)
    blocks = forms.ModelMultipleChoiceField(
        label=_("Blocs"),
        queryset=SkillBlock.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucun bloc coché : toute la qualification."),
    )

    def __init__(self, *args, blocks=None, **kwargs):
        super().__init__(*args, **kwargs)
        if blocks is not None:
            self.fields["blocks"].queryset = blocks

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("La fin de validité doit suivre son début."))
        return data


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("Motif de la suspension"), widget=forms.Textarea(attrs={"rows": 3}))
