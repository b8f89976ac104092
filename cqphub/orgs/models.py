"""Organisations and people: branches, committees (CPNE), certifier legal entities, centres,
accounts and their roles per organisation, and the append-only audit trail of the back office.

Habilitation agreements reference qualifications and blocks, so they live in `qualifications`
(dependencies point one way: `qualifications` → `orgs`). The IP-holder history of a CQP
(L. 6113-4 al. 2) is `qualifications.IpHolderChange`, pointing at `CertifierEntity`.
"""

from __future__ import annotations

import re

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

IDCC_RE = re.compile(r"^\d{4}$")
LA_POSTE_SIREN = "356000000"


# ---------------------------------------------------------------------------------------------
# Validators
# ---------------------------------------------------------------------------------------------


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def complete_siret(first_13_digits: str) -> str:
    """The 14-digit SIRET whose Luhn key completes `first_13_digits` (for demo data and tests)."""
    for digit in "0123456789":
        if luhn_ok(first_13_digits + digit):
            return first_13_digits + digit
    raise ValueError(first_13_digits)  # unreachable: one digit always completes a Luhn sum


def validate_siret(value: str) -> None:
    """A SIRET is 14 digits passing the Luhn check (La Poste's establishments: digit sum ÷ 5)."""
    if not re.fullmatch(r"\d{14}", value or ""):
        raise ValidationError(
            _("Le SIRET « %(value)s » doit comporter exactement 14 chiffres."),
            code="siret_format",
            params={"value": value},
        )
    valid = luhn_ok(value)
    if not valid and value.startswith(LA_POSTE_SIREN):
        valid = sum(int(c) for c in value) % 5 == 0
    if not valid:
        raise ValidationError(
            _("Le SIRET « %(value)s » n'est pas valide (clé de contrôle erronée)."),
            code="siret_checksum",
            params={"value": value},
        )


def validate_idcc_codes(value) -> None:
    """A non-empty list of distinct 4-digit IDCC strings, e.g. ["3117"]."""
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Indiquez au moins un code IDCC."), code="idcc_empty")
    bad = [code for code in value if not isinstance(code, str) or not IDCC_RE.match(code)]
    if bad:
        raise ValidationError(
            _("Code(s) IDCC invalide(s) : %(codes)s (4 chiffres attendus, par ex. « 0843 »)."),
            code="idcc_format",
            params={"codes": ", ".join(str(code) for code in bad)},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Un code IDCC est répété."), code="idcc_duplicate")


# ---------------------------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------------------------


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        if extra.get("is_staff") is not True or extra.get("is_superuser") is not True:
            raise ValueError("A superuser must have is_staff=True and is_superuser=True.")
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractUser):
    """A person's account; the e-mail address is the login."""

    username = None
    email = models.EmailField(_("adresse e-mail"), unique=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = (self.email or "").strip().lower()

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)


# ---------------------------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------------------------


