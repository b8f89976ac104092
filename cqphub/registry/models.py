"""The registry: one `Certification` per published fiche (RNCP or RS), with its children.

The curated columns are what the platform reads; `raw` keeps the fiche exactly as published
(zlib-compressed) so that nothing France compétences publishes is lost, even what is not mapped yet.
Fiches that disappear from a newer export are marked `withdrawn_at`, never deleted.
"""

from __future__ import annotations

import re
import zlib
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from cqphub.registry.fields import CompressedTextField


class Register(models.TextChoices):
    RNCP = "RNCP", _("Répertoire national des certifications professionnelles (RNCP)")
    RS = "RS", _("Répertoire spécifique (RS)")


class RegistrationStatus(models.TextChoices):
    ACTIVE = "active", _("en vigueur")
    EXPIRED = "expired", _("échue")
    NOT_YET = "not_yet", _("pas encore en vigueur")


CQP_ABBREVIATIONS = frozenset({"CQP", "CQPI", "CQPM"})
_CQPI_IN_TITLE = re.compile(r"\bcqpi\b")
CQP_TITLE_PREFIXES = ("cqp ", "cqpi ", "cqpm ", "certificat de qualification professionnelle")


class ImportRun(models.Model):
    """One run of `cqphub registry import`: what was read and what it changed."""

    class Status(models.TextChoices):
        RUNNING = "running", _("en cours")
        DONE = "done", _("terminé")
        FAILED = "failed", _("échoué")

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    files = models.JSONField(default=list)
    fiches_read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    restored = models.PositiveIntegerField(default=0)
    kept_newer = models.PositiveIntegerField(default=0)  # fiches a newer export already gave
    export_dates = models.JSONField(default=list)  # one ISO date per file of `files`
    unknown_elements = models.JSONField(default=dict, blank=True)  # element name -> count
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"

    @property
    def file_names(self) -> list[str]:
        """File names without their folders (the history page is public)."""
        return [str(name).replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] for name in self.files]

    @property
    def dated_files(self) -> list[tuple[str, date | None]]:
        """(file name, export date) pairs, for the history page."""
        dates = list(self.export_dates or [])
        out = []
        for index, name in enumerate(self.file_names):
            value = dates[index] if index < len(dates) else None
            out.append((name, date.fromisoformat(value) if value else None))
        return out


class Origin(models.TextChoices):
    FRANCE_COMPETENCES = "france_competences", _("France compétences")
    PLATFORM = "platform", _("la plateforme")


