"""Nomenclatures the platform refers to: collective agreements (IDCC), OPCO and the IDCC → OPCO
table, CPNE (as France compétences lists them), ROME 4.0, NSF and Formacode.

These tables are filled by importers reading the official files (`cqphub reference import-…`);
nothing here is authored on the platform. The CPNE a branch runs on the platform is
`orgs.Committee`; `CpneReference` is only the national list.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cqphub.text import fold_words


class CollectiveAgreement(models.Model):
    """A collective agreement (convention collective), identified by its 4-digit IDCC."""

    idcc = models.CharField(_("IDCC"), max_length=4, unique=True, help_text=_("Sur 4 chiffres : 0016, 1486."))
    title = models.TextField(_("intitulé"))
    short_title = models.CharField(_("intitulé court"), max_length=255, blank=True)
    active = models.BooleanField(_("en vigueur"), default=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    kali_id = models.CharField(_("identifiant KALI"), max_length=30, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["idcc"]
        verbose_name = _("convention collective")
        verbose_name_plural = _("conventions collectives")

    def __str__(self) -> str:
        return f"IDCC {self.idcc} — {self.short_title or self.title}"

    def save(self, *args, **kwargs):
        self.search_text = agreement_search_text(self.idcc, self.title, self.short_title)
        super().save(*args, **kwargs)


def agreement_search_text(idcc: str, title: str, short_title: str = "") -> str:
    return fold_words(f"{idcc} {int(idcc)} {title} {short_title}")


class Opco(models.Model):
    """An opérateur de compétences (11 since 2019)."""

    name = models.CharField(_("nom"), max_length=255, unique=True)
    short_name = models.CharField(_("nom d'usage"), max_length=100, blank=True)

    class Meta:
        ordering = ["short_name", "name"]
        verbose_name = _("opérateur de compétences (OPCO)")
        verbose_name_plural = _("opérateurs de compétences (OPCO)")

    def __str__(self) -> str:
        return self.short_name or self.name


class OpcoAttachment(models.Model):
    """The IDCC → OPCO table: which OPCO a collective agreement belongs to, from a date."""

    agreement = models.ForeignKey(
        CollectiveAgreement,
        on_delete=models.CASCADE,
        related_name="opco_attachments",
        verbose_name=_("convention collective"),
    )
    opco = models.ForeignKey(
        Opco, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("OPCO")
    )
    valid_from = models.DateField(_("à compter du"), null=True, blank=True)
    note = models.TextField(_("observation"), blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        ordering = ["agreement__idcc", "-valid_from"]
        verbose_name = _("rattachement à un OPCO")
        verbose_name_plural = _("rattachements aux OPCO")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "valid_from"], name="reference_attachment_dated"),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(valid_from__isnull=True),
                name="reference_attachment_undated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.idcc} → {self.opco}"


class CpneReference(models.Model):
    """A CPNE as France compétences lists it (NPEC referential): code, name, the IDCCs it covers."""

    code = models.CharField(_("code CPNE"), max_length=10, unique=True)
    name = models.TextField(_("intitulé"))
    idcc_list = models.JSONField(
        _("IDCC couverts"), default=list, blank=True, help_text=_("Tels que publiés, sur 4 chiffres.")
    )
    agreements = models.ManyToManyField(
        CollectiveAgreement,
        blank=True,
        related_name="cpnes",
        verbose_name=_("conventions collectives"),
        help_text=_("Celles de la liste qui sont connues de la plateforme."),
    )
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("CPNE (nomenclature)")
        verbose_name_plural = _("CPNE (nomenclature)")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class RomeCode(models.Model):
    """A ROME 4.0 fiche (France Travail), e.g. M1202."""

    code = models.CharField(_("code ROME"), max_length=5, unique=True)
    title = models.CharField(_("intitulé"), max_length=255)
    parent_code = models.CharField(
        _("fiche parente"),
        max_length=5,
        blank=True,
        help_text=_("Vide si la fiche est elle-même une fiche mère."),
    )
    code_ogr = models.CharField(_("code OGR"), max_length=10, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("fiche ROME")
        verbose_name_plural = _("fiches ROME")

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def save(self, *args, **kwargs):
        self.search_text = fold_words(f"{self.code} {self.title}")
        super().save(*args, **kwargs)


class RomeJobTitle(models.Model):
    """A job title (appellation) of a ROME fiche."""

    rome = models.ForeignKey(
        RomeCode, on_delete=models.CASCADE, related_name="job_titles", verbose_name=_("fiche ROME")
    )
    code_ogr = models.CharField(_("code OGR"), max_length=10, unique=True)
    title = models.CharField(_("appellation"), max_length=255)
    short_title = models.CharField(_("appellation courte"), max_length=255, blank=True)
    principal = models.BooleanField(_("appellation principale"), default=False)

    class Meta:
        ordering = ["rome__code", "title"]
        verbose_name = _("appellation ROME")
        verbose_name_plural = _("appellations ROME")

    def __str__(self) -> str:
        return self.title


class RomeSkill(models.Model):
    """A skill of the ROME 4.0 referential (compétence or macro-compétence)."""

    rome = models.ForeignKey(
        RomeCode,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="skills",
        verbose_name=_("fiche ROME"),
        help_text=_("Renseignée seulement si le fichier de liens ROME ↔ référentiels a été importé."),
    )
    code_ogr = models.CharField(_("code OGR"), max_length=10, unique=True)
    title = models.TextField(_("libellé"))
    kind = models.CharField(_("nature"), max_length=50, blank=True)  # Compétence, Macro-compétence
    category = models.CharField(_("catégorie"), max_length=100, blank=True)  # Savoir-faire…
    macro_code_ogr = models.CharField(_("code OGR de la macro-compétence"), max_length=10, blank=True)

    class Meta:
        ordering = ["code_ogr"]
        verbose_name = _("compétence ROME")
        verbose_name_plural = _("compétences ROME")

    def __str__(self) -> str:
        return self.title


class NsfLevel(models.TextChoices):
    DOMAIN = "domain", _("domaine (1 chiffre)")
    SUBDOMAIN = "subdomain", _("domaine (2 chiffres)")
    GROUP = "group", _("groupe de spécialités (3 chiffres)")
    SUBGROUP = "subgroup", _("sous-groupe (3 chiffres et une lettre)")
    LETTER = "letter", _("code lettre (champ ou fonction)")


class NsfCode(models.Model):
    """A code of the nomenclature des spécialités de formation (1994), e.g. 251 or 221w."""

    code = models.CharField(_("code NSF"), max_length=5, unique=True)
    label = models.TextField(_("libellé"))
    level = models.CharField(_("niveau"), max_length=10, choices=NsfLevel.choices)
    parent_code = models.CharField(_("code parent"), max_length=5, blank=True)
    official = models.BooleanField(
        _("liste officielle"),
        default=True,
        help_text=_("Faux pour un code appris d'un import du répertoire (libellé tel que publié)."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("code NSF")
        verbose_name_plural = _("codes NSF")

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"


class Formacode(models.Model):
    """A term of the Formacode thesaurus (Centre Inffo), in one version (13 or 14)."""

    code = models.CharField(_("code"), max_length=5)
    version = models.CharField(_("version"), max_length=3)
    label = models.CharField(_("libellé"), max_length=255)
    parent_code = models.CharField(_("terme générique"), max_length=5, blank=True)
    domain = models.CharField(_("champ sémantique"), max_length=255, blank=True)
    tree_code = models.CharField(_("code arborescence"), max_length=40, blank=True)

    class Meta:
        ordering = ["version", "code"]
        verbose_name = _("Formacode")
        verbose_name_plural = _("Formacodes")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="reference_formacode_version"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label} (v{self.version})"
