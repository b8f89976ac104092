"""CQP / CQPI authored by branches, their three frameworks in versions, their legal life and the
habilitation agreements of centres.

Shape
- `Qualification` (identity, owning committee, IP holder, legal life summary) has `QualificationVersion`s:
  at most one draft, any number of published (frozen) versions.
- A version owns its activities framework (`Activity` → `WorkSituation`, `target_jobs`) and references
  skill blocks through `VersionBlock(version, block, order, activities)`.
- A `SkillBlock` carries its skills framework (`Skill` → `KnowledgeItem`) and its assessment framework
  (`AssessmentMethod`, `AssessmentTest`, `Criterion` per skill, pass rule). A block may be referenced by
  several versions and qualifications (a CQPI's common blocks): one object, so a validated block counts
  for every qualification that references it. Once a version that references it is published the block
  is frozen; editing it from a new draft creates a new revision (`origin` → the frozen block).
- `LifecycleEvent`s are the dated legal life; `Qualification.state` and the registration columns are the
  summary the state machine (`lifecycle.py`) derives from them.
- `Habilitation`: a centre may train and/or assess for a qualification (or some of its blocks).
"""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqphub.orgs.models import Branch, Centre, CertifierEntity, Committee
from cqphub.qualifications import lifecycle
from cqphub.qualifications.enums import (
    AssessmentMethodKind,
    HabilitationScope,
    HabilitationState,
    LifecycleEventKind,
    LifecycleState,
    PassRule,
    QualificationKind,
    Register,
    VersionState,
)

ROME_RE = re.compile(r"^[A-N]\d{4}$")


class FrozenError(ValidationError):
    """A change to a published version, or to a block frozen by a published version."""


def validate_rome_codes(value) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Liste de codes ROME attendue."), code="rome_list")
    bad = [code for code in value if not isinstance(code, str) or not ROME_RE.match(code)]
    if bad:
        raise ValidationError(
            _("Code(s) ROME invalide(s) : %(codes)s (une lettre et 4 chiffres, par ex. « D1102 »)."),
            code="rome_format",
            params={"codes": ", ".join(map(str, bad))},
        )


# ---------------------------------------------------------------------------------------------
# Qualification
# ---------------------------------------------------------------------------------------------


class QualificationQuerySet(models.QuerySet):
    def for_branches(self, branches):
        return self.filter(committee__branches__in=branches).distinct()