class Certification(models.Model):
    code = models.CharField(max_length=20, unique=True)  # RNCP37488, RS5719
    register = models.CharField(max_length=4, choices=Register.choices)
    number = models.PositiveIntegerField(db_index=True)  # 37488: lets "37488" find the fiche
    fiche_id = models.PositiveIntegerField(null=True, blank=True)  # France compétences' internal id
    title = models.TextField()
    abbreviation_code = models.CharField(max_length=50, blank=True, db_index=True)
    abbreviation_label = models.TextField(blank=True)
    state = models.TextField(blank=True)  # ETAT_FICHE, e.g. "Publiée"
    active = models.BooleanField(default=False, db_index=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    level_label = models.TextField(blank=True)
    registration_type = models.TextField(blank=True)
    decision_date = models.DateField(null=True, blank=True)
    effect_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    delivery_deadline = models.DateField(null=True, blank=True)
    last_jo_date = models.DateField(null=True, blank=True)
    publication_date = models.DateField(null=True, blank=True)
    duration = models.TextField(blank=True)
    partial_validation = models.BooleanField(null=True, blank=True)
    has_partners = models.BooleanField(null=True, blank=True)
    accessible_new_caledonia = models.BooleanField(null=True, blank=True)
    accessible_french_polynesia = models.BooleanField(null=True, blank=True)
    url = models.TextField(blank=True)  # the certifier's description page (LIEN_URL_DESCRIPTION)
    # Where the data came from: the export's date, and who made the fiche (the platform's own fiches,
    # demo or a branch's reference, are never withdrawn by an import of France compétences' files).
    export_date = models.DateField(null=True, blank=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.FRANCE_COMPETENCES)

    route_initial = models.BooleanField(default=False)
    route_apprenticeship = models.BooleanField(default=False)
    route_continuing = models.BooleanField(default=False)
    route_professionalisation = models.BooleanField(default=False)
    route_individual = models.BooleanField(default=False)
    route_vae = models.BooleanField(default=False)
    jury_compositions = models.JSONField(default=dict, blank=True)
    jury_dates = models.JSONField(default=dict, blank=True)  # route -> ISO date the jury last changed

    activities = CompressedTextField(blank=True)
    capacities = CompressedTextField(blank=True)
    sectors = CompressedTextField(blank=True)
    jobs = CompressedTextField(blank=True)
    objectives = CompressedTextField(blank=True)
    prerequisites = models.TextField(blank=True)
    regulations = models.TextField(blank=True)
    validation_prerequisites = models.TextField(blank=True)  # PREREQUIS_VALIDATION_CERTIFICATION (RS)
    skill_mastery_level = models.TextField(blank=True)  # NIVEAU_MAITRISE_COMPETENCES
    renewal_terms = models.TextField(blank=True)  # MODALITES_RENOUVELLEMENT
    validity_duration = models.TextField(blank=True)  # DUREE_VALIDITE
    partial_validation_scope = models.TextField(blank=True)  # VALIDATION_PARTIELLE_PERIMETRE
    promotion_years = models.TextField(blank=True)  # ANNEES_PROMOTIONS_NIVEAU

    correspondences = models.JSONField(default=list, blank=True)
    promotion_stats = models.JSONField(default=list, blank=True)
    publications = models.JSONField(default=list, blank=True)

    is_cqp = models.BooleanField(default=False, db_index=True)  # derived at import, see derive_is_cqp
    is_interbranch = models.BooleanField(default=False)
    is_socle = models.BooleanField(default=False)  # the socle de connaissances et de compétences (CléA)

    raw = models.BinaryField()  # zlib(fiche as published)
    raw_format = models.CharField(max_length=4)  # xml | csv
    digest = models.CharField(max_length=64)
    first_import = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+")
    last_change_import = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)  # no longer in the latest export

    class Meta:
        ordering = ["register", "number"]
        indexes = [models.Index(fields=["register", "active"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    # -- derived -----------------------------------------------------------------------------
    @property
    def raw_text(self) -> str:
        return zlib.decompress(bytes(self.raw)).decode("utf-8")

    @property
    def routes(self) -> dict[str, bool]:
        return {
            "initial": self.route_initial,
            "apprenticeship": self.route_apprenticeship,
            "continuing": self.route_continuing,
            "professionalisation": self.route_professionalisation,
            "individual": self.route_individual,
            "vae": self.route_vae,
        }

    def registration_status(self, on: date | None = None) -> str:
        return registration_status(self.effect_date or self.decision_date, self.end_date, on)

    @property
    def france_competences_url(self) -> str:
        register = "rncp" if self.register == Register.RNCP else "rs"
        return f"https://www.francecompetences.fr/recherche/{register}/{self.number}/"


def derive_is_cqp(abbreviation_code: str, title: str) -> bool:
    """CQP, CQPI or CQPM by abbreviation, or a title that starts so (older fiches have no abbreviation)."""
    if (abbreviation_code or "").strip().upper() in CQP_ABBREVIATIONS:
        return True
    lowered = (title or "").strip().lower()
    return lowered.startswith(CQP_TITLE_PREFIXES) or lowered in {"cqp", "cqpi", "cqpm"}


_SOCLE = re.compile(r"\bcl[eé]a\b|socle de connaissances et de comp[eé]tences", re.IGNORECASE)


def derive_is_socle(register: str, abbreviation_code: str, title: str) -> bool:
    """CléA (and CléA numérique): the socle de connaissances et de compétences professionnelles, in the RS."""
    return register == "RS" and bool(_SOCLE.search(f"{abbreviation_code or ''} {title or ''}"))


def derive_is_interbranch(abbreviation_code: str, title: str, idcc_count: int) -> bool:
    """A CQPI: said by its abbreviation or title, or a CQP attached to two collective agreements or more."""
    if (abbreviation_code or "").strip().upper() == "CQPI":
        return True
    lowered = (title or "").strip().lower()
    if _CQPI_IN_TITLE.search(lowered) or (
        derive_is_cqp(abbreviation_code, title) and "interbranche" in lowered
    ):
        return True  # "CQPI Agent logistique", "CQP Agent logistique (CQPI)", "CQP interbranche …"
    return derive_is_cqp(abbreviation_code, title) and idcc_count >= 2


def registration_status(start: date | None, end: date | None, on: date | None = None) -> str:
    on = on or date.today()
    if start and on < start:
        return RegistrationStatus.NOT_YET
    if end and on > end:
        return RegistrationStatus.EXPIRED
    return RegistrationStatus.ACTIVE


# A fiche's published lists (blocks, certifiers, partners, codes, continuity) are a derived copy that
# only the importer writes, every row with its fiche in the same transaction; certifications are never
# deleted by an import (they are marked withdrawn), and a deletion through the ORM still removes their
# rows (`on_delete=CASCADE` is Django's). So these links carry no database foreign key: checking it
# cost one trigger per row, 670,000 on a full-scale import, 4-6 s of PostgreSQL's commit (#13).
# `tests/registry/test_child_rows.py` holds the importer to it: no row without its fiche.
FICHE_ROW = {"on_delete": models.CASCADE, "db_constraint": False}


class Block(models.Model):
    certification = models.ForeignKey(Certification, related_name="blocks", **FICHE_ROW)
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=40, db_index=True)
    title = models.TextField()
    skills = CompressedTextField(blank=True)
    assessment = CompressedTextField(blank=True)
    entry_prerequisites = models.TextField(blank=True)  # PREREQUIS_ENTREE_FORMATION_BLOC
    validation_prerequisites = models.TextField(blank=True)  # PREREQUIS_VALIDATION_BLOC

    class Meta:
        ordering = ["certification", "position"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Certifier(models.Model):
    certification = models.ForeignKey(Certification, related_name="certifiers", **FICHE_ROW)
    position = models.PositiveSmallIntegerField()
    siret = models.CharField(max_length=20, blank=True, db_index=True)
    name = models.TextField()
    state = models.TextField(blank=True)
    state_changed_on = models.DateField(null=True, blank=True)
    trade_name = models.TextField(blank=True)  # NOM_COMMERCIAL
    website = models.TextField(blank=True)  # SITE_INTERNET

    class Meta:
        ordering = ["certification", "position"]

    def __str__(self) -> str:
        return self.name


class Partner(models.Model):
    """An organisation habilitated by the certifier to prepare for and/or organise the assessment."""

    certification = models.ForeignKey(Certification, related_name="partners", **FICHE_ROW)
    position = models.PositiveIntegerField()
    siret = models.CharField(max_length=20, blank=True)
    name = models.TextField()
    habilitation = models.TextField(blank=True)
    state = models.TextField(blank=True)
    state_changed_on = models.DateField(null=True, blank=True)
    active_since = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["certification", "position"]

    def __str__(self) -> str:
        return self.name


class Classification(models.Model):
    """A code attached to a fiche: ROME, NSF, Formacode, or a collective agreement (IDCC)."""

    class Scheme(models.TextChoices):
        ROME = "rome", "ROME"
        NSF = "nsf", "NSF"
        FORMACODE = "formacode", "Formacode"
        IDCC = "idcc", "IDCC"

    certification = models.ForeignKey(Certification, related_name="classifications", **FICHE_ROW)
    scheme = models.CharField(max_length=10, choices=Scheme.choices)
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=20)
    label = models.TextField(blank=True)

    class Meta:
        ordering = ["certification", "scheme", "position"]
        indexes = [models.Index(fields=["scheme", "code"])]

    def __str__(self) -> str:
        return f"{self.scheme} {self.code}"


class ContinuityLink(models.Model):
    """Old → new code, as published: each fiche lists its predecessors and successors by code.

    The other end is kept as a code, not a foreign key: it may be absent from the registry (an old
    fiche never exported) and must still be shown.
    """

    class Kind(models.TextChoices):
        PREDECESSOR = "predecessor", _("ancienne certification")
        SUCCESSOR = "successor", _("nouvelle certification")

    certification = models.ForeignKey(Certification, related_name="continuity_links", **FICHE_ROW)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    position = models.PositiveSmallIntegerField()
    other_code = models.CharField(max_length=20, db_index=True)

    class Meta:
        ordering = ["certification", "kind", "position"]

    def __str__(self) -> str:
        return f"{self.certification_id} {self.kind} {self.other_code}"