class Branch(models.Model):
    """A professional branch, identified by its collective agreement(s) (IDCC)."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    slug = models.SlugField(_("identifiant court"), max_length=80, unique=True)
    idcc_codes = models.JSONField(
        _("codes IDCC"),
        default=list,
        validators=[validate_idcc_codes],
        help_text=_("Convention(s) collective(s) de la branche, 4 chiffres chacune."),
    )
    created = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("branche")
        verbose_name_plural = _("branches")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:branch", kwargs={"slug": self.slug})

    @property
    def idcc_display(self) -> str:
        return ", ".join(self.idcc_codes or [])

    def owning_branches(self):
        return Branch.objects.filter(pk=self.pk)


class Committee(models.Model):
    """A CPNE: the joint committee of one branch, or a joint committee of several (CQPI)."""

    name = models.CharField(_("nom"), max_length=250, unique=True)
    short_name = models.CharField(_("sigle"), max_length=60)
    branches = models.ManyToManyField(Branch, related_name="committees", verbose_name=_("branches"))
    created = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("commission paritaire (CPNE)")
        verbose_name_plural = _("commissions paritaires (CPNE)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    def owning_branches(self):
        return self.branches.all()

    @property
    def is_joint(self) -> bool:
        return self.branches.count() > 1


class CertifierEntity(models.Model):
    """A legal person that may hold the intellectual-property rights of a CQP (L. 6113-4 al. 2)."""

    name = models.CharField(_("raison sociale"), max_length=250)
    siret = models.CharField(_("SIRET"), max_length=14, unique=True, validators=[validate_siret])
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("branche"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certifier_entities",
    )
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    created = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("entité certificatrice")
        verbose_name_plural = _("entités certificatrices")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CentreKind(models.TextChoices):
    TRAINING = "training", _("Organisme de formation")
    ASSESSMENT = "assessment", _("Centre d'évaluation")
    BOTH = "both", _("Formation et évaluation")


class Centre(models.Model):
    """A training and/or assessment centre; an independent body. Which branches work with it
    comes from habilitations (`qualifications.Habilitation`)."""

    name = models.CharField(_("nom"), max_length=250)
    siret = models.CharField(_("SIRET"), max_length=14, unique=True, validators=[validate_siret])
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("commune"), max_length=120, blank=True)
    kind = models.CharField(_("type"), max_length=12, choices=CentreKind.choices, default=CentreKind.BOTH)
    qualiopi_certified_on = models.DateField(_("certifié Qualiopi le"), null=True, blank=True)
    created = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[c.value for c in CentreKind]), name="orgs_centre_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:centre", kwargs={"pk": self.pk})

    @property
    def trains(self) -> bool:
        return self.kind in (CentreKind.TRAINING, CentreKind.BOTH)

    @property
    def assesses(self) -> bool:
        return self.kind in (CentreKind.ASSESSMENT, CentreKind.BOTH)


# ---------------------------------------------------------------------------------------------
# Memberships (a person's role in an organisation)
# ---------------------------------------------------------------------------------------------


class Role(models.TextChoices):
    BRANCH_ADMIN = "branch_admin", _("Administrateur de branche")
    CERTIFICATION_OFFICER = "certification_officer", _("Chargé de certification")
    JURY_MEMBER = "jury_member", _("Membre de jury")
    CENTRE_MANAGER = "centre_manager", _("Responsable de centre")
    TRAINER = "trainer", _("Formateur")
    ASSESSOR = "assessor", _("Évaluateur")
    ADVISOR = "advisor", _("Conseiller")
    EMPLOYER_CONTACT = "employer_contact", _("Contact employeur")


BRANCH_ROLES = (Role.BRANCH_ADMIN, Role.CERTIFICATION_OFFICER, Role.JURY_MEMBER)
CENTRE_ROLES = (Role.CENTRE_MANAGER, Role.TRAINER, Role.ASSESSOR)
OUTSIDE_ROLES = (Role.ADVISOR, Role.EMPLOYER_CONTACT)
# Branch roles that may read and change the branch's back office (jury members only sit on juries).
BRANCH_STAFF_ROLES = (Role.BRANCH_ADMIN, Role.CERTIFICATION_OFFICER)
# Roles whose holders sign decisions: they must log in with a second factor (security review H1).
# Jury presidents are added by the juries app (`permissions.register_second_factor_rule`).
SIGNING_ROLES = (Role.BRANCH_ADMIN, Role.CERTIFICATION_OFFICER)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True, user__is_active=True)


class Membership(models.Model):
    """A person's role in an organisation.

    Branch roles need a branch (and no centre); centre roles need a centre (and no branch);
    advisors and employer contacts name their organisation and may be attached to a branch.
    """

    user = models.ForeignKey(
        User, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("branche"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.CharField(
        _("organisme"),
        max_length=250,
        blank=True,
        help_text=_("Pour les conseillers et contacts employeurs : l'organisme (OPCO, entreprise…)."),
    )
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("rôle")
        verbose_name_plural = _("rôles")
        ordering = ["user__email", "role"]
        constraints = [
            models.CheckConstraint(
                name="orgs_membership_scope",
                condition=(
                    Q(role__in=[r.value for r in BRANCH_ROLES], branch__isnull=False, centre__isnull=True)
                    | Q(role__in=[r.value for r in CENTRE_ROLES], centre__isnull=False, branch__isnull=True)
                    | (
                        Q(role__in=[r.value for r in OUTSIDE_ROLES], centre__isnull=True)
                        & ~Q(organisation="")
                    )
                ),
                violation_error_message=_(
                    "Un rôle de branche exige une branche, un rôle de centre exige un centre, "
                    "un conseiller ou contact employeur exige le nom de son organisme."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "branch"],
                condition=Q(branch__isnull=False),
                name="orgs_membership_unique_branch_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "centre"],
                condition=Q(centre__isnull=False),
                name="orgs_membership_unique_centre_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation_name}"

    @property
    def is_branch_role(self) -> bool:
        return self.role in BRANCH_ROLES

    @property
    def organisation_name(self) -> str:
        if self.centre_id:
            return str(self.centre)
        if self.organisation:
            return self.organisation
        return str(self.branch) if self.branch_id else ""

    def clean(self):
        super().clean()
        if self.role in BRANCH_ROLES:
            if not self.branch_id:
                raise ValidationError({"branch": _("Ce rôle exige une branche.")})
            if self.centre_id:
                raise ValidationError({"centre": _("Un rôle de branche ne se rattache pas à un centre.")})
        elif self.role in CENTRE_ROLES:
            if not self.centre_id:
                raise ValidationError({"centre": _("Ce rôle exige un centre.")})
            if self.branch_id:
                raise ValidationError({"branch": _("Un rôle de centre ne se rattache pas à une branche.")})
        elif self.role in OUTSIDE_ROLES:
            if self.centre_id:
                raise ValidationError({"centre": _("Ce rôle ne se rattache pas à un centre.")})
            if not self.organisation.strip():
                raise ValidationError({"organisation": _("Indiquez l'organisme de cette personne.")})


# ---------------------------------------------------------------------------------------------
# Audit trail (append-only)
# ---------------------------------------------------------------------------------------------


class AuditAction(models.TextChoices):
    CREATE = "create", _("Création")
    UPDATE = "update", _("Modification")
    DELETE = "delete", _("Suppression")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit entries are append-only.")

    def delete(self):
        raise TypeError("Audit entries are append-only.")


class AuditEntry(models.Model):
    """One change made in the back office: who, when, what changed. Never updated nor deleted.

    `action` is "create", "update", "delete" or a custom verb ("suspend", "invite", …).
    `changes` maps a field to [old, new].
    """

    at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    actor_repr = models.CharField(_("auteur (texte)"), max_length=254, blank=True)
    # PROTECT (review L1): an organisation with a history cannot be deleted, so no entry is ever
    # rewritten to branch=NULL and lost from its journal; deactivate the organisation instead.
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("branche"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    action = models.CharField(_("action"), max_length=40)
    object_type = models.CharField(_("type d'objet"), max_length=100)
    object_id = models.CharField(_("identifiant de l'objet"), max_length=64, blank=True)
    object_repr = models.CharField(_("objet"), max_length=250, blank=True)
    changes = models.JSONField(_("changements"), default=dict, blank=True)
    # Set when the retention run replaced the entry's personal data by pseudonyms (review M4).
    pseudonymised_at = models.DateTimeField(_("pseudonymisée le"), null=True, blank=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal des modifications")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["branch", "-at"], name="orgs_audit_branch_at"),
            models.Index(fields=["centre", "-at"], name="orgs_audit_centre_at"),
            models.Index(fields=["object_type", "object_id"], name="orgs_audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr or '—'} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise TypeError("Audit entries are append-only: an entry cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit entries are append-only: an entry cannot be deleted.")

    @property
    def action_label(self) -> str:
        try:
            return str(AuditAction(self.action).label)
        except ValueError:
            return self.action
