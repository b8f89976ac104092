"""Forms of the assessment pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cqphub.assessment.enums import Attendance
from cqphub.journeys.enums import Status
from cqphub.journeys.models import Candidacy
from cqphub.orgs.models import Centre, Membership, Role, User
from cqphub.qualifications.enums import HabilitationScope
from cqphub.qualifications.models import Qualification, SkillBlock


def managed_centres(user):
    if user.is_superuser:
        return Centre.objects.all()
    ids = (
        Membership.objects.active()
        .filter(user=user, role=Role.CENTRE_MANAGER)
        .values_list("centre_id", flat=True)
    )
    return Centre.objects.filter(pk__in=list(ids))


class ScheduleForm(forms.Form):
    centre = forms.ModelChoiceField(label=_("Centre d'évaluation"), queryset=Centre.objects.none())
    qualification = forms.ModelChoiceField(label=_("CQP"), queryset=Qualification.objects.none())
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts_at = forms.TimeField(
        label=_("Heure"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    place = forms.CharField(label=_("Lieu"), max_length=250)
    notes = forms.CharField(
        label=_("Consignes aux candidats"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        centres = managed_centres(user)
        self.fields["centre"].queryset = centres
        self.fields["qualification"].queryset = Qualification.objects.filter(
            habilitations__centre__in=centres,
            habilitations__scope__in=[HabilitationScope.ASSESS, HabilitationScope.BOTH],
        ).distinct()


class AddCandidateForm(forms.Form):
    candidacy = forms.ModelChoiceField(
        label=_("Candidature prête pour l'évaluation"), queryset=Candidacy.objects.none()
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidacy"].queryset = (
            Candidacy.objects.filter(qualification=session.qualification, status=Status.READY_FOR_ASSESSMENT)
            .exclude(assessment_entries__session=session)
            .select_related("candidate")
            .order_by("candidate__birth_name")
        )


class AssignForm(forms.Form):
    block = forms.ModelChoiceField(label=_("Bloc"), queryset=SkillBlock.objects.none())
    assessor = forms.ModelChoiceField(label=_("Évaluateur"), queryset=User.objects.none())
    from_profession = forms.BooleanField(label=_("Professionnel du métier"), required=False)
    employer_siret = forms.CharField(
        label=_("SIRET de son employeur"),
        required=False,
        max_length=14,
        help_text=_("Pour écarter les candidats salariés de la même entreprise."),
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["block"].queryset = session.blocks.order_by("code")
        self.fields["assessor"].queryset = User.objects.filter(
            memberships__role=Role.ASSESSOR, memberships__centre=session.centre, memberships__active=True
        ).distinct()


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(label=_("Présence"), choices=Attendance.choices)


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("Motif de la correction"), widget=forms.Textarea(attrs={"rows": 2}))
