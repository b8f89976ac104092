"""Assessment sessions, grids frozen from a candidacy's framework version, results per criterion,
block results signed off by the assessor.

Shape
- `AssessmentPolicy` (per qualification, set by the branch): the assessor independence rules it
  switches on, and the scale of levels when criteria are scored on levels.
- `AssessmentSession`: a centre holding an "assess" habilitation on the date (the habilitation found
  is kept), date, place, the blocks assessed; `SessionCandidate` (convocation, attendance);
  `AssessorAssignment` per block.
- `Grid(session, candidacy, block)`: the block's tests, skills and criteria copied from the frozen
  framework of the candidacy's version when the candidate joins the session; the copy never changes.
- `GridEntry`: one scoring of a grid — a draft, then signed (identity + time) and read-only; a
  correction is a new entry (`corrects` → the signed one) that is signed in turn; the old stays.
  Its `CriterionResult`s hold met / not met or a level, a comment, an optional evidence file.
- `BlockResult`: written at sign-off from the pure pass rule (`pass_rules.evaluate`); a correction's
  result `supersedes` the previous one. Append-only.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqphub.assessment import pass_rules
from cqphub.assessment.enums import Attendance, Outcome, SessionKind, SessionStatus
from cqphub.assessment.independence import Policy
from cqphub.orgs.models import Centre
from cqphub.qualifications.models import Habilitation, Qualification, QualificationVersion, SkillBlock


class ReadOnlyError(ValidationError):
    """A change to a signed grid entry or a result."""


class AssessmentPolicy(models.Model):
    """How a qualification is assessed, as its branch set it (one row per qualification; none = defaults)."""

    qualification = models.OneToOneField(
        Qualification, on_delete=models.CASCADE, related_name="assessment_policy"
    )
    no_own_trainees = models.BooleanField(_("un évaluateur n'évalue pas ses stagiaires"), default=True)
    no_own_company = models.BooleanField(
        _("un évaluateur n'évalue pas un salarié de son entreprise"), default=True
    )
    two_assessors = models.BooleanField(_("deux évaluateurs par bloc"), default=False)
    one_from_profession = models.BooleanField(_("dont un professionnel du métier"), default=False)
    scale = models.JSONField(
        _("échelle de niveaux (du plus bas au plus haut)"),
        default=list,
        blank=True,
        help_text=_("Vide : chaque critère est « satisfait » ou « non satisfait »."),
    )
    met_from = models.CharField(
        _("niveau à partir duquel un critère est satisfait"), max_length=60, blank=True
    )
    required_level = models.CharField(
        _("niveau médian exigé pour valider un bloc"),
        max_length=60,
        blank=True,
        help_text=_("Vide : la règle de validation de chaque bloc s'applique."),
    )

    class Meta:
        verbose_name = _("règles d'évaluation")
        verbose_name_plural = _("règles d'évaluation")

    def __str__(self) -> str:
        return str(self.qualification)

    def owning_branches(self):
        return self.qualification.owning_branches()

    def clean(self):
        super().clean()
        try:
            self.as_scale()
            if self.required_level:
                pass_rules.PassRule(
                    kind=pass_rules.LEVEL, scale=self.as_scale(), required_level=self.required_level
                )
        except ValueError as error:
            raise ValidationError({"scale": str(error)})

    def as_scale(self) -> pass_rules.Scale | None:
        if not self.scale:
            return None
        return pass_rules.Scale(levels=tuple(self.scale), met_from=self.met_from or self.scale[-1])

    def as_independence(self) -> Policy:
        return Policy(
            no_own_trainees=self.no_own_trainees,
            no_own_company=self.no_own_company,
            two_assessors=self.two_assessors,
            one_from_profession=self.one_from_profession,
        )


def policy_for(qualification) -> AssessmentPolicy:
    """The qualification's policy, or an unsaved default one."""
    policy = AssessmentPolicy.objects.filter(qualification=qualification).first()
    return policy or AssessmentPolicy(qualification=qualification)


def rule_for(block: SkillBlock, policy: AssessmentPolicy) -> pass_rules.PassRule:
    scale = policy.as_scale()
    if scale is not None and policy.required_level:
        return pass_rules.PassRule(kind=pass_rules.LEVEL, scale=scale, required_level=policy.required_level)
    return pass_rules.PassRule.from_block(block.pass_rule, block.pass_threshold, scale)


class AssessmentSessionQuerySet(models.QuerySet):
    def for_branches(self, branches):
        return self.filter(qualification__committee__branches__in=branches).distinct()


