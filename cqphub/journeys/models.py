"""Candidates and their journeys to a CQP: candidacies, their workflow log, positioning per block,
VAE admissibility, documents, and the access a candidate grants to an advisor or an employer.

Writes go through `services.py` (one transaction each, audited). Invariants enforced here:
a candidacy targets a *published* version; its status only changes through
`services.transition` (which logs a `CandidacyTransition`); transitions and positioning history
are append-only.
"""

from __future__ import annotations

import re
import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqphub.journeys.enums import (
    AdmissibilityDecision,
    DocumentKind,
    ExemptionRule,
    Funding,
    GrantRole,
    PositioningOutcome,
    Route,
    Sex,
    Status,
    Target,
)
from cqphub.orgs.models import Branch, Centre, validate_siret
from cqphub.qualifications.models import Qualification, QualificationVersion, SkillBlock
from cqphub.text import fold_alnum

INSEE_COMMUNE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
INSEE_COUNTRY_RE = re.compile(r"^99\d{3}$")


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """The translated label of one value (the value itself when it is not a choice)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def age_on(birth_year: int, birth_month: int | None, birth_day: int | None, on: date) -> int:
    """`Candidate.age_on` for a person not saved yet."""
    age = on.year - birth_year
    if (on.month, on.day) < (birth_month or 12, birth_day or 31):
        age -= 1
    return age


def identity_key(birth_name: str, first_names: str) -> str:
    """The folded key duplicates are looked up by: birth name + first first-name."""
    first = fold_alnum(first_names).split(" ")[0]
    return f"{fold_alnum(birth_name)}|{first}"


def validate_birth_commune(value: str) -> None:
    if value and not INSEE_COMMUNE_RE.match(value):
        raise ValidationError(
            _("Code commune INSEE « %(value)s » invalide (5 caractères, par ex. 69123 ou 2A004)."),
            code="insee_commune",
            params={"value": value},
        )


def validate_birth_country(value: str) -> None:
    if value and not INSEE_COUNTRY_RE.match(value):
        raise ValidationError(
            _(
                "Code pays INSEE « %(value)s » invalide (99 suivi de 3 chiffres, par ex. 99350 pour le Maroc)."
            ),
            code="insee_country",
            params={"value": value},
        )


# ---------------------------------------------------------------------------------------------
# Candidate
# ---------------------------------------------------------------------------------------------


class CandidateQuerySet(models.QuerySet):
    def active(self):
        return self.filter(merged_into__isnull=True)


class Candidate(models.Model):
    """A person preparing a CQP: the civil identity the holder report needs, and contact details.

    Legal basis of each piece of personal data (GDPR art. 6; the certifier's record of processing):

    - birth name, usage name, first names, sex, date of birth (year mandatory; month and day when
      known), birth commune (INSEE code) or birth country (INSEE code 99xxx): **legal obligation**
      (GDPR art. 6-1-c) — the certifier must send holders' identity to the CPF information system
      (L. 6113-8, R. 6113-17-1 and -2, "accrochage" to the Caisse des dépôts), and the parchment
      must name its holder; the same data detects duplicate records.
    - e-mail, phone, postal address: **performance of a task carried out in the public interest /
      legitimate interest of the certifier** (art. 6-1-e / 6-1-f) — organising the assessment and
      the jury, notifying the decision (R. 6412-7: within 15 days for VAE), deadline reminders.
    - login account (`user`): **consent** (art. 6-1-a) — optional; the candidate asks for it to
      follow their own file.
    - `consent_at` records when the candidate was informed (art. 13) and agreed to reminders by
      e-mail; refusing does not stop the journey (L. 6323-2 and L. 6421-1: consent to CPF use and to
      VAE is the person's own, and is recorded on the candidacy, not here).
    Nationality is not collected (not needed for the holder report). The social-security number
    (NIR) the CDC report uses is not stored by this app: the reporting app collects it, if at all,
    at report time.
    """

    birth_name = models.CharField(_("nom de naissance"), max_length=150)
    usage_name = models.CharField(_("nom d'usage"), max_length=150, blank=True)
    first_names = models.CharField(_("prénoms"), max_length=200, help_text=_("Dans l'ordre de l'état civil."))
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(_("année de naissance"))
    birth_month = models.PositiveSmallIntegerField(_("mois de naissance"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("jour de naissance"), null=True, blank=True)
    birth_commune = models.CharField(
        _("commune de naissance (code INSEE)"), max_length=5, blank=True, validators=[validate_birth_commune]
    )
    birth_country = models.CharField(
        _("pays de naissance (code INSEE)"),
        max_length=5,
        blank=True,
        validators=[validate_birth_country],
        help_text=_("Pour une naissance hors de France : 99 suivi de 3 chiffres."),
    )
    email = models.EmailField(_("adresse e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    postcode = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("commune"), max_length=120, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidate",
    )
    consent_at = models.DateTimeField(_("informé(e) et d'accord le"), null=True, blank=True)
    # folded "birth name|first first-name", stored so that duplicate look-ups use an index
    identity_key = models.CharField(max_length=320, editable=False, db_index=False)
    created_by_centre = models.ForeignKey(
        Centre,
        verbose_name=_("saisi par le centre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entered_candidates",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("fusionné dans"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
    )
    created = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidat")
        verbose_name_plural = _("candidats")
        ordering = ["birth_name", "first_names", "pk"]
        indexes = [models.Index(fields=["identity_key", "birth_year"], name="journeys_cand_identity")]
        constraints = [
            models.CheckConstraint(condition=Q(sex__in=["F", "M"]), name="journeys_cand_sex"),
            models.CheckConstraint(
                condition=Q(birth_year__gte=1900, birth_year__lte=2100), name="journeys_cand_birth_year"
            ),
            models.CheckConstraint(
                condition=Q(birth_month__isnull=True) | Q(birth_month__gte=1, birth_month__lte=12),
                name="journeys_cand_birth_month",
            ),
            models.CheckConstraint(
                condition=Q(birth_day__isnull=True)
                | Q(birth_month__isnull=False, birth_day__gte=1, birth_day__lte=31),
                name="journeys_cand_birth_day",
                violation_error_message=_("Un jour de naissance exige le mois."),
            ),
            models.CheckConstraint(
                condition=(Q(birth_commune="") & ~Q(birth_country=""))
                | (~Q(birth_commune="") & Q(birth_country="")),
                name="journeys_cand_birthplace",
                violation_error_message=_(
                    "Indiquez soit la commune de naissance (code INSEE), soit le pays de naissance."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.identity_key = identity_key(self.birth_name, self.first_names)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("journeys:candidate", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        self.birth_name = (self.birth_name or "").strip()
        self.first_names = (self.first_names or "").strip()
        if self.birth_day and not self.birth_month:
            raise ValidationError({"birth_month": _("Un jour de naissance exige le mois.")})
        if self.birth_day and self.birth_month:
            try:
                date(self.birth_year, self.birth_month, self.birth_day)
            except (TypeError, ValueError):
                raise ValidationError({"birth_day": _("Cette date de naissance n'existe pas.")})
        if bool(self.birth_commune) == bool(self.birth_country):
            raise ValidationError(
                {
                    "birth_commune": _(
                        "Indiquez soit la commune de naissance (code INSEE), soit le pays de naissance."
                    )
                }
            )

    @property
    def display_name(self) -> str:
        name = self.usage_name or self.birth_name
        return f"{name.upper()} {self.first_names}".strip()

    @property
    def birth_date_display(self) -> str:
        if self.birth_day and self.birth_month:
            return f"{self.birth_day:02d}/{self.birth_month:02d}/{self.birth_year}"
        if self.birth_month:
            return f"{self.birth_month:02d}/{self.birth_year}"
        return str(self.birth_year)

    def age_on(self, on: date) -> int:
        """Age in whole years on `on`; with an unknown birthday, the age reached at the end of that year
        is lowered by one until 31 December (the cautious reading for age limits)."""
        return age_on(self.birth_year, self.birth_month, self.birth_day, on)


# ---------------------------------------------------------------------------------------------
# Candidacy
# ---------------------------------------------------------------------------------------------


class RulesSnapshot(models.Model):
    """The rules engine's findings (with rule versions and citations) as they were given, stored once
    per distinct content: thousands of candidacies on one CQP, date and situation share one row
    (a full answer is ~50 KB). Immutable."""

    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the canonical JSON
    findings = models.JSONField(default=list)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("constats du moteur de règles")
        verbose_name_plural = _("constats du moteur de règles")

    def __str__(self) -> str:
        return self.digest[:12]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("A rules snapshot is immutable.")
        super().save(*args, **kwargs)

    @staticmethod
    def digest_of(findings: list[dict]) -> str:
        import hashlib
        import json

        canonical = json.dumps(findings, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @classmethod
    def for_findings(cls, findings: list[dict]) -> RulesSnapshot:
        digest = cls.digest_of(findings)
        found = cls.objects.filter(digest=digest).first()
        if found is None:
            found, _created = cls.objects.get_or_create(digest=digest, defaults={"findings": findings})
        return found


class CandidacyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if "status" in kwargs:
            raise TypeError("A candidacy's status changes only through journeys.services.transition().")
        return super().update(**kwargs)

    def open(self):
        return self.exclude(status__in=[Status.WITHDRAWN, Status.NOT_ADMISSIBLE, Status.ARCHIVED])


class StatusChangeRefused(ValidationError):
    pass


class Candidacy(models.Model):
    """One candidate, one published CQP version, one route (training or VAE)."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidat"), on_delete=models.PROTECT, related_name="candidacies"
    )
    version = models.ForeignKey(
        QualificationVersion,
        verbose_name=_("version du CQP"),
        on_delete=models.PROTECT,
        related_name="candidacies",
    )
    # denormalised from the version for lists and filters
    qualification = models.ForeignKey(
        Qualification,
        verbose_name=_("CQP"),
        on_delete=models.PROTECT,
        related_name="candidacies",
        editable=False,
    )
    target = models.CharField(_("visée"), max_length=6, choices=Target.choices, default=Target.WHOLE)
    target_blocks = models.ManyToManyField(
        SkillBlock, verbose_name=_("blocs visés"), blank=True, related_name="targeted_by"
    )
    route = models.CharField(_("voie d'accès"), max_length=8, choices=Route.choices)
    funding = models.CharField(_("financement / dispositif"), max_length=20, choices=Funding.choices)
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidacies",
        help_text=_(
            "Formation : l'organisme de formation. VAE : l'organisme qui accompagne, s'il y en a un."
        ),
    )
    employer_name = models.CharField(_("employeur"), max_length=250, blank=True)
    employer_siret = models.CharField(
        _("SIRET de l'employeur"), max_length=14, blank=True, validators=[validate_siret]
    )
    planned_start = models.DateField(_("début prévu"), null=True, blank=True)
    planned_end = models.DateField(_("fin prévue"), null=True, blank=True)
    planned_hours = models.PositiveIntegerField(_("durée prévue (heures)"), null=True, blank=True)
    # VAE accompaniment (R. 6412-2): who, how many hours
    accompanist = models.CharField(_("accompagnateur (AAP)"), max_length=250, blank=True)
    accompaniment_hours = models.PositiveIntegerField(_("heures d'accompagnement"), null=True, blank=True)
    # The person's situation and the rules engine's answer at creation (kept: the candidate may
    # contest later). `findings` is a list of Finding.to_dict() with rule versions and citations.
    situation = models.JSONField(_("situation de la personne"), default=dict, blank=True)
    rules_on = models.DateField(_("règles appliquées au"))
    rules_snapshot = models.ForeignKey(
        RulesSnapshot,
        verbose_name=_("constats du moteur de règles"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("état"), max_length=24, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    status_changed_at = models.DateTimeField(_("état depuis le"), default=timezone.now)
    resume_to = models.CharField(_("reprise en"), max_length=24, choices=Status.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(_("créée le"), default=timezone.now, db_index=True)
    updated = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = CandidacyQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["qualification", "status", "-created"], name="journeys_cy_qual_status"),
            # The list's other filter pairs, each with the date (the page's order, read backwards)
            # and the CQP (the branch's visibility) in the index: the capped per-status count reads
            # the index alone, and the page's ids come in order without a sort of every match.
            models.Index(
                fields=["centre", "status", "created", "qualification"], name="journeys_cy_centre_list"
            ),
            models.Index(
                fields=["route", "status", "created", "qualification"], name="journeys_cy_route_list"
            ),
            models.Index(
                fields=["route", "created", "qualification", "status"], name="journeys_cy_route_date"
            ),
            # a branch's list (qualification IN its CQPs) with any of its filters, counted per status
            # from the index alone: CQP, route, status, date, centre are all in it
            models.Index(
                fields=["qualification", "route", "status", "created", "centre"],
                name="journeys_cy_branch_list",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(route__in=["training", "vae"]), name="journeys_cy_route"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]), name="journeys_cy_status"
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="journeys_cy_dates",
                violation_error_message=_("La fin prévue doit suivre le début."),
            ),
            models.CheckConstraint(
                condition=Q(route="vae") | Q(centre__isnull=False),
                name="journeys_cy_training_centre",
                violation_error_message=_(
                    "Une candidature par la voie de la formation a un centre de formation."
                ),
            ),
        ]

    _status_change_allowed = False

    def __str__(self) -> str:
        return f"{self.candidate} — {self.qualification} ({self.get_route_display()})"

    def save(self, *args, **kwargs):
        if self.version_id and not self.qualification_id:
            self.qualification_id = self.version.qualification_id
        if self._state.adding:
            if self.version_id and not self.version.is_published:
                raise ValidationError(
                    _("Une candidature vise une version publiée du CQP, jamais un brouillon."),
                    code="version_draft",
                )
            if self.status != Status.DRAFT and not self._status_change_allowed:
                raise StatusChangeRefused(
                    _("Une candidature commence à l'état brouillon."), code="status_outside_workflow"
                )
        else:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", "version_id").first()
            if stored is not None:
                if stored[0] != self.status and not self._status_change_allowed:
                    raise StatusChangeRefused(
                        _("L'état d'une candidature ne change que par une transition du parcours."),
                        code="status_outside_workflow",
                    )
                if stored[1] != self.version_id:
                    raise ValidationError(_("La version visée ne change pas ; créez une autre candidature."))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("journeys:candidacy", kwargs={"pk": self.pk})

    # Labels by one enum lookup: Django's generated get_FOO_display() translates every label of the
    # field's choices on each call, and a list page asks 75 times.
    def get_route_display(self) -> str:
        return choice_label(Route, self.route)

    def get_funding_display(self) -> str:
        return choice_label(Funding, self.funding)

    def get_status_display(self) -> str:
        return choice_label(Status, self.status)

    def get_target_display(self) -> str:
        return choice_label(Target, self.target)

    def owning_branches(self):
        return Branch.objects.filter(committees=self.qualification.committee_id)

    @property
    def is_vae(self) -> bool:
        return self.route == Route.VAE

    @property
    def findings(self) -> list[dict]:
        return self.rules_snapshot.findings if self.rules_snapshot_id else []

    def findings_by_id(self) -> dict[str, dict]:
        return {f["id"]: f for f in self.findings or []}


class CandidacyTransitionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The transition log is append-only.")

    def delete(self):
        raise TypeError("The transition log is append-only.")


class CandidacyTransition(models.Model):
    """One status change: who, when, from, to, why. Append-only."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("de"), max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(_("vers"), max_length=24, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_repr = models.CharField(_("par"), max_length=254, blank=True)
    actor_kind = models.CharField(_("au titre de"), max_length=40, blank=True)
    at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    reason = models.TextField(_("motif"), blank=True)

    objects = CandidacyTransitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("changement d'état")
        verbose_name_plural = _("changements d'état")
        ordering = ["candidacy", "at", "pk"]
        indexes = [models.Index(fields=["candidacy", "at"], name="journeys_tr_candidacy_at")]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("The transition log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The transition log is append-only.")


# ---------------------------------------------------------------------------------------------
# VAE admissibility (R. 6412-3, R. 6412-4)
# ---------------------------------------------------------------------------------------------


class Admissibility(models.Model):
    """The admissibility ("recevabilité") request of a VAE candidacy and the certifier's decision."""

    candidacy = models.OneToOneField(Candidacy, on_delete=models.CASCADE, related_name="admissibility")
    requested_on = models.DateField(_("demande déposée le"), null=True, blank=True)
    complete_on = models.DateField(
        _("dossier complet le"),
        null=True,
        blank=True,
        help_text=_("Le délai de 2 mois court de cette date (R. 6412-4)."),
    )
    decision = models.CharField(
        _("décision"), max_length=16, choices=AdmissibilityDecision.choices, blank=True
    )
    reasons = models.TextField(_("motifs, manques et recommandations"), blank=True)
    decided_on = models.DateField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("recevabilité VAE")
        verbose_name_plural = _("recevabilités VAE")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="") | Q(decided_on__isnull=False), name="journeys_adm_decided_on"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["", "admissible"]) | ~Q(reasons=""),
                name="journeys_adm_reasons",
                violation_error_message=_("Un dossier non recevable ou incomplet se motive."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidacy_id}: {self.get_decision_display() or '—'}"