class Qualification(models.Model):
    kind = models.CharField(_("type"), max_length=4, choices=QualificationKind.choices)
    title = models.CharField(_("intitulé"), max_length=300)
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("commission paritaire (CPNE)"),
        on_delete=models.PROTECT,
        related_name="qualifications",
    )
    rome_codes = models.JSONField(
        _("métiers visés (codes ROME)"), default=list, blank=True, validators=[validate_rome_codes]
    )
    creation_decision_date = models.DateField(_("date de la décision de création"))
    ip_holder = models.ForeignKey(
        CertifierEntity,
        verbose_name=_("titulaire des droits de propriété intellectuelle"),
        on_delete=models.PROTECT,
        related_name="qualifications",
        help_text=_("Désigné par la ou les CPNE à la création (L. 6113-4 al. 2)."),
    )
    # Legal life summary, derived from the events by lifecycle.replay (kept for queries).
    state = models.CharField(
        _("situation"), max_length=20, choices=LifecycleState.choices, default=LifecycleState.CREATED
    )
    transmitted_fc_on = models.DateField(_("transmise à France compétences le"), null=True, blank=True)
    transmitted_cdc_on = models.DateField(_("transmise à la Caisse des dépôts le"), null=True, blank=True)
    register = models.CharField(_("répertoire"), max_length=4, choices=Register.choices, blank=True)
    fiche_code = models.CharField(_("numéro de fiche"), max_length=20, blank=True, db_index=True)
    level = models.PositiveSmallIntegerField(_("niveau"), null=True, blank=True)
    registered_from = models.DateField(_("enregistrée du"), null=True, blank=True)
    registered_until = models.DateField(_("enregistrée jusqu'au"), null=True, blank=True)
    certification = models.ForeignKey(
        "registry.Certification",
        verbose_name=_("fiche du répertoire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="branch_qualifications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = QualificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["CQP", "CQPI"]), name="quals_kind_valid"),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=8), name="quals_level_1_8"
            ),
            models.CheckConstraint(
                condition=Q(registered_until__isnull=True)
                | Q(registered_from__isnull=True)
                | Q(registered_until__gt=models.F("registered_from")),
                name="quals_registration_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("qualifications:detail", kwargs={"pk": self.pk})

    # -- invariants ----------------------------------------------------------------------------
    def clean(self):
        super().clean()
        if self.committee_id:
            check_kind_against_branches(self.kind, list(self.committee.branches.all()))
            holder = self.ip_holder if self.ip_holder_id else None
            if (
                holder is not None
                and holder.branch_id
                and not self.committee.branches.filter(pk=holder.branch_id).exists()
            ):  # review L6: no other branch's certifier as IP holder
                raise ValidationError(
                    {"ip_holder": _("Le titulaire des droits doit relever d'une branche de la CPNE choisie.")}
                )

    # -- derived -------------------------------------------------------------------------------
    def owning_branches(self):
        return Branch.objects.filter(committees=self.committee_id)

    @property
    def idcc_codes(self) -> list[str]:
        codes: list[str] = []
        for branch in self.owning_branches():
            codes += [code for code in branch.idcc_codes if code not in codes]
        return codes

    def draft(self):
        return self.versions.filter(state=VersionState.DRAFT).first()

    def latest_published(self):
        return self.versions.filter(state=VersionState.PUBLISHED).order_by("-number").first()

    def current_version(self):
        """The version a candidate is assessed against today: the latest published one."""
        return self.latest_published()

    def snapshot(self) -> lifecycle.Snapshot:
        return lifecycle.replay([event.as_lifecycle_event() for event in self.events.order_by("on", "pk")])


def check_kind_against_branches(kind: str, branches: list) -> None:
    """A CQP belongs to one branch's committee; a CQPI to at least two branches (L. 6314-1 3°, RULES §2)."""
    names = ", ".join(str(b) for b in branches) or "—"
    if kind == QualificationKind.CQPI and len(branches) < 2:
        raise ValidationError(
            {
                "committee": _(
                    "Un CQPI est créé par au moins deux branches : la commission choisie ne réunit "
                    "que %(count)s branche (%(names)s). Choisissez une commission interbranche ou créez un CQP."
                )
                % {"count": len(branches), "names": names}
            },
            code="cqpi_needs_two_branches",
        )
    if kind == QualificationKind.CQP and len(branches) != 1:
        raise ValidationError(
            {
                "committee": _(
                    "Un CQP relève de la commission d'une seule branche ; cette commission en réunit "
                    "%(count)s (%(names)s) : créez plutôt un CQPI."
                )
                % {"count": len(branches), "names": names}
            },
            code="cqp_needs_one_branch",
        )


class IpHolderChange(models.Model):
    """History of the IP holder: the CPNE may substitute a new holder at any time (L. 6113-4 al. 2)."""

    qualification = models.ForeignKey(
        Qualification, on_delete=models.CASCADE, related_name="ip_holder_changes"
    )
    holder = models.ForeignKey(CertifierEntity, on_delete=models.PROTECT, related_name="+")
    changed_on = models.DateField(_("date de la décision"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["qualification", "changed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.changed_on:%d/%m/%Y} {self.holder}"


# ---------------------------------------------------------------------------------------------
# Versions and frameworks
# ---------------------------------------------------------------------------------------------


class QualificationVersion(models.Model):
    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("numéro"))
    state = models.CharField(
        _("état"), max_length=10, choices=VersionState.choices, default=VersionState.DRAFT
    )
    title = models.CharField(_("intitulé de la version"), max_length=300)
    target_jobs = models.JSONField(_("emplois visés"), default=list, blank=True)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("issue de")
    )
    certification = models.ForeignKey(
        "registry.Certification",
        verbose_name=_("fiche du répertoire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="branch_versions",
    )
    fiche_code = models.CharField(_("numéro de fiche"), max_length=20, blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    blocks = models.ManyToManyField("SkillBlock", through="VersionBlock", related_name="versions")

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["qualification", "number"]
        constraints = [
            models.UniqueConstraint(fields=["qualification", "number"], name="quals_version_number_unique"),
            models.UniqueConstraint(
                fields=["qualification"], condition=Q(state="draft"), name="quals_one_draft_per_qualification"
            ),
            models.CheckConstraint(
                condition=Q(state="draft", published_at__isnull=True)
                | Q(state="published", published_at__isnull=False),
                name="quals_version_published_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.qualification} — v{self.number} ({self.get_state_display()})"

    def save(self, *args, **kwargs):
        if self.pk and not self._state.adding:
            stored = QualificationVersion.objects.filter(pk=self.pk).values("state").first()
            if stored and stored["state"] == VersionState.PUBLISHED:
                raise FrozenError(_("Une version publiée ne peut plus être modifiée."), code="version_frozen")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("qualifications:version", kwargs={"pk": self.qualification_id, "number": self.number})

    def delete(self, *args, **kwargs):
        if self.is_published:
            raise FrozenError(_("Une version publiée ne peut pas être supprimée."), code="version_frozen")
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.state == VersionState.PUBLISHED

    def assert_editable(self) -> None:
        if self.is_published:
            raise FrozenError(
                _(
                    "La version %(number)s est publiée : elle est figée. Créez une nouvelle version pour la modifier."
                )
                % {"number": self.number},
                code="version_frozen",
            )

    def ordered_blocks(self):
        return [vb.block for vb in self.version_blocks.select_related("block").order_by("order", "pk")]


class _VersionRow(models.Model):
    """A row owned by a version: refused once the version is published."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._check()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check()
        return super().delete(*args, **kwargs)

    def _check(self) -> None:
        version = self._version()
        version.assert_editable()
        if QualificationVersion.objects.filter(pk=version.pk, state=VersionState.PUBLISHED).exists():
            version.state = VersionState.PUBLISHED  # the instance was stale
            version.assert_editable()

    def _version(self) -> QualificationVersion:  # pragma: no cover - overridden
        raise NotImplementedError


class Activity(_VersionRow):
    version = models.ForeignKey(QualificationVersion, on_delete=models.CASCADE, related_name="activities")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("intitulé"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        ordering = ["version", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="quals_activity_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def _version(self):
        return self.version


class WorkSituation(_VersionRow):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="work_situations")
    title = models.CharField(_("situation de travail"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("situation de travail")
        verbose_name_plural = _("situations de travail")
        ordering = ["activity", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    def _version(self):
        return self.activity.version


class SkillBlock(models.Model):
    """A block of skills with its assessment framework; may be shared by several versions."""

    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("intitulé"), max_length=500)
    revision = models.PositiveIntegerField(_("révision"), default=1)
    origin = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
        verbose_name=_("révision précédente"),
    )
    pass_rule = models.CharField(
        _("règle de validation"), max_length=10, choices=PassRule.choices, default=PassRule.ALL
    )
    pass_threshold = models.PositiveSmallIntegerField(
        _("seuil (nombre minimal de critères satisfaits)"), null=True, blank=True
    )
    frozen = models.BooleanField(_("figé"), default=False)
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="skill_blocks", verbose_name=_("commission auteur")
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bloc de compétences")
        verbose_name_plural = _("blocs de compétences")
        ordering = ["code", "revision"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_rule="all", pass_threshold__isnull=True)  # noqa: S106
                | Q(pass_rule="threshold", pass_threshold__isnull=False, pass_threshold__gte=1),  # noqa: S106
                name="quals_block_pass_rule",
                violation_error_message=_(
                    "Règle « tous les critères » : pas de seuil ; règle « seuil » : un seuil d'au moins 1."
                ),
            ),
        ]

    def __str__(self) -> str:
        suffix = f" (r{self.revision})" if self.revision > 1 else ""
        return f"{self.code} {self.title}{suffix}"

    def save(self, *args, **kwargs):
        if self.pk and not self._state.adding:
            stored = SkillBlock.objects.filter(pk=self.pk).values("frozen").first()
            if stored and stored["frozen"]:
                raise FrozenError(_("Ce bloc est figé."), code="block_frozen")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.assert_editable()
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.pass_rule == PassRule.THRESHOLD and not self.pass_threshold:
            raise ValidationError(
                {"pass_threshold": _("Indiquez le nombre minimal de critères à satisfaire.")}
            )
        if self.pass_rule == PassRule.ALL:
            self.pass_threshold = None

    def assert_editable(self) -> None:
        if self.frozen:
            raise FrozenError(
                _("Le bloc %(code)s appartient à une version publiée : il est figé.") % {"code": self.code},
                code="block_frozen",
            )

    def qualifications(self):
        return Qualification.objects.filter(versions__version_blocks__block=self).distinct()

    def criteria_count(self) -> int:
        return Criterion.objects.filter(skill__block=self).count()

    def is_passed(self, criteria_met: int) -> bool:
        """The block's pass rule applied to a number of criteria met."""
        total = self.criteria_count()
        if self.pass_rule == PassRule.THRESHOLD:
            return criteria_met >= (self.pass_threshold or total)
        return total > 0 and criteria_met >= total


class VersionBlock(models.Model):
    version = models.ForeignKey(QualificationVersion, on_delete=models.CASCADE, related_name="version_blocks")
    block = models.ForeignKey(SkillBlock, on_delete=models.PROTECT, related_name="version_blocks")
    order = models.PositiveIntegerField(_("ordre"), default=0)
    activities = models.ManyToManyField(Activity, blank=True, related_name="version_blocks")

    class Meta:
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "block"], name="quals_version_block_unique")
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.block}"

    def save(self, *args, **kwargs):
        self.version.assert_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.version.assert_editable()
        return super().delete(*args, **kwargs)


class _BlockRow(models.Model):
    """A row of a block's skills or assessment framework: refused once the block is frozen."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._check()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check()
        return super().delete(*args, **kwargs)

    def _check(self) -> None:
        block = self._block()
        block.assert_editable()
        if SkillBlock.objects.filter(pk=block.pk, frozen=True).exists():
            block.frozen = True  # the instance was stale
            block.assert_editable()

    def _block(self) -> SkillBlock:  # pragma: no cover - overridden
        raise NotImplementedError


class Skill(_BlockRow):
    block = models.ForeignKey(SkillBlock, on_delete=models.CASCADE, related_name="skills")
    code = models.CharField(_("code"), max_length=20)
    statement = models.TextField(_("énoncé"))
    transversal = models.BooleanField(_("compétence transversale"), default=False)
    order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        ordering = ["block", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["block", "code"], name="quals_skill_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.statement[:80]}"

    def _block(self):
        return self.block


class KnowledgeItem(_BlockRow):
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="knowledge_items")
    label = models.CharField(_("savoir"), max_length=500)
    order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("savoir associé")
        verbose_name_plural = _("savoirs associés")
        ordering = ["skill", "order", "pk"]

    def __str__(self) -> str:
        return self.label

    def _block(self):
        return self.skill.block


class Criterion(_BlockRow):
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="criteria")
    statement = models.CharField(_("critère d'évaluation"), max_length=500)
    order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("critère d'évaluation")
        verbose_name_plural = _("critères d'évaluation")
        ordering = ["skill", "order", "pk"]

    def __str__(self) -> str:
        return self.statement

    def _block(self):
        return self.skill.block


class AssessmentMethod(_BlockRow):
    block = models.ForeignKey(SkillBlock, on_delete=models.CASCADE, related_name="methods")
    kind = models.CharField(_("modalité"), max_length=20, choices=AssessmentMethodKind.choices)
    description = models.TextField(_("précisions"), blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("modalité d'évaluation")
        verbose_name_plural = _("modalités d'évaluation")
        ordering = ["block", "order", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def _block(self):
        return self.block


class AssessmentTest(_BlockRow):
    block = models.ForeignKey(SkillBlock, on_delete=models.CASCADE, related_name="tests")
    title = models.CharField(_("épreuve"), max_length=300)
    method = models.CharField(_("modalité"), max_length=20, choices=AssessmentMethodKind.choices)
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"), null=True, blank=True)
    description = models.TextField(_("déroulement"), blank=True)
    order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("épreuve")
        verbose_name_plural = _("épreuves")
        ordering = ["block", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    def _block(self):
        return self.block


# ---------------------------------------------------------------------------------------------
# Legal life
# ---------------------------------------------------------------------------------------------


class LifecycleEvent(models.Model):
    """One dated step of the legal life; append-only (a mistake is corrected by a later event)."""

    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("événement"), max_length=24, choices=LifecycleEventKind.choices)
    on = models.DateField(_("date"))
    register = models.CharField(_("répertoire"), max_length=4, choices=Register.choices, blank=True)
    fiche_code = models.CharField(_("numéro de fiche"), max_length=20, blank=True)
    level = models.PositiveSmallIntegerField(_("niveau"), null=True, blank=True)
    start = models.DateField(_("début d'enregistrement"), null=True, blank=True)
    end = models.DateField(_("fin d'enregistrement"), null=True, blank=True)
    note = models.TextField(_("observations"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("événement de la vie légale")
        verbose_name_plural = _("vie légale")
        ordering = ["qualification", "on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gt=models.F("start")),
                name="quals_event_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk and not self._state.adding:
            raise TypeError("Lifecycle events are append-only.")
        super().save(*args, **kwargs)

    def as_lifecycle_event(self) -> lifecycle.Event:
        return lifecycle.Event(
            kind=self.kind,
            on=self.on,
            register=self.register,
            fiche_code=self.fiche_code,
            level=self.level,
            start=self.start,
            end=self.end,
        )


# ---------------------------------------------------------------------------------------------
# Habilitations (R. 6113-16 to R. 6113-16-6)
# ---------------------------------------------------------------------------------------------


class HabilitationQuerySet(models.QuerySet):
    def valid_on(self, on: date):
        return self.filter(valid_from__lte=on, valid_until__gte=on).exclude(
            state=HabilitationState.SUSPENDED, suspended_at__date__lte=on
        )


class Habilitation(models.Model):
    """The agreement by which the certifier allows a centre to train and/or assess (R. 6113-16-1/-2)."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="habilitations")
    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="habilitations")
    blocks = models.ManyToManyField(
        SkillBlock,
        blank=True,
        related_name="habilitations",
        verbose_name=_("blocs"),
        help_text=_("Aucun bloc : toute la qualification."),
    )
    scope = models.CharField(_("objet"), max_length=6, choices=HabilitationScope.choices)
    valid_from = models.DateField(_("valable du"))
    valid_until = models.DateField(_("valable jusqu'au"))
    state = models.CharField(
        _("état"),
        max_length=10,
        choices=[
            (HabilitationState.ACTIVE.value, HabilitationState.ACTIVE.label),
            (HabilitationState.SUSPENDED.value, HabilitationState.SUSPENDED.label),
        ],
        default=HabilitationState.ACTIVE,
    )
    suspension_reason = models.TextField(_("motif de la suspension"), blank=True)
    suspended_at = models.DateTimeField(_("suspendue le"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = HabilitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("habilitation")
        verbose_name_plural = _("habilitations")
        ordering = ["qualification", "centre__name", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")), name="quals_hab_dates"
            ),
            models.CheckConstraint(
                condition=Q(scope__in=["train", "assess", "both"]), name="quals_hab_scope"
            ),
            models.CheckConstraint(
                condition=Q(state="active", suspended_at__isnull=True)
                | (Q(state="suspended", suspended_at__isnull=False) & ~Q(suspension_reason="")),
                name="quals_hab_suspension",
                violation_error_message=_("Une suspension exige une date et un motif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre} — {self.qualification} ({self.get_scope_display()})"

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("La fin de validité doit suivre son début.")})

    def state_on(self, on: date | None = None) -> str:
        """Active, suspended, or expired (derived: outside its validity period)."""
        on = on or timezone.localdate()
        if (
            self.state == HabilitationState.SUSPENDED
            and self.suspended_at
            and (timezone.localtime(self.suspended_at).date() <= on)
        ):
            return HabilitationState.SUSPENDED
        if on > self.valid_until:
            return HabilitationState.EXPIRED
        if on < self.valid_from:
            return "not_yet"
        return HabilitationState.ACTIVE

    @property
    def current_state(self) -> str:
        return self.state_on()

    @property
    def current_state_label(self) -> str:
        state = self.current_state
        if state == "not_yet":
            return str(_("Pas encore en vigueur"))
        return str(HabilitationState(state).label)

    def allows(self, action: str, on: date | None = None, block: SkillBlock | None = None) -> bool:
        """May the centre `action` ("train" | "assess") on this date (for this block)?"""
        if action not in (HabilitationScope.TRAIN, HabilitationScope.ASSESS):
            raise ValueError(f"unknown action {action!r}: 'train' or 'assess'")
        if self.state_on(on) != HabilitationState.ACTIVE:
            return False
        if self.scope not in (action, HabilitationScope.BOTH):
            return False
        if block is None:
            return True
        block_ids = set(self.blocks.values_list("pk", flat=True))
        if not block_ids:
            return True
        # A later revision of a habilitated block is the same block for the agreement.
        lineage = block
        while lineage is not None:
            if lineage.pk in block_ids:
                return True
            lineage = lineage.origin
        return False