class AssessmentSession(models.Model):
    kind = models.CharField(
        _("nature"), max_length=6, choices=SessionKind.choices, default=SessionKind.CENTRE
    )
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre d'évaluation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessment_sessions",
    )
    qualification = models.ForeignKey(
        Qualification, verbose_name=_("CQP"), on_delete=models.PROTECT, related_name="assessment_sessions"
    )
    habilitation = models.ForeignKey(
        Habilitation,
        verbose_name=_("habilitation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessment_sessions",
        help_text=_(
            "L'habilitation « évaluer » en vigueur à la date de la session, vérifiée à la programmation."
        ),
    )
    blocks = models.ManyToManyField(
        SkillBlock, verbose_name=_("blocs évalués"), related_name="assessment_sessions"
    )
    on = models.DateField(_("date"))
    starts_at = models.TimeField(_("heure"), null=True, blank=True)
    place = models.CharField(_("lieu"), max_length=250)
    notes = models.TextField(_("consignes"), blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED, db_index=True
    )
    convened_at = models.DateTimeField(_("convocations envoyées le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = AssessmentSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session d'évaluation")
        verbose_name_plural = _("sessions d'évaluation")
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in SessionStatus]), name="assessment_session_status"
            ),
            models.CheckConstraint(
                condition=Q(kind="jury") | Q(centre__isnull=False, habilitation__isnull=False),
                name="assessment_session_centre_habilitation",
                violation_error_message=_(
                    "Une session de centre a un centre et son habilitation « évaluer »."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.qualification} — {self.organiser} — {self.on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:session", kwargs={"pk": self.pk})

    def owning_branches(self):
        return self.qualification.owning_branches()

    @property
    def organiser(self) -> str:
        return str(self.centre) if self.centre_id else str(_("le jury"))


class SessionCandidate(models.Model):
    session = models.ForeignKey(AssessmentSession, on_delete=models.CASCADE, related_name="candidates")
    candidacy = models.ForeignKey(
        "journeys.Candidacy",
        verbose_name=_("candidature"),
        on_delete=models.PROTECT,
        related_name="assessment_entries",
    )
    attendance = models.CharField(
        _("présence"), max_length=8, choices=Attendance.choices, default=Attendance.PRESENT
    )
    convocation = models.FileField(
        _("convocation (PDF)"), upload_to="assessment/convocations/%Y/", blank=True
    )
    convened_at = models.DateTimeField(_("convoqué le"), null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("candidat convoqué")
        verbose_name_plural = _("candidats convoqués")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "candidacy"], name="assessment_candidate_once")
        ]

    def __str__(self) -> str:
        return str(self.candidacy)