class DeclaredExperience(models.Model):
    """An activity declared in the admissibility request (L. 6412-1-1: activities in the same period,
    internships, PFMP and PMSMP all count)."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="experiences")
    activity = models.CharField(_("activité"), max_length=300)
    employer = models.CharField(_("employeur ou structure"), max_length=250, blank=True)
    start = models.DateField(_("du"))
    end = models.DateField(_("au"), null=True, blank=True)
    hours = models.PositiveIntegerField(_("heures"), null=True, blank=True)

    class Meta:
        verbose_name = _("expérience déclarée")
        verbose_name_plural = _("expériences déclarées")
        ordering = ["candidacy", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="journeys_exp_dates"
            )
        ]

    def __str__(self) -> str:
        return self.activity


# ---------------------------------------------------------------------------------------------
# Positioning per block
# ---------------------------------------------------------------------------------------------


class Positioning(models.Model):
    """Before training, the centre's judgement per block: already acquired / to train / exempt."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="positionings")
    block = models.ForeignKey(SkillBlock, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("positionnement"), max_length=10, choices=PositioningOutcome.choices)
    evidence = models.TextField(_("éléments de preuve"), blank=True)
    exemption_rule = models.CharField(
        _("motif de dispense"), max_length=20, choices=ExemptionRule.choices, blank=True
    )
    corresponding_certification = models.CharField(
        _("certification correspondante"), max_length=20, blank=True, help_text=_("Par ex. RNCP37488.")
    )
    corresponding_block = models.CharField(_("bloc correspondant"), max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("positionnement")
        verbose_name_plural = _("positionnements")
        ordering = ["candidacy", "block__code"]
        constraints = [
            models.UniqueConstraint(fields=["candidacy", "block"], name="journeys_pos_unique"),
            models.CheckConstraint(
                condition=Q(outcome="exempt", exemption_rule__in=["earlier_validation", "correspondence"])
                | (~Q(outcome="exempt") & Q(exemption_rule="")),
                name="journeys_pos_exemption_rule",
                violation_error_message=_(
                    "Une dispense indique sa règle ; les autres positionnements n'en ont pas."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.block.code}: {self.get_outcome_display()}"


# ---------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------


def document_path(instance, filename: str) -> str:
    # never the uploader's name on disk / in the bucket: a random key per file
    extension = filename.rsplit(".", 1)[-1].lower()
    suffix = f".{extension}" if re.fullmatch(r"[a-z0-9]{1,5}", extension) else ""
    return f"journeys/{instance.candidacy_id}/{uuid.uuid4().hex}{suffix}"


class CandidacyDocument(models.Model):
    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("type de pièce"), max_length=16, choices=DocumentKind.choices)
    file = models.FileField(_("fichier"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(_("type détecté"), max_length=100)
    size = models.PositiveIntegerField(_("taille (octets)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("déposé le"), default=timezone.now)

    class Meta:
        verbose_name = _("pièce")
        verbose_name_plural = _("pièces")
        ordering = ["candidacy", "-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.original_name}"


# ---------------------------------------------------------------------------------------------
# Access granted by the candidate (advisor) or recorded by the centre (employer contact)
# ---------------------------------------------------------------------------------------------


class AccessGrantQuerySet(models.QuerySet):
    def current(self):
        return self.filter(revoked_at__isnull=True)


class AccessGrant(models.Model):
    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidacy_grants"
    )
    role = models.CharField(_("au titre de"), max_length=10, choices=GrantRole.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AccessGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("accès accordé")
        verbose_name_plural = _("accès accordés")
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy", "user", "role"],
                condition=Q(revoked_at__isnull=True),
                name="journeys_grant_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Reminder(models.Model):
    """A reminder e-mail sent (or due) for a deadline; one per (candidacy, kind, due date)."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=30)
    due_on = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidacy", "kind", "due_on"], name="journeys_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on}"


# re-exported for callers that want one import
__all__ = [
    "AccessGrant",
    "Admissibility",
    "Candidacy",
    "CandidacyDocument",
    "CandidacyTransition",
    "Candidate",
    "DeclaredExperience",
    "Positioning",
    "Reminder",
    "StatusChangeRefused",
    "identity_key",
]


# ---------------------------------------------------------------------------------------------
# API tokens (one organisation each)
# ---------------------------------------------------------------------------------------------


class ApiTokenQuerySet(models.QuerySet):
    def current(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A key a centre's (or a branch's) own system uses on `/api/v1/candidacies`.

    It acts as `user` (the audit trail names them) and only within its one organisation: a centre
    token sees and creates the candidacies that centre holds; a branch token sees those on the
    branch's CQPs. Only a SHA-256 of the key is stored; the key is shown once, at creation."""

    name = models.CharField(_("nom"), max_length=120)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journeys_api_tokens"
    )
    centre = models.ForeignKey(
        Centre, null=True, blank=True, on_delete=models.CASCADE, related_name="api_tokens"
    )
    branch = models.ForeignKey(
        Branch, null=True, blank=True, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        constraints = [
            models.CheckConstraint(
                condition=Q(centre__isnull=False, branch__isnull=True)
                | Q(centre__isnull=True, branch__isnull=False),
                name="journeys_token_one_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
