"""Forms of the jury pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cqphub.journeys.enums import Status
from cqphub.journeys.models import Candidacy
from cqphub.juries.enums import AppealOutcome, College, DecisionKind, ExcusalReason, Gender
from cqphub.orgs.models import User
from cqphub.qualifications.models import Qualification


class SessionForm(forms.Form):
    qualification = forms.ModelChoiceField(label=_("CQP"), queryset=Qualification.objects.none())
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Lieu"), max_length=250, required=False)
    remote = forms.BooleanField(label=_("À distance"), required=False)
    title = forms.CharField(label=_("Intitulé (facultatif)"), max_length=200, required=False)

    def __init__(self, *args, qualification_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["qualification"].queryset = Qualification.objects.filter(pk__in=qualification_ids)


class RulesForm(forms.Form):
    """A dated version of a CQP's own jury rules (its regulation, set by the branch)."""

    qualification = forms.ModelChoiceField(label=_("CQP"), queryset=Qualification.objects.none())
    valid_from = forms.DateField(
        label=_("Applicables à partir du"), widget=forms.DateInput(attrs={"type": "date"})
    )
    min_size = forms.IntegerField(label=_("Nombre minimal de membres"), min_value=1, max_value=50, initial=3)
    quorum = forms.IntegerField(label=_("Quorum (membres présents)"), min_value=1, max_value=50, initial=3)
    parity = forms.BooleanField(label=_("Parité employeurs / salariés"), required=False, initial=True)
    min_qualified = forms.IntegerField(
        label=_("Personnes qualifiées (minimum)"), min_value=0, max_value=50, initial=0
    )
    reference = forms.CharField(
        label=_("Référence du règlement"),
        max_length=250,
        required=False,
        help_text=_("Par exemple : règlement du CQP, article 12."),
    )

    def __init__(self, *args, qualification_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["qualification"].queryset = Qualification.objects.filter(pk__in=qualification_ids)


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=200)
    college = forms.ChoiceField(label=_("Collège"), choices=College.choices)
    gender = forms.ChoiceField(label=_("Sexe"), choices=Gender.choices, required=False)
    organisation = forms.CharField(label=_("Organisme"), max_length=250, required=False)
    user = forms.ModelChoiceField(
        label=_("Compte (pour accéder à la session)"), queryset=User.objects.none(), required=False
    )
    president = forms.BooleanField(label=_("Président"), required=False)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        branches = session.qualification.owning_branches()
        self.fields["user"].queryset = User.objects.filter(
            memberships__branch__in=branches, memberships__active=True, is_active=True
        ).distinct()


class AddCandidateForm(forms.Form):
    candidacy = forms.ModelChoiceField(label=_("Candidature évaluée"), queryset=Candidacy.objects.none())

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidacy"].queryset = (
            Candidacy.objects.filter(
                qualification=session.qualification, status__in=[Status.ASSESSED, Status.AWAITING_JURY]
            )
            .exclude(jury_entries__session=session)
            .select_related("candidate")
            .order_by("candidate__birth_name")
        )


class ExcusalForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    member = forms.ModelChoiceField(label=_("Membre"), queryset=None)
    reason = forms.ChoiceField(label=_("Motif"), choices=ExcusalReason.choices)
    note = forms.CharField(label=_("Précision"), max_length=250, required=False)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = session.members.all()


class CloseForm(forms.Form):
    password = forms.CharField(label=_("Votre mot de passe"), required=False, widget=forms.PasswordInput)
    otp_token = forms.CharField(
        label=_("Ou le code de votre application d'authentification"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class RevokeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Nature"),
        choices=[(k.value, k.label) for k in (DecisionKind.CORRECTION, DecisionKind.FRAUD)],
    )
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 3}))


class AppealForm(forms.Form):
    lodged_on = forms.DateField(label=_("Reçu le"), widget=forms.DateInput(attrs={"type": "date"}))
    grounds = forms.CharField(label=_("Motifs du recours"), widget=forms.Textarea(attrs={"rows": 3}))


class AppealOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Issue"), choices=[(o.value, o.label) for o in (AppealOutcome.UPHELD, AppealOutcome.CHANGED)]
    )
    note = forms.CharField(label=_("Motivation"), widget=forms.Textarea(attrs={"rows": 3}))