class AssessorAssignment(models.Model):
    session = models.ForeignKey(AssessmentSession, on_delete=models.CASCADE, related_name="assignments")
    block = models.ForeignKey(SkillBlock, verbose_name=_("bloc"), on_delete=models.PROTECT, related_name="+")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("évaluateur"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    from_profession = models.BooleanField(_("professionnel du métier"), default=False)
    employer_siret = models.CharField(
        _("SIRET de son employeur"),
        max_length=14,
        blank=True,
        help_text=_("Déclaré par l'évaluateur : il n'évalue pas les salariés de son entreprise."),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("évaluateur affecté")
        verbose_name_plural = _("évaluateurs affectés")
        ordering = ["session", "block", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "block", "assessor"], name="assessment_assignment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessor} — {self.block.code}"


class Grid(models.Model):
    """The block's assessment framework for one candidacy, copied from its frozen version."""

    session = models.ForeignKey(AssessmentSession, on_delete=models.PROTECT, related_name="grids")
    candidacy = models.ForeignKey("journeys.Candidacy", on_delete=models.PROTECT, related_name="grids")
    block = models.ForeignKey(SkillBlock, verbose_name=_("bloc"), on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(QualificationVersion, on_delete=models.PROTECT, related_name="+")
    content = models.JSONField(
        _("contenu")
    )  # {"tests": [...], "skills": [{"code", "statement", "criteria": [...]}]}
    criteria = models.JSONField(_("critères"))  # [{"id", "skill", "statement"}], in order
    pass_rule = models.JSONField(_("règle de validation"))  # pass_rules.PassRule.to_dict()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("grille d'évaluation")
        verbose_name_plural = _("grilles d'évaluation")
        ordering = ["session", "candidacy", "block__code"]
        constraints = [
            models.UniqueConstraint(fields=["session", "candidacy", "block"], name="assessment_grid_once"),
        ]

    def __str__(self) -> str:
        return f"{self.block.code} — {self.candidacy}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ReadOnlyError(_("Une grille ne change jamais une fois créée."), code="grid_frozen")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("assessment:grid", kwargs={"pk": self.pk})

    def owning_branches(self):
        return self.session.owning_branches()

    @property
    def centre(self):
        return self.session.centre

    def rule(self) -> pass_rules.PassRule:
        return pass_rules.PassRule.from_dict(self.pass_rule)

    def criterion_ids(self) -> list[int]:
        return [c["id"] for c in self.criteria]

    def current_entry(self):
        return self.entries.order_by("-number").first()

    def signed_result(self):
        return self.results.filter(superseded_by__isnull=True).first()


class GridEntry(models.Model):
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="entries")
    number = models.PositiveSmallIntegerField(_("numéro"), default=1)
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrected_by"
    )
    reason = models.TextField(_("motif de la correction"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_by_repr = models.CharField(_("signée par"), max_length=254, blank=True)
    signed_at = models.DateTimeField(_("signée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("saisie de grille")
        verbose_name_plural = _("saisies de grille")
        ordering = ["grid", "number"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "number"], name="assessment_entry_number"),
            models.UniqueConstraint(
                fields=["grid"], condition=Q(signed_at__isnull=True), name="assessment_one_draft_per_grid"
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(reason=""), name="assessment_correction_reason"
            ),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | Q(signed_by__isnull=False), name="assessment_signed_by"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grid} #{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            stored = GridEntry.objects.filter(pk=self.pk).values_list("signed_at", flat=True).first()
            if stored is not None:
                raise ReadOnlyError(_("Une grille signée n'est plus modifiable."), code="entry_signed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReadOnlyError(_("Une saisie de grille n'est jamais supprimée."), code="entry_kept")

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


def evidence_path(instance, filename: str) -> str:
    return f"assessment/evidence/{instance.entry.grid_id}/{filename}"


class CriterionResult(models.Model):
    entry = models.ForeignKey(GridEntry, on_delete=models.PROTECT, related_name="criterion_results")
    criterion_id = models.PositiveIntegerField(
        _("critère")
    )  # qualifications.Criterion pk, as copied in the grid
    position = models.PositiveSmallIntegerField(_("rang"))
    met = models.BooleanField(_("satisfait"), null=True, blank=True)
    level = models.CharField(_("niveau"), max_length=60, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    evidence = models.FileField(_("preuve"), upload_to=evidence_path, blank=True)

    class Meta:
        verbose_name = _("résultat par critère")
        verbose_name_plural = _("résultats par critère")
        ordering = ["entry", "position"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "criterion_id"], name="assessment_result_once"),
        ]

    def __str__(self) -> str:
        return f"{self.entry} · {self.position + 1}"

    def save(self, *args, **kwargs):
        if GridEntry.objects.filter(pk=self.entry_id, signed_at__isnull=False).exists():
            raise ReadOnlyError(_("Une grille signée n'est plus modifiable."), code="entry_signed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReadOnlyError(_("Un résultat n'est jamais supprimé."), code="result_kept")

    @property
    def value(self):
        """The pass rule's value: True / False, a level, or None (not scored)."""
        return self.level or self.met


class BlockResultQuerySet(models.QuerySet):
    def current(self):
        return self.filter(superseded_by__isnull=True)


class BlockResult(models.Model):
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="results")
    entry = models.OneToOneField(GridEntry, on_delete=models.PROTECT, related_name="result")
    candidacy = models.ForeignKey(
        "journeys.Candidacy", on_delete=models.PROTECT, related_name="block_results"
    )
    block = models.ForeignKey(SkillBlock, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("résultat"), max_length=10, choices=Outcome.choices)
    met = models.PositiveSmallIntegerField(_("critères satisfaits"))
    total = models.PositiveSmallIntegerField(_("critères"))
    level = models.CharField(_("niveau du bloc"), max_length=60, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signé le"))
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    objects = BlockResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("résultat du bloc")
        verbose_name_plural = _("résultats des blocs")
        ordering = ["candidacy", "block", "signed_at"]
        indexes = [models.Index(fields=["candidacy", "block"], name="assessment_result_cy_block")]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["passed", "failed"]), name="assessment_result_decided"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.block.code} {self.get_outcome_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ReadOnlyError(_("Un résultat signé n'est plus modifiable."), code="result_signed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReadOnlyError(_("Un résultat signé n'est jamais supprimé."), code="result_kept")

    @property
    def passed(self) -> bool:
        return self.outcome == Outcome.PASSED
